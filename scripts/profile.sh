#!/usr/bin/env bash
# Prepare a dedicated QGIS profile with the plugin enabled.
#   scripts/profile.sh PROFILES_DIR link          link the working tree (development)
#   scripts/profile.sh PROFILES_DIR zip FILE.zip  install a built zip (as a user would)
# Optional: LOCALE=ja to force QGIS's user interface language.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
PROFILES=$1
MODE=${2:-link}
NAME=SmartCityQGIS
PROFILE=$PROFILES/profiles/smartcity  # QGIS looks in <profiles-path>/profiles/<name>
PLUGINS=$PROFILE/python/plugins
mkdir -p "$PLUGINS" "$PROFILE/QGIS"
rm -rf "${PLUGINS:?}/$NAME"
case $MODE in
  link) ln -s "$REPO" "$PLUGINS/$NAME" ;;
  zip) unzip -q "$3" -d "$PLUGINS" ;;
  *) echo "usage: $0 DIR link|zip FILE" >&2; exit 2 ;;
esac
INI=$PROFILE/QGIS/QGIS3.ini
python3 - "$INI" "${LOCALE:-}" <<'PYEOF'
import configparser, sys
ini, locale = sys.argv[1], sys.argv[2]
cfg = configparser.RawConfigParser()
cfg.optionxform = str
cfg.read(ini, encoding="utf-8")
for section in ("PythonPlugins", "locale", "qgis", "app"):
    if not cfg.has_section(section):
        cfg.add_section(section)
cfg.set("PythonPlugins", "SmartCityQGIS", "true")
cfg.set("qgis", "checkVersion", "false")
cfg.set("qgis", "showTips", "false")
cfg.set("app", "askToSaveMemoryLayers", "false")
if locale:
    cfg.set("locale", "overrideFlag", "true")
    cfg.set("locale", "userLocale", locale)
with open(ini, "w", encoding="utf-8") as fh:
    cfg.write(fh, space_around_delimiters=False)
PYEOF
echo "$PROFILE"
