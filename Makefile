# pipesec developer tasks. Everything runs inside .venv, created on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint typecheck unit scan-self bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# Scan the bundled demo project: show the table, write SARIF/JSON/Markdown into out/.
# The gate is expected to fail on the demo; the target exits 0 once the verdict is shown.
DEMO := $(if $(wildcard examples/vulnerable-app),examples/vulnerable-app,.)

demo: $(STAMP)
	@mkdir -p out
	@$(BIN)/pipesec scan $(DEMO) --no-progress \
		--output sarif=out/pipesec.sarif --output json=out/pipesec.json; rc=$$?; \
	if [ $$rc -gt 1 ]; then echo "demo: scan exited $$rc (not a gate verdict)"; exit $$rc; fi; \
	echo "demo: gate exit code $$rc (1 = the demo's planted issues failed the gate, as intended); reports in out/"

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

scan-self: $(STAMP)
	$(BIN)/pipesec scan . --no-progress

test: lint typecheck unit scan-self

clean:
	rm -rf $(VENV) out build dist *.egg-info
