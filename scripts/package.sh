#!/usr/bin/env bash
# Build the "Install from ZIP" archive: one top folder, compiled .qm, no tests or dev files.
#   scripts/package.sh PLUGIN_FOLDER_NAME OUTPUT.zip
set -euo pipefail
cd "$(dirname "$0")/.."
NAME=$1
OUT=$2
[[ $OUT = /* ]] || OUT=$PWD/$OUT
lrelease -silent i18n/smartcity_qgis_ja.ts -qm i18n/smartcity_qgis_ja.qm
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/$NAME"
cp metadata.txt __init__.py plugin.py LICENSE README.md "$STAGE/$NAME/"
mkdir -p "$STAGE/$NAME/i18n"
cp i18n/*.qm "$STAGE/$NAME/i18n/"
# git ls-files: only what the project tracks (no caches, no local outputs).
git ls-files -z smartcity_qgis resources ':!resources/screenshots' | while IFS= read -r -d '' f; do
  mkdir -p "$STAGE/$NAME/$(dirname "$f")"
  cp "$f" "$STAGE/$NAME/$f"
done
# Files created but not yet committed still belong in a local build.
git ls-files -z --others --exclude-standard smartcity_qgis resources ':!resources/screenshots' | while IFS= read -r -d '' f; do
  mkdir -p "$STAGE/$NAME/$(dirname "$f")"
  cp "$f" "$STAGE/$NAME/$f"
done
find "$STAGE" -name '__pycache__' -prune -exec rm -rf {} +
mkdir -p "$(dirname "$OUT")"
rm -f "$OUT"
(cd "$STAGE" && zip -qr -X "$OUT" "$NAME")
echo "$OUT"
