#!/usr/bin/env bash
# The benchmark of design.md §9, side by side in one run on loopback:
#   - cold pull of a blob through the accelerator vs a direct GET from the upstream
#   - a cached blob through the accelerator vs a direct GET from the S3 server
#   - 16 concurrent cold pulls of one blob vs a single cold pull, and how many upstream GETs they cost
#   - accelerator peak resident memory while serving concurrent streams of a cached blob
#   - digest-addressed manifest hits per second vs CNCF distribution in proxy mode (wrk)
# Prints ratios measured in this run. Every transfer is checked: status 200 and the full body, or the run fails.
# Usage: deploy/bench/run.sh [blob MiB (default 256)] [streams (default 64)]
# Optional: DP_BENCH_CONTROL_PLANE_JAR / DP_BENCH_ACCELERATOR_JAR run other builds than the ones in target/;
# DP_BENCH_REPEAT (default 3) is how many times each single transfer is timed (the best one counts).
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/../.."
BLOB_MIB=${1:-256}
STREAMS=${2:-64}
REPEAT=${DP_BENCH_REPEAT:-3}
for tool in docker-registry curl wrk jq python3 ss; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install docker-registry curl wrk jq iproute2)" >&2; exit 1; }
done
[ -f deploy/local-runner/target/local-runner.jar ] || ./mvnw -B -q -ntp -DskipTests install
RUNNER_ARGS=()
[ -n "${DP_BENCH_CONTROL_PLANE_JAR:-}" ] && RUNNER_ARGS+=(--control-plane-jar "$DP_BENCH_CONTROL_PLANE_JAR")
[ -n "${DP_BENCH_ACCELERATOR_JAR:-}" ] && RUNNER_ARGS+=(--accelerator-jar "$DP_BENCH_ACCELERATOR_JAR")

WORK=$(mktemp -d /tmp/dp-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
fail() { echo "bench: FAILED: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 600); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.2; done; echo "port $1 never opened" >&2; return 1; }
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
mibps() { python3 -c "print(f'{$BLOB_BYTES/1048576/$1:.0f}')"; }

# get EXPECTED_BYTES curl-args... -> seconds; fails loudly unless the answer is 200 with exactly EXPECTED_BYTES
get() {
  local expected=$1 out code size time; shift
  out=$(curl -s -o /dev/null -w '%{http_code} %{size_download} %{time_total}' "$@") || true
  read -r code size time <<<"$out"
  [ "$code" = 200 ] && [ "$size" = "$expected" ] || fail "GET ${*: -1} answered ${code:-no status} with ${size:-0} of $expected bytes"
  echo "$time"
}
# best N EXPECTED_BYTES curl-args... -> the fastest of N checked GETs
best() {
  local n=$1 b=999999 t; shift
  for _ in $(seq 1 "$n"); do t=$(get "$@"); b=$(python3 -c "print(min($b,$t))"); done
  echo "$b"
}
# parallel N EXPECTED_BYTES curl-args... -> wall seconds for N concurrent checked GETs (call it in a subshell)
parallel() {
  local n=$1 expected=$2 start end i bad=0; shift 2
  start=$(date +%s.%N)
  for i in $(seq 1 "$n"); do curl -s -o /dev/null -w '%{http_code} %{size_download}\n' "$@" >"$WORK/par.$i" & done
  wait
  end=$(date +%s.%N)
  for i in $(seq 1 "$n"); do
    [ "$(cat "$WORK/par.$i")" = "200 $expected" ] || { echo "bench: stream $i answered $(cat "$WORK/par.$i")" >&2; bad=1; }
  done
  [ "$bad" = 0 ] || fail "$n concurrent GETs of ${*: -1} did not all answer 200 with the full body"
  python3 -c "print($end-$start)"
}

start_registry() { # name port [proxy-remote]
  local dir="$WORK/$1"; mkdir -p "$dir/storage"
  { echo "version: 0.1"; echo "log: {level: error, accesslog: {disabled: false}}";
    echo "storage: {filesystem: {rootdirectory: $dir/storage}, delete: {enabled: true}}";
    echo "http: {addr: 127.0.0.1:$2, secret: bench}";
    [ -n "${3:-}" ] && echo "proxy: {remoteurl: $3}"; } > "$dir/config.yml"
  docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 & PIDS+=($!)
  wait_port "$2"
}

push_blob() { # registry-url repo file -> digest
  local digest="sha256:$(sha256sum "$3" | cut -d' ' -f1)" location
  location=$(curl -sf -D - -o /dev/null -X POST "$1/v2/$2/blobs/uploads/" | tr -d '\r' | awk -F': ' 'tolower($1)=="location"{print $2}')
  case "$location" in http*) ;; *) location="$1$location" ;; esac
  curl -sf -X PUT -H 'Content-Type: application/octet-stream' --data-binary @"$3" "$location&digest=$digest" >/dev/null
  echo "$digest"
}

