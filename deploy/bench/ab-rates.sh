#!/usr/bin/env bash
# Request rates of two accelerator builds, interleaved, in one run: each build behind its own local runner with
# the same control plane; /-/health/live (the accelerator alone), /v2/ with a bearer token and /jwt/auth (both
# forwarded to the control plane), 4 s of wrk each, ROUNDS rounds (the first WARMUP are left out of the medians:
# both JVMs are still compiling then). Every answer must be 200 (wrk's non-2xx count fails the run).
#   deploy/bench/ab-rates.sh OLD_ACCELERATOR_JAR NEW_ACCELERATOR_JAR [ROUNDS] [WARMUP]
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 2 ] || { sed -n 2,6p "$0"; exit 2; }
ROUNDS=${3:-10}
WARMUP=${4:-4}
TOKEN=dpat-ab-rates-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
WORK=$(mktemp -d)
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start() { # name accelerator-jar
  local port cp
  port=$(free_port); cp=$(free_port)
  mkdir -p "$WORK/$1"
  echo "$port" > "$WORK/$1/port"
  env -i PATH="$PATH" HOME="$HOME" DP_DATA_DIR="$WORK/$1/data" DP_HTTP_PORT="$port" DP_CONTROL_PLANE_PORT="$cp" \
    DP_EXTERNAL_URL="http://127.0.0.1:$port" DP_ADMIN_TOKEN="$TOKEN" DP_UPSTREAM_URL=http://127.0.0.1:9 \
    DP_LOG_FORMAT=text QUARKUS_HTTP_HOST=127.0.0.1 \
    java -jar deploy/local-runner/target/local-runner.jar \
    --control-plane-jar control-plane/target/quarkus-app/quarkus-run.jar --accelerator-jar "$2" \
    > "$WORK/$1/log" 2>&1 &
  PIDS+=($!)
}
start old "$1"
start new "$2"
for name in old new; do
  for _ in $(seq 300); do grep -q "Admin token:" "$WORK/$name/log" && break; sleep 1; done
  grep -q "Admin token:" "$WORK/$name/log" || { tail -50 "$WORK/$name/log"; exit 1; }
done
basic=$(printf 'root:%s' "$TOKEN" | base64 -w0)
printf 'wrk.headers["Authorization"] = "Basic %s"\n' "$basic" > "$WORK/basic.lua"
rate() { # url [wrk args]: requests/s, or fail on any answer but 2xx
  local out
  out=$(wrk -t2 -c16 -d4s "${@:2}" "$1" 2>&1)
  if grep -q "Non-2xx" <<<"$out"; then echo "non-2xx answers from $1:" >&2; echo "$out" >&2; exit 1; fi
  awk '/Requests\/sec/{print $2}' <<<"$out"
}
for r in $(seq "$ROUNDS"); do
  for name in old new; do
    port=$(cat "$WORK/$name/port")
    base="http://127.0.0.1:$port"
    bearer=$(curl -sf -u "root:$TOKEN" "$base/jwt/auth?service=dependency_proxy" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
    echo "$r $name live $(rate "$base/-/health/live")"
    echo "$r $name v2 $(rate "$base/v2/" -H "Authorization: Bearer $bearer")"
    echo "$r $name jwt $(rate "$base/jwt/auth?service=dependency_proxy" -s "$WORK/basic.lua")"
  done
done | tee "$WORK/rates.txt"
python3 - "$WORK/rates.txt" "$WARMUP" <<'PY'
import collections, statistics, sys
rates = collections.defaultdict(list)
for line in open(sys.argv[1]):
    r, name, path, value = line.split()
    if int(r) > int(sys.argv[2]):
        rates[(path, name)].append(float(value))
print("| path | old (req/s, median) | new (req/s, median) | new/old |\n|---|---|---|---|")
for path in ("live", "v2", "jwt"):
    old, new = statistics.median(rates[(path, "old")]), statistics.median(rates[(path, "new")])
    print(f"| {path} | {old:,.0f} | {new:,.0f} | {new / old:.2f} |")
PY
