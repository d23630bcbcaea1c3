#!/usr/bin/env bash
# Run the unit and qgis test levels under QGIS 3.40 (Debian 13 "trixie").
# The Debian 13 root is made once with debootstrap and cached in .cache/qgis340/root;
# the repository and ../shared are bind-mounted into it for each run.
#   scripts/qgis340.sh build        build (or finish building) the root
#   scripts/qgis340.sh test [ARGS]  run pytest in it (default: tests/unit tests/qgis)
#   scripts/qgis340.sh shell        a shell in it, with the mounts
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
SHARED=$(cd "$REPO/.." && pwd)/shared
ROOT=$REPO/.cache/qgis340/root
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
PACKAGES="python3-qgis qgis-providers python3-geopandas python3-rasterio python3-shapely \
python3-pyproj python3-numpy python3-requests python3-paho-mqtt python3-matplotlib \
python3-venv python3-pip mosquitto fonts-noto-cjk poppler-utils ca-certificates pyqt5-dev-tools \
qttools5-dev-tools"

need_root() { [[ $(id -u) -eq 0 ]] || { echo "qgis340: needs root (sudo make test)" >&2; exit 2; }; }

build() {
  need_root
  [[ -f $ROOT/.ready && $ROOT/.ready -nt $REPO/requirements-test.txt && $ROOT/.ready -nt $0 ]] && return 0
  mkdir -p "$(dirname "$ROOT")"
  if [[ ! -x $ROOT/usr/bin/apt-get || ! -f $ROOT/.debootstrapped ]]; then
    echo "qgis340: creating a Debian 13 root (about three minutes, once)"
    # Never delete through a mount left by a crashed run (/proc, /dev, the repository...).
    { findmnt -rn -o TARGET | grep "^$ROOT/" || true; } | sort -r | xargs -r -n1 umount -l
    rm -rf --one-file-system "$ROOT"
    debootstrap --variant=minbase trixie "$ROOT" "$MIRROR" >"$REPO/.cache/qgis340/debootstrap.log" 2>&1 \
      || { tail -20 "$REPO/.cache/qgis340/debootstrap.log"; exit 1; }
    touch "$ROOT/.debootstrapped"
  fi
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
  # Test-only wheels are fetched by the host's pip (Python 3.13 wheels): the root's Python
  # verifies TLS strictly and refuses the re-signing CAs of inspecting proxies.
  "$REPO/.venv/bin/pip" download -q --disable-pip-version-check --only-binary=:all: \
    --python-version 3.13 -d "$REPO/.cache/qgis340/wheels" -r "$REPO/requirements-test.txt"
  with_mounts chroot "$ROOT" /bin/sh -c "
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
    [ -x /opt/venv/bin/python ] || python3 -m venv --system-site-packages /opt/venv
    env -u PIP_FIND_LINKS /opt/venv/bin/pip install --disable-pip-version-check -q --no-index \
      --find-links /w/main/.cache/qgis340/wheels -r /w/main/requirements-test.txt"
  touch "$ROOT/.ready"
}

MOUNTS=()
mount_one() { mkdir -p "$2"; mount --bind "$1" "$2"; MOUNTS+=("$2"); }
unmount_all() {
  local i
  for ((i=${#MOUNTS[@]}-1; i>=0; i--)); do umount -l "${MOUNTS[$i]}" 2>/dev/null || true; done
  MOUNTS=()
}
with_mounts() {
  trap unmount_all EXIT
  mount_one /proc "$ROOT/proc"
  mount_one /dev "$ROOT/dev"
  mount_one /sys "$ROOT/sys"
  mount_one "$REPO" "$ROOT/w/main"
  [[ -d $SHARED ]] && mount_one "$SHARED" "$ROOT/w/shared"
  mkdir -p "$ROOT/tmp" && chmod 1777 "$ROOT/tmp"
  "$@"
  local rc=$?
  unmount_all
  trap - EXIT
  return $rc
}

run_tests() {
  build
  local args=("$@")
  ((${#args[@]})) || args=(tests/unit tests/qgis)
  set +e
  with_mounts chroot "$ROOT" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/tmp \
    LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen SMARTCITY_QGIS_ENV=qgis340 PROJ_DATA=/usr/share/proj \
    /bin/sh -c "cd /w/main && /opt/venv/bin/python -m pytest -p no:cacheprovider ${args[*]}"
  local rc=$?
  set -e
  return $rc
}

case "${1:-test}" in
  build) build ;;
  test) shift || true; run_tests "$@" ;;
  shell) build; with_mounts chroot "$ROOT" /bin/bash ;;
  *) echo "usage: $0 build|test|shell" >&2; exit 2 ;;
esac
