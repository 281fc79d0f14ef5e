#!/usr/bin/env bash
# The benchmark of design.md §9, side by side in one run on loopback:
#   - cold pull of a blob through the accelerator vs a direct GET from the upstream
#   - a cached blob through the accelerator vs a direct GET from the S3 server
#   - 16 concurrent cold pulls of one blob vs a single cold pull, and how many upstream GETs they cost
#   - accelerator peak resident memory while serving concurrent streams of a cached blob
#   - digest-addressed manifest hits per second vs CNCF distribution in proxy mode (wrk)
# Prints ratios measured in this run. Usage: deploy/bench/run.sh [blob MiB (default 256)] [streams (default 64)]
set -euo pipefail
cd "$(dirname "$0")/../.."
BLOB_MIB=${1:-256}
STREAMS=${2:-64}
for tool in docker-registry curl wrk jq python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install docker-registry curl wrk jq)" >&2; exit 1; }
done
[ -f deploy/local-runner/target/local-runner.jar ] || ./mvnw -B -q -ntp -DskipTests install

WORK=$(mktemp -d /tmp/dp-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 600); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.2; done; echo "port $1 never opened" >&2; return 1; }
secs() { curl -s -o /dev/null -w '%{time_total}' "$@"; }
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }

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
echo '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}' > "$WORK/config"
LAYER=$(push_blob "$UP" library/bench "$WORK/layer"); CONFIG=$(push_blob "$UP" library/bench "$WORK/config")
jq -nc --arg c "$CONFIG" --arg l "$LAYER" --argjson cs "$(stat -c %s "$WORK/config")" --argjson ls "$(stat -c %s "$WORK/layer")" \
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
  java -jar deploy/local-runner/target/local-runner.jar >"$WORK/runner.log" 2>&1 & PIDS+=($!)
for _ in $(seq 1 600); do grep -q "Admin token:" "$WORK/runner.log" && break; sleep 0.5; done
grep -q "Admin token:" "$WORK/runner.log" || { cat "$WORK/runner.log"; exit 1; }
PX_PORT=$(free_port); start_registry peer "$PX_PORT" "$UP"; PEER="http://127.0.0.1:$PX_PORT"
ACC="http://127.0.0.1:$HTTP_PORT"
for g in cold coalesce; do
  curl -sf -H "PRIVATE-TOKEN: $TOKEN" -X POST "$ACC/api/v4/groups" -d "name=$g&path=$g" >/dev/null
done
JWT=$(curl -sf -u "root:$TOKEN" "$ACC/jwt/auth?service=dependency_proxy" | jq -r .token)
AUTH="Authorization: Bearer $JWT"
blob() { echo "$ACC/v2/$1/dependency_proxy/containers/bench/blobs/$LAYER"; }
upstream_gets() { grep -c "\"GET /v2/library/bench/blobs/$LAYER" "$WORK/upstream/log" || true; }

echo "== 1. cold pull: accelerator (stream + store in one pass) vs direct upstream GET"
direct=$(secs "$UP/v2/library/bench/blobs/$LAYER")
cold=$(secs -H "$AUTH" "$(blob cold)")
echo "direct upstream ${direct}s, cold through accelerator ${cold}s, ratio $(ratio "$cold" "$direct") (target <= 1.15)"

echo "== 2. cached blob: accelerator vs direct GET from the S3 server"
sleep 2
S3_PORT=$(cat "$WORK/data/s3.port"); S3_AK=$(grep -i access "$WORK/data/credentials.properties" | cut -d= -f2)
S3_SK=$(grep -i secret "$WORK/data/credentials.properties" | cut -d= -f2)
GROUP_ID=$(curl -sf -H "PRIVATE-TOKEN: $TOKEN" "$ACC/api/v4/groups/cold" | jq -r .id)
S3_URL="http://127.0.0.1:$S3_PORT/dependency-proxy/dependency_proxy/$GROUP_ID/blobs/sha256/${LAYER#sha256:}"
best() { local b=999; for _ in 1 2 3; do t=$("$@"); b=$(python3 -c "print(min($b,$t))"); done; echo "$b"; }
s3=$(best secs --aws-sigv4 "aws:amz:us-east-1:s3" --user "$S3_AK:$S3_SK" "$S3_URL")
hit=$(best secs -H "$AUTH" "$(blob cold)")
echo "direct S3 ${s3}s, cached through accelerator ${hit}s, throughput ratio $(ratio "$s3" "$hit") (target >= 0.9)"

echo "== 3. 16 concurrent cold pulls of one blob vs one cold pull"
before=$(upstream_gets)
start=$(date +%s.%N)
( for _ in $(seq 1 16); do curl -s -o /dev/null -H "$AUTH" "$(blob coalesce)" & done; wait )
end=$(date +%s.%N); concurrent=$(python3 -c "print($end-$start)")
echo "16 concurrent ${concurrent}s vs single cold ${cold}s: ratio $(ratio "$concurrent" "$cold") (target <= 1.3), upstream GETs: $(( $(upstream_gets) - before )) (target 1)"

echo "== 4. accelerator peak RSS with $STREAMS concurrent streams of the cached ${BLOB_MIB} MiB blob"
ACC_PID=$(pgrep -f 'accelerator.jar' | head -1)
( for _ in $(seq 1 "$STREAMS"); do curl -s -o /dev/null -H "$AUTH" "$(blob cold)" & done; wait ) & STREAMING=$!
peak=0; while kill -0 "$STREAMING" 2>/dev/null; do
  rss=$(awk '/VmRSS/{print $2}' "/proc/$ACC_PID/status"); [ "$rss" -gt "$peak" ] && peak=$rss; sleep 0.2; done
echo "accelerator peak RSS $((peak / 1024)) MiB (target <= 300 MiB)"

echo "== 5. digest-addressed manifest hits per second: accelerator vs distribution proxy (wrk, 16 connections, 10 s)"
MPATH="/v2/cold/dependency_proxy/containers/bench/manifests/$MANIFEST"
curl -sf -o /dev/null -H "$AUTH" -H "Accept: application/vnd.oci.image.manifest.v1+json" "$ACC$MPATH"
curl -sf -o /dev/null -H "Accept: application/vnd.oci.image.manifest.v1+json" "$PEER/v2/library/bench/manifests/$MANIFEST"
cat > "$WORK/headers.lua" <<LUA
wrk.headers["Accept"] = "application/vnd.oci.image.manifest.v1+json"
wrk.headers["Authorization"] = "Bearer $JWT"
LUA
rps() { wrk -t2 -c16 -d10s -s "$WORK/headers.lua" "$1" | awk '/Requests\/sec/{print $2}'; }
ours=$(rps "$ACC$MPATH"); peer=$(rps "$PEER/v2/library/bench/manifests/$MANIFEST")
echo "accelerator ${ours} req/s, distribution proxy ${peer} req/s, ratio $(ratio "$ours" "$peer") (target > 1)"
