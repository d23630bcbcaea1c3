# SmartCity QGIS — every task of the project. `make help` lists them.
SHELL := /bin/bash
PY := .venv/bin/python
VERSION := $(shell sed -n 's/^version=//p' metadata.txt)
PLUGIN_NAME := SmartCityQGIS
ZIP := dist/smartcity_qgis-$(VERSION).zip
TS := i18n/smartcity_qgis_ja.ts
QM := $(TS:.ts=.qm)
PROFILE_DIR := $(CURDIR)/.profile
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help deps test test-unit test-qgis test-e2e test-qgis-newest demo run package i18n qm lint format bench clean

help: ## list the tasks
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-17s %s\n", $$1, $$2}'

deps: ## install missing Debian packages (apt-get; prefix sudo as a normal user) and the test .venv
	@scripts/deps.sh

qm: $(QM) ## compile the translations (.ts -> .qm)

$(QM): $(TS)
	@lrelease -silent $(TS) -qm $(QM)

i18n: ## update i18n/*.ts from the sources (pylupdate5) and compile .qm
	@scripts/i18n.sh update
	@lrelease -silent $(TS) -qm $(QM)

test: deps qm ## run every test: unit, qgis, e2e (QGIS 3.22 desktop) and unit+qgis on the newest QGIS LTR
	@scripts/test.sh all

test-unit: deps qm ## only the pure-Python tests
	@scripts/test.sh unit

test-qgis: deps qm ## only the headless QGIS tests
	@scripts/test.sh qgis

test-e2e: deps qm ## only the QGIS desktop tests (Xvfb)
	@scripts/test.sh e2e

test-qgis-newest: deps qm ## unit + qgis tests under the newest QGIS LTR (3.44, Debian testing root in .cache/)
	@scripts/test.sh qgis-newest

demo: deps qm ## run the main job on the embedded demo city OS; outputs under demo-output/
	@QT_QPA_PLATFORM=offscreen $(PY) -m smartcity_qgis.demo --output demo-output

run: deps qm ## start the QGIS desktop with the plugin, on a dedicated profile in .profile/
	@scripts/profile.sh "$(PROFILE_DIR)" link
	@qgis --profiles-path "$(PROFILE_DIR)" --profile smartcity --noversioncheck

package: qm ## build dist/smartcity_qgis-<version>.zip for "Install from ZIP"
	@scripts/package.sh "$(PLUGIN_NAME)" "$(ZIP)"

lint: deps ## ruff check and format check
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .

format: deps ## apply ruff's fixes and formatting
	@.venv/bin/ruff check --fix .
	@.venv/bin/ruff format .

bench: deps qm ## benchmarks against a baseline (an alternative, or a yardstick such as the decode floor); writes bench-results.json and the README table
	@QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/bench -q -s --bench-full

clean: ## remove build outputs and caches (keeps .venv and the newest-QGIS root)
	rm -rf dist build demo-output tests/e2e/artifacts .pytest_cache .ruff_cache .hypothesis $(QM)
	find . -name __pycache__ -not -path './.venv/*' -not -path './.cache/*' -prune -exec rm -rf {} +
