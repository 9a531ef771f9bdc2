# pipesec developer tasks. Everything runs inside .venv, created on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup db demo test lint typecheck unit scan-self docs clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

DEMO := examples/vulnerable-app
# The vulnerability database lives inside the project (git-ignored), built from the OSV
# snapshot bundled with the demo, so demo, tests and our own gate work offline on a fresh clone.
DB := .pipesec-db/osv.sqlite
export PIPESEC_DB := $(CURDIR)/$(DB)

$(DB): $(STAMP) $(DEMO)/osv-snapshot.zip src/pipesec/vulndb/store.py
	@mkdir -p $(dir $(DB)) && rm -f $(DB)
	@$(BIN)/pipesec db import $(DEMO)/osv-snapshot.zip --db $(DB) >/dev/null
	@touch $(DB)

db: $(DB)

# Scan the bundled demo project: show the table, write SARIF/JSON/Markdown/SBOM into out/.
# The gate is expected to fail on the demo; the target exits 0 once the verdict is shown.
demo: $(STAMP) $(DB)
	@mkdir -p out
	@$(BIN)/pipesec scan $(DEMO) --no-progress --no-step-summary \
		--output sarif=out/pipesec.sarif --output json=out/pipesec.json \
		--output markdown=out/pipesec.md --output cyclonedx-json=out/sbom.cdx.json; rc=$$?; \
	if [ $$rc -gt 1 ]; then echo "demo: scan exited $$rc (not a gate verdict)"; exit $$rc; fi; \
	echo "demo: gate exit code $$rc (1 = the demo's planted flaws failed the gate, as intended); reports in out/"

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) $(DB)
	$(BIN)/pytest

# the docs site (docs/ with MkDocs Material); --strict: a broken link or page fails the build
docs: $(STAMP)
	@NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

scan-self: $(STAMP) $(DB)
	$(BIN)/pipesec scan . --no-progress --no-step-summary

test: lint typecheck docs unit scan-self

clean:
	rm -rf $(VENV) out build dist *.egg-info .pipesec-db
