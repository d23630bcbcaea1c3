#!/usr/bin/env bash
# Update i18n/smartcity_qgis_ja.ts from the sources with pylupdate5 (keeps translations).
# Takes a lock so that parallel runs do not clobber the file.
set -euo pipefail
cd "$(dirname "$0")/.."
TS=i18n/smartcity_qgis_ja.ts
# -prune: .cache holds a whole Debian root (with /proc mounted while tests run in it).
mapfile -t files < <(find . \( -path ./.venv -o -path ./.cache -o -path ./tests -o -path ./dist \
  -o -path ./build -o -path ./scripts -o -path ./.git -o -path ./demo-output \) -prune -o -name '*.py' -print | sort)
exec 9>i18n/.lock
flock 9
pylupdate5 -noobsolete "${files[@]}" -ts "$TS" 2>&1 | grep -v -E 'DeprecationWarning|getdefaultlocale' || true
# The Japanese texts live in i18n/ja/*.tsv (source<TAB>translation), one file per room,
# so that work on different rooms never edits the same lines; apply them to the .ts.
exec 9>&-
python3 scripts/ts_translate.py i18n/ja/*.tsv | sed 's/^/i18n: /'
