#!/usr/bin/env bash
# Run the test levels; a failure in any level fails the run, but every level runs.
#   scripts/test.sh all|unit|qgis|e2e|qgis-newest|lint|reliability
# `reliability` runs only the reliability tests, whose figures scripts/reliability_report.py
# writes into README.md.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
REPORTS=.cache/test-reports
mkdir -p "$REPORTS"
# Every report and figure in there is this run's: nothing left by an earlier run is counted.
rm -f "$REPORTS"/*.xml "$REPORTS"/reliability-*.json
failed_levels=()
ran_levels=0

run_level() {  # name, command...
  local name=$1; shift
  ran_levels=$((ran_levels + 1))
  echo
  echo "=== $name ==="
  "$@"
  local rc=$?
  # pytest's 5 is "no tests collected": a level that runs no test has proved nothing.
  if [[ $rc -eq 5 ]]; then echo "$name: no tests were collected" >&2; fi
  if [[ $rc -ne 0 ]]; then failed_levels+=("$name"); fi
}

pytest_level() {  # name, paths...
  local name=$1; shift
  run_level "$name" env QT_QPA_PLATFORM=offscreen \
    $PY -m pytest "$@" -p no:cacheprovider --junitxml="$REPORTS/$name.xml" -q
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
  reliability)
    pytest_level reliability tests/unit/test_reliability_*.py tests/qgis/test_reliability_*.py \
      tests/qgis/test_districts.py::test_a_killed_writer_leaves_old_or_new_districts ;;
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
if ((ran_levels == 0)); then
  echo "no test level is called '$level' (see the head of scripts/test.sh)" >&2
  failed_levels+=("$level")
fi
if ((${#failed_levels[@]})); then
  echo "failed levels: ${failed_levels[*]}"
  [[ $failed -eq 0 ]] && failed=${#failed_levels[@]}
fi
echo "$passed passed, $failed failed, $skipped skipped"
((${#failed_levels[@]} == 0))
