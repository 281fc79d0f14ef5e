#!/usr/bin/env python3
"""`make soak`: concurrent clients pulling manifests and blobs, cold and warm (`soak.py --help`); the code is
dpbench/soak.py next to this file."""
import sys

from dpbench.soak import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
