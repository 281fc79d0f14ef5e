"""`python3 -m dpbench` (from deploy/bench): the same as deploy/bench/bench.py."""
import sys

from .cli import main

sys.exit(main(sys.argv[1:]))
