#!/usr/bin/env bash
# Installs what the test suite drives for real: the CNCF distribution registry (test upstream), skopeo and
# podman (clients), htpasswd (the bcrypt file of a Basic-auth upstream), headless Chromium and its WebDriver (the
# admin page's browser tests), promtool (checks the shipped alert rules; Debian's `prometheus` package, which also
# brings the Prometheus server: on a machine running systemd, `systemctl disable --now prometheus` if you do not want
# it running). PostgreSQL and the S3 server come from Maven (embedded PostgreSQL, S3Proxy).
# Fails loudly when something is missing and cannot be installed. `--bench`: also the load generators of
# `make bench` (wrk, ab).
set -euo pipefail

required=(docker-registry skopeo htpasswd chromium chromedriver promtool)
optional=(podman)
packages=(docker-registry skopeo podman uidmap fuse-overlayfs containerd curl apache2-utils chromium chromium-driver
  prometheus)
if [ "${1:-}" = "--bench" ]; then
  required+=(wrk ab)
  packages+=(wrk iproute2)
fi

missing=()
for tool in "${required[@]}" "${optional[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-test-deps: missing ${missing[*]}; installing ${packages[*]}" >&2
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  else
    echo "install-test-deps: no apt-get here; install ${missing[*]} yourself (Debian packages: ${packages[*]})" >&2
  fi
fi

for tool in "${required[@]}"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "install-test-deps: $tool is still missing; the end-to-end tests cannot run without it" >&2
    exit 1
  fi
done

# the manifest tests render k8s/ with kubectl's kustomize v5
"$(dirname "$0")/../manifest-tests/install-kubectl.sh"
