#!/usr/bin/env bash
# Run the unit and qgis test levels under the newest QGIS LTR that Debian packages: Debian
# testing ("forky", QGIS 3.44 in 2026). The root is made once with debootstrap and cached in
# .cache/qgis-newest/root; the repository (and ../shared when it exists) is bind-mounted into
# it for each run.
#   scripts/qgis_newest.sh build        build (or finish building) the root
#   scripts/qgis_newest.sh test [ARGS]  run pytest in it (default: tests/unit tests/qgis)
#   scripts/qgis_newest.sh shell        a shell in it, with the mounts
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
SHARED=$(cd "$REPO/.." && pwd)/shared
CACHE=$REPO/.cache/qgis-newest
ROOT=$CACHE/root
SUITE=${QGIS_NEWEST_SUITE:-forky}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
MIN_VALID_DAYS=${QGIS_NEWEST_MIN_VALID_DAYS:-180}
# The archive signs testing with the automatic signing keys of the current releases, which the
# host's debian-archive-keyring holds (Debian 12's has the 12 and 13 keys), so debootstrap
# verifies what it fetches. Inside the root, apt then uses the root's own, newer keyring.
# Should the archive move to a key the host does not know, point QGIS_NEWEST_KEYRING at a
# newer debian-archive-keyring.gpg.
KEYRING=${QGIS_NEWEST_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
PACKAGES="python3-qgis qgis-providers python3-geopandas python3-rasterio python3-shapely \
python3-pyproj python3-numpy python3-requests python3-paho-mqtt python3-matplotlib \
python3-venv python3-pip python3-socks mosquitto microsocks openssl fonts-noto-cjk poppler-utils \
ca-certificates pyqt5-dev-tools qttools5-dev-tools zip unzip git python3-holidays python3-pandas"

say() { echo "qgis-newest: $*" >&2; }
need_root() { [[ $(id -u) -eq 0 ]] || { say "needs root (sudo make test)"; exit 2; }; }

build() {
  need_root
  [[ -f $ROOT/.ready && $ROOT/.ready -nt $REPO/requirements-test.txt && $ROOT/.ready -nt $0 ]] && return 0
  mkdir -p "$CACHE"
  if [[ ! -x $ROOT/usr/bin/apt-get || ! -f $ROOT/.debootstrapped ]]; then
    say "creating a Debian $SUITE root (a few minutes, once)"
    # Never delete through a mount left by a crashed run (/proc, /dev, the repository...).
    { findmnt -rn -o TARGET | grep "^$ROOT/" || true; } | sort -r | xargs -r -n1 umount -l
    rm -rf --one-file-system "$ROOT"
    # Debian 12's debootstrap has no script named after testing's codename; testing is
    # bootstrapped like sid.
    debootstrap --variant=minbase --keyring="$KEYRING" "$SUITE" "$ROOT" "$MIRROR" \
      /usr/share/debootstrap/scripts/sid >"$CACHE/debootstrap.log" 2>&1 \
      || { tail -20 "$CACHE/debootstrap.log"; exit 1; }
    touch "$ROOT/.debootstrapped"
  fi
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
  # Testing's Release file is valid for one week only; a mirror or caching proxy that lags
  # behind would make apt refuse it. apt's own knob for lagging mirrors keeps it valid for
  # longer after its date; signatures and hashes are still checked.
  echo "Acquire::Min-ValidTime \"$((MIN_VALID_DAYS * 86400))\";" >"$ROOT/etc/apt/apt.conf.d/90lagging-mirror"
  with_mounts chroot "$ROOT" /bin/sh -c "
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get dist-upgrade -y -qq >/dev/null \
      && apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null"
  # Test-only wheels are fetched by the host's pip for the root's Python (testing moves from
  # one Python to the next): the root's Python verifies TLS strictly and refuses the
  # re-signing CAs of inspecting proxies.
  local pyver
  pyver=$(chroot "$ROOT" /usr/bin/python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  say "QGIS $(chroot "$ROOT" dpkg-query -W -f='${Version}' python3-qgis), Python $pyver"
  "$REPO/.venv/bin/pip" download -q --disable-pip-version-check --only-binary=:all: \
    --python-version "$pyver" -d "$CACHE/wheels-py$pyver" -r "$REPO/requirements-test.txt"
  with_mounts chroot "$ROOT" /bin/sh -c "
    [ -d /opt/venv/lib/python$pyver ] \
      || { rm -rf /opt/venv && python3 -m venv --system-site-packages /opt/venv; }
    env -u PIP_FIND_LINKS /opt/venv/bin/pip install --disable-pip-version-check -q --no-index \
      --find-links /w/main/.cache/qgis-newest/wheels-py$pyver -r /w/main/requirements-test.txt"
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
  if mountpoint -q /dev/pts; then mount_one /dev/pts "$ROOT/dev/pts"; fi  # apt's terminal log
  mount_one /sys "$ROOT/sys"
  mount_one "$REPO" "$ROOT/w/main"
  # The shared fixtures are mounted when they are there; the tests do not need them.
  if [[ -d $SHARED ]]; then mount_one "$SHARED" "$ROOT/w/shared"; fi
  mkdir -p "$ROOT/tmp" && chmod 1777 "$ROOT/tmp"
  set +e
  "$@"
  local rc=$?
  set -e
  unmount_all
  trap - EXIT
  return $rc
}

run_tests() {
  build
  local args=("$@")
  ((${#args[@]})) || args=(tests/unit tests/qgis)
  with_mounts chroot "$ROOT" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/tmp \
    LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen SMARTCITY_QGIS_ENV=qgis-newest PROJ_DATA=/usr/share/proj \
    PYTHONDONTWRITEBYTECODE=1 GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=safe.directory GIT_CONFIG_VALUE_0='*' \
    /bin/sh -c "cd /w/main && /opt/venv/bin/python -m pytest -p no:cacheprovider ${args[*]}"
}

case "${1:-test}" in
  build) build ;;
  test) shift || true; run_tests "$@" ;;
  shell) build; with_mounts chroot "$ROOT" /bin/bash ;;
  *) echo "usage: $0 build|test|shell" >&2; exit 2 ;;
esac
