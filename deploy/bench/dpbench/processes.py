"""The processes a run starts (each in its own session, stopped in reverse order), measuring tools with a time
limit, and the scratch directory's clean-up after a failure."""
import contextlib
import os
import signal
import subprocess

from .common import REPO_ROOT, fail


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