echo "== preparing a ${BLOB_MIB} MiB layer in a real upstream (CNCF distribution)"
UP_PORT=$(free_port); start_registry upstream "$UP_PORT"; UP="http://127.0.0.1:$UP_PORT"
head -c "$((BLOB_MIB * 1024 * 1024))" /dev/urandom > "$WORK/layer"
BLOB_BYTES=$(stat -c %s "$WORK/layer")
echo '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}' > "$WORK/config"
LAYER=$(push_blob "$UP" library/bench "$WORK/layer"); CONFIG=$(push_blob "$UP" library/bench "$WORK/config")
jq -nc --arg c "$CONFIG" --arg l "$LAYER" --argjson cs "$(stat -c %s "$WORK/config")" --argjson ls "$BLOB_BYTES" \
  '{schemaVersion:2,mediaType:"application/vnd.oci.image.manifest.v1+json",
    config:{mediaType:"application/vnd.oci.image.config.v1+json",digest:$c,size:$cs},
    layers:[{mediaType:"application/vnd.oci.image.layer.v1.tar",digest:$l,size:$ls}]}' > "$WORK/manifest"
MANIFEST="sha256:$(sha256sum "$WORK/manifest" | cut -d' ' -f1)"
curl -sf -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary @"$WORK/manifest" \
  "$UP/v2/library/bench/manifests/v1" >/dev/null

echo "== starting the product (make run's runner) and distribution in proxy mode"
HTTP_PORT=$(free_port); CP_PORT=$(free_port); TOKEN=dpat-bench-$(date +%s)
DP_DATA_DIR="$WORK/data" DP_HTTP_PORT=$HTTP_PORT DP_CONTROL_PLANE_PORT=$CP_PORT DP_ADMIN_TOKEN=$TOKEN \
  DP_UPSTREAM_URL=$UP DP_UPSTREAM_SINGLE_NAME_PREFIX=library \
  java -jar deploy/local-runner/target/local-runner.jar "${RUNNER_ARGS[@]}" >"$WORK/runner.log" 2>&1 & PIDS+=($!)
