"""The processes a run starts (each in its own session, stopped in reverse order), measuring tools with a time
limit, and the scratch directory's clean-up after a failure."""
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile

from .common import REPO_ROOT, BenchFailure, fail


class Processes:
    """Everything this run starts, each in its own session, stopped in reverse order (also on failure)."""

    def __init__(self):
        self.running = []

    def start(self, argv, log_path, env=None):
        with open(log_path, "ab") as out:
            p = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                                 cwd=REPO_ROOT, start_new_session=True)
        self.running.append(p)
        return p

    def stop(self, p, grace=40):
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(grace)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)  # the group of a process this run started (the runner's children)
                p.wait()
        if p in self.running:
            self.running.remove(p)

    def stop_all(self):
        for p in reversed(list(self.running)):
            self.stop(p)


def proc_status(pid, field):
    """A size field of /proc/<pid>/status (VmRSS, VmHWM), in bytes."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    fail(f"no {field} for pid {pid}")


def run_tool(argv, timeout):
    """A measuring tool's run; one that hangs fails the run."""
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        fail(f"{argv[0]} did not finish within {timeout} s: {' '.join(argv)[:300]}")


def keep_logs_only(work):
    """After a failure: the logs stay for a look, the data (blobs, databases) goes."""
    for root, dirs, files in os.walk(work, topdown=False):
        for f in files:
            if not (f == "log" or f.endswith(".log")):
                os.remove(os.path.join(root, f))
        for d in dirs:
            with contextlib.suppress(OSError):
                os.rmdir(os.path.join(root, d))


def run_in_scratch(name, body, keep=False, on_failure=lambda message: None):
    """body(work, procs) in a fresh scratch directory with the processes it starts stopped afterwards, whatever
    happens; a failed check exits 1 and keeps the logs, Ctrl-C or SIGTERM exits 130. Returns the exit code."""
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    work = tempfile.mkdtemp(prefix=f"dp-{name}.")
    procs = Processes()
    code = 0
    try:
        body(work, procs)
    except BenchFailure as e:
        print(f"\n{name}: FAILED: {e}", file=sys.stderr, flush=True)
        on_failure(str(e))
        code = 1
    except KeyboardInterrupt:
        print(f"\n{name}: interrupted", file=sys.stderr)
        code = 130
    finally:
        procs.stop_all()
        if keep:
            print(f"{name}: scratch directory kept: {work}", file=sys.stderr)
        elif code == 1:
            keep_logs_only(work)
            print(f"{name}: logs kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return code
