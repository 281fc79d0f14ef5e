#!/usr/bin/env bash
# Builds the two service images without a Docker engine or Docker Hub: podman (daemonless) builds the
# Dockerfiles beside this script on a JRE base image made from Debian packages (mmdebstrap + podman import).
#
#   ./mvnw -DskipTests package            # the artifacts the Dockerfiles copy
#   deploy/images/build.sh                # -> dependency-proxy/{accelerator,control-plane}:dev in podman
#   deploy/images/build.sh --save out/    # also out/{accelerator,control-plane}.tar (docker-archive), for
#                                         #   `kind load image-archive`, `docker load` or `skopeo copy`
#
# Environment: TAG (default dev); BASE_IMAGE (default: the Debian-made base, built once and then reused;
# set eclipse-temurin:17-jre where a registry serving it is reachable); DEBIAN_SUITE (default bookworm).
# Timings on a 2-core machine: the base image 3 to 6 minutes, once (it downloads and installs
# openjdk-17-jre-headless); then a second or two per service image, plus about 8 s per saved archive.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
images="$root/deploy/images"
tag=${TAG:-dev}
local_base=localhost/dependency-proxy/jre-base:17
base_image=${BASE_IMAGE:-$local_base}
suite=${DEBIAN_SUITE:-bookworm}
save_dir=""

while [ $# -gt 0 ]; do
  case "$1" in
    --save) save_dir=${2:?--save needs a directory}; shift 2 ;;
    -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "build.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

fail() { echo "build.sh: $*" >&2; exit 1; }

# Installs a Debian package when its command is missing (as the test-deps script does), or says which.
need() {
  local command=$1 package=$2
  command -v "$command" >/dev/null 2>&1 && return 0
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    echo "build.sh: installing $package" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >/dev/null
  fi
  command -v "$command" >/dev/null 2>&1 || fail "$command is missing: install the Debian package $package"
}

# A Debian root filesystem with only the essential packages, the JRE and CA certificates, and the
# service user 10001 (named app). Docs, man pages and locales are left out; man1 must still exist
# because the JRE's postinst registers alternatives for its man pages.
build_base() {
  need mmdebstrap mmdebstrap
  rootfs=$(mktemp --suffix=.tar)
  trap 'rm -f "$rootfs"' EXIT
  echo "build.sh: building $local_base from Debian $suite (takes a few minutes)" >&2
  mmdebstrap --quiet --variant=essential --mode=root \
    --include=openjdk-17-jre-headless,ca-certificates \
    --aptopt='APT::Install-Recommends "false"' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --setup-hook='mkdir -p "$1/usr/share/man/man1"' \
    --customize-hook='useradd --root "$1" --uid 10001 --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app' \
    "$suite" "$rootfs"
  podman import --quiet --change 'CMD ["/bin/sh"]' "$rootfs" "$local_base" >/dev/null
  rm -f "$rootfs"
}

need podman podman
[ -f "$root/accelerator/target/accelerator.jar" ] \
  || fail "accelerator/target/accelerator.jar is missing: run ./mvnw -DskipTests package first"
[ -f "$root/control-plane/target/quarkus-app/quarkus-run.jar" ] \
  || fail "control-plane/target/quarkus-app/ is missing: run ./mvnw -DskipTests package first"

if [ "$base_image" = "$local_base" ] && ! podman image exists "$local_base"; then
  build_base
fi

for service in accelerator control-plane; do
  # docker.io/dependency-proxy/<service> is the full form of the short name the k8s overlays use, so a
  # saved archive loads into kind or containerd under the name the pods ask for.
  name="docker.io/dependency-proxy/$service:$tag"
  podman build --quiet --file "$images/$service.Dockerfile" --build-arg "BASE_IMAGE=$base_image" \
    --tag "$name" "$root" >/dev/null
  echo "build.sh: built $name" >&2
  if [ -n "$save_dir" ]; then
    mkdir -p "$save_dir"
    rm -f "$save_dir/$service.tar"
    podman save --quiet --format docker-archive --output "$save_dir/$service.tar" "$name"
    echo "build.sh: saved $save_dir/$service.tar" >&2
  fi
done
