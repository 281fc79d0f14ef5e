"""CPU seconds the processes on a path spend on one transfer, and what that allows on this machine: a path cannot
take less wall time than its CPU seconds spread over every core (the client, the upstream, the object store and the
product share the cores of one machine in this benchmark)."""
import os
import resource

from .common import log
from .report import Row


def cpu_seconds(pid):
    """utime + stime of a process, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def clients_cpu_seconds():
    """CPU seconds of the child processes this run waited for (the curl clients)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Transfer:
    """The CPU seconds of one call of `fn` (a client transfer), per process of the path and for the client; with
    `settle`, counted until settle() returns too (work a service does after the answer: storing the blob)."""

    def __init__(self, label, pids, fn, settle=None):
        before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        client_before = clients_cpu_seconds()
        answer = fn()
        if settle:
            settle()
        self.by_process = {name: cpu_seconds(pid) - before[name] for name, pid in pids.items()}
        self.by_process["client (curl)"] = clients_cpu_seconds() - client_before
        self.label = label
        self.wall = answer.seconds
        self.total = sum(self.by_process.values())
        self.floor = self.total / os.cpu_count()
        log(f"   CPU of {label}: " + ", ".join(f"{n} {s:.2f}" for n, s in self.by_process.items())
            + f" = {self.total:.2f} s; wall {self.wall:.3f} s")

    def of(self, names):
        """The CPU seconds of some of the processes."""
        return sum(self.by_process[n] for n in names)

    def describe(self):
        parts = ", ".join(f"{name} {s:.2f}" for name, s in self.by_process.items())
        return f"{self.label}: {parts} = {self.total:.2f} CPU-s, at best {self.floor:.3f} s on {os.cpu_count()} cores"


def floor_row(path, ours, reference):
    """The ratio of the two floors: the best the path can do against its reference on this machine."""
    return Row(path, ours.describe(), reference.describe(), ours.floor / reference.floor)
