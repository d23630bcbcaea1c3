#!/usr/bin/env bash
# Run the test levels; a failure in any level fails the run, but every level runs.
#   scripts/test.sh all|unit|qgis|e2e|qgis-newest|lint
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
REPORTS=.cache/test-reports
mkdir -p "$REPORTS"
rm -f "$REPORTS"/*.xml
failed_levels=()

run_level() {  # name, command...
  local name=$1; shift
  echo
  echo "=== $name ==="
  "$@"
  local rc=$?
  # pytest's 5 = "no tests collected": a level with no tests yet is not a failure.
  if [[ $rc -ne 0 && $rc -ne 5 ]]; then failed_levels+=("$name"); fi
}

pytest_level() {  # name, dir, extra env...
  local name=$1 dir=$2; shift 2
  run_level "$name" env QT_QPA_PLATFORM=offscreen "$@" \
    $PY -m pytest "$dir" -p no:cacheprovider --junitxml="$REPORTS/$name.xml" -q
}

level=${1:-all}
case $level in
  all|lint) run_level lint .venv/bin/ruff check . ;;
esac
case $level in
  all|unit) pytest_level unit tests/unit ;;
esac
case $level in
  all|qgis) pytest_level qgis tests/qgis ;;
esac
case $level in
  all|e2e)
    run_level package scripts/package.sh SmartCityQGIS "dist/smartcity_qgis-$(sed -n 's/^version=//p' metadata.txt).zip"
    pytest_level e2e tests/e2e ;;
esac
case $level in
  all|qgis-newest)
    run_level qgis-newest scripts/qgis_newest.sh test tests/unit tests/qgis \
      --junitxml=/w/main/$REPORTS/qgis-newest.xml -q ;;
esac

# One closing line over every level.
read -r passed failed skipped < <(python3 - "$REPORTS" <<'PYEOF'
import sys, pathlib, xml.etree.ElementTree as ET
p = f = s = 0
for xml in pathlib.Path(sys.argv[1]).glob("*.xml"):
    for suite in ET.parse(xml).getroot().iter("testsuite"):
        t, fl, er, sk = (int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped"))
        p += t - fl - er - sk; f += fl + er; s += sk
print(p, f, s)
PYEOF
)
echo
if ((${#failed_levels[@]})); then
  echo "failed levels: ${failed_levels[*]}"
  [[ $failed -eq 0 ]] && failed=${#failed_levels[@]}
fi
echo "$passed passed, $failed failed, $skipped skipped"
((${#failed_levels[@]} == 0))
