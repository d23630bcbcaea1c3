#!/usr/bin/env bash
# Install what the project needs, only what is missing: Debian packages with apt-get,
# test-only Python packages into .venv. Idempotent; takes seconds when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  python3-qgis qgis-providers qgis           # QGIS 3.22 LTR bindings, providers, desktop
  python3-geopandas python3-rasterio python3-shapely python3-pyproj python3-numpy
  python3-requests python3-paho-mqtt python3-matplotlib
  mosquitto                                  # MQTT broker for push notifications
  python3-socks                              # PySocks: requests through SOCKS5 proxies
  microsocks                                 # a SOCKS5 server on loopback for the proxy tests
  openssl                                    # test CAs and certificates (MQTT over TLS)
  xvfb xauth                                 # the QGIS desktop without a display
  fonts-noto-cjk                             # Japanese text in figures
  qttools5-dev-tools pyqt5-dev-tools         # lrelease, pylupdate5
  python3-venv python3-pip
  poppler-utils                              # pdftoppm / pdftotext for figure tests
  python3-holidays python3-pandas            # independent holiday calendar and KPI arithmetic in tests
  debootstrap                                # the newest-QGIS (Debian testing) test root
  zip unzip
)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]})); then
  echo "deps: installing Debian packages: ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [[ ! -x .venv/bin/python ]]; then
  echo "deps: creating .venv over the system Python (with its QGIS bindings)"
  /usr/bin/python3 -m venv --system-site-packages .venv
fi
stamp=.venv/.requirements-test.stamp
if [[ ! -f $stamp ]] || ! cmp -s requirements-test.txt "$stamp"; then
  echo "deps: installing test-only Python packages into .venv"
  .venv/bin/pip install --disable-pip-version-check -q -r requirements-test.txt
  cp requirements-test.txt "$stamp"
fi