for _ in $(seq 1 600); do grep -q "Admin token:" "$WORK/runner.log" && break; sleep 0.5; done
grep -q "Admin token:" "$WORK/runner.log" || { cat "$WORK/runner.log"; exit 1; }
PX_PORT=$(free_port); start_registry peer "$PX_PORT" "$UP"; PEER="http://127.0.0.1:$PX_PORT"
ACC="http://127.0.0.1:$HTTP_PORT"
ACC_PID=$(ss -ltnpH "sport = :$HTTP_PORT" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
[ -n "$ACC_PID" ] || fail "no process listens on the accelerator port $HTTP_PORT"
COLD_GROUPS=$(seq -f cold%g 1 "$REPEAT")
for g in $COLD_GROUPS coalesce; do
  curl -sf -H "PRIVATE-TOKEN: $TOKEN" -X POST "$ACC/api/v4/groups" -d "name=$g&path=$g" >/dev/null
done
JWT=$(curl -sf -u "root:$TOKEN" "$ACC/jwt/auth?service=dependency_proxy" | jq -r .token)
AUTH="Authorization: Bearer $JWT"
blob() { echo "$ACC/v2/$1/dependency_proxy/containers/bench/blobs/$LAYER"; }
upstream_gets() { grep -c "\"GET /v2/library/bench/blobs/$LAYER" "$WORK/upstream/log" || true; }
await_cached() { # group: waits until the accelerator answers the blob as a cache hit
  for _ in $(seq 1 600); do
    curl -s -I -H "$AUTH" "$(blob "$1")" | tr -d '\r' | grep -qi '^x-dependency-proxy-cache: hit' && return 0; sleep 0.2
  done
  fail "the blob of group $1 was never stored"
}

echo "== 1. cold pull: accelerator (stream + store in one pass) vs direct upstream GET (best of $REPEAT each)"
direct=$(best "$REPEAT" "$BLOB_BYTES" "$UP/v2/library/bench/blobs/$LAYER")
cold=999999
for g in $COLD_GROUPS; do
  t=$(get "$BLOB_BYTES" -H "$AUTH" "$(blob "$g")"); cold=$(python3 -c "print(min($cold,$t))")
  await_cached "$g"
done
echo "direct upstream ${direct}s, cold through accelerator ${cold}s, ratio $(ratio "$cold" "$direct") (target <= 1.15)"

echo "== 2. cached blob: accelerator vs direct GET from the S3 server (best of $REPEAT each, both 200 + full body)"
S3_PORT=$(cat "$WORK/data/s3.port")
S3_AK=$(sed -n 's/^s3\.access-key=//p' "$WORK/data/credentials.properties")
S3_SK=$(sed -n 's/^s3\.secret-key=//p' "$WORK/data/credentials.properties")
GROUP_ID=$(curl -sf -H "PRIVATE-TOKEN: $TOKEN" "$ACC/api/v4/groups/cold1" | jq -r .id)
S3_URL="http://127.0.0.1:$S3_PORT/dependency-proxy/dependency_proxy/$GROUP_ID/blobs/sha256/${LAYER#sha256:}"
# curl signs no payload hash unless told; S3 servers then refuse the request (XAmzContentSHA256Mismatch)
s3=$(best "$REPEAT" "$BLOB_BYTES" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" --aws-sigv4 "aws:amz:us-east-1:s3" \
  --user "$S3_AK:$S3_SK" "$S3_URL")
hit=$(best "$REPEAT" "$BLOB_BYTES" -H "$AUTH" "$(blob cold1)")
echo "direct S3 ${s3}s ($(mibps "$s3") MiB/s), cached through accelerator ${hit}s ($(mibps "$hit") MiB/s)," \
  "throughput ratio $(ratio "$s3" "$hit") (target >= 0.9)"

echo "== 3. 16 concurrent cold pulls of one blob vs one cold pull"
before=$(upstream_gets)
concurrent=$(parallel 16 "$BLOB_BYTES" -H "$AUTH" "$(blob coalesce)")
echo "16 concurrent ${concurrent}s vs single cold ${cold}s: ratio $(ratio "$concurrent" "$cold") (target <= 1.3)," \
  "upstream GETs: $(( $(upstream_gets) - before )) (target 1)"

echo "== 4. accelerator peak RSS with $STREAMS concurrent streams of the cached ${BLOB_MIB} MiB blob"
rss() { awk '/VmRSS/{print $2}' "/proc/$ACC_PID/status"; }
idle=$(rss)
parallel "$STREAMS" "$BLOB_BYTES" -H "$AUTH" "$(blob cold1)" >"$WORK/streams.secs" & STREAMING=$!
peak=0; while kill -0 "$STREAMING" 2>/dev/null; do r=$(rss); [ "$r" -gt "$peak" ] && peak=$r; sleep 0.2; done
wait "$STREAMING" || fail "the concurrent streams failed"
echo "accelerator RSS idle $((idle / 1024)) MiB, peak $((peak / 1024)) MiB (target <= 300 MiB);" \
  "$STREAMS streams took $(cat "$WORK/streams.secs")s, $(python3 -c "print(f'{$STREAMS*$BLOB_BYTES/1048576/$(cat "$WORK/streams.secs"):.0f}')") MiB/s in total"

echo "== 5. digest-addressed manifest hits per second: accelerator vs distribution proxy (wrk, 16 connections, 10 s)"
MPATH="/v2/cold1/dependency_proxy/containers/bench/manifests/$MANIFEST"
MBYTES=$(stat -c %s "$WORK/manifest")
ACCEPT="Accept: application/vnd.oci.image.manifest.v1+json"
get "$MBYTES" -H "$AUTH" -H "$ACCEPT" "$ACC$MPATH" >/dev/null
get "$MBYTES" -H "$AUTH" -H "$ACCEPT" "$ACC$MPATH" >/dev/null
get "$MBYTES" -H "$ACCEPT" "$PEER/v2/library/bench/manifests/$MANIFEST" >/dev/null
cat > "$WORK/headers.lua" <<LUA
wrk.headers["Accept"] = "application/vnd.oci.image.manifest.v1+json"
wrk.headers["Authorization"] = "Bearer $JWT"
LUA
rps() { # url -> requests/s; fails loudly on any non-2xx answer or socket error
  local out; out=$(wrk -t2 -c16 -d10s --latency -s "$WORK/headers.lua" "$1")
  if grep -q 'Non-2xx\|Socket errors' <<<"$out"; then echo "$out" >&2; fail "wrk saw errors on $1"; fi
  echo "$(awk '/Requests\/sec/{print $2}' <<<"$out") (p50 $(awk '$1=="50%"{print $2}' <<<"$out"), p99 $(awk '$1=="99%"{print $2}' <<<"$out"))"
}
ours=$(rps "$ACC$MPATH"); peer=$(rps "$PEER/v2/library/bench/manifests/$MANIFEST")
echo "accelerator ${ours} req/s, distribution proxy ${peer} req/s, ratio $(ratio "${ours%% *}" "${peer%% *}") (target > 1)"
