"""This machine: the tools a run needs, and its description in the report (cores, CPU, memory, kernel, date,
git commit)."""
import datetime
import os
import platform
import shutil
import subprocess
import sys

from .common import REPO_ROOT

TOOLS = {  # command -> Debian package
    "docker-registry": "docker-registry", "curl": "curl", "wrk": "wrk", "ab": "apache2-utils",
    "skopeo": "skopeo", "ss": "iproute2", "java": "openjdk-17-jre-headless", "git": "git"}


def check_tools():
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        pkgs = " ".join(sorted({TOOLS[t] for t in missing}))
        sys.exit(f"bench: missing {', '.join(missing)}: apt-get install {pkgs}")


def machine():
    mem = next(l for l in open("/proc/meminfo") if l.startswith("MemTotal:")).split()[1]
    model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    git = lambda *a: subprocess.run(["git", *a], cwd=REPO_ROOT, capture_output=True, text=True).stdout.strip()
    dirty = " (+ uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") else ""
    return {"cores (nproc)": str(os.cpu_count()), "CPU": model, "memory": f"{int(mem) / 1024 / 1024:.1f} GiB",
            "kernel": platform.release(), "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "git commit": git("rev-parse", "--short", "HEAD") + dirty}
