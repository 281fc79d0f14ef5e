#!/usr/bin/env python3
"""`make bench`: the side-by-side benchmark of docs/operations.md (`bench.py --help`, `bench.py --quick`).

The code is the package dpbench next to this file; its docstring (dpbench/__init__.py) says what each module
holds."""
import sys

from dpbench.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
