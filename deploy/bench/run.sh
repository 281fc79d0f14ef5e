#!/usr/bin/env bash
# `make bench`: the side-by-side benchmark of docs/operations.md (see bench.py and the package dpbench/ it runs;
# `run.sh --help`, `run.sh --quick`).
set -euo pipefail
exec python3 "$(dirname "$0")/bench.py" "$@"
