# Two entry points: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Re-install when the project's metadata changes: the runtime (what `make demo`
# needs), then the development stack on top of it (what `make test` needs).
RUNTIME := $(VENV)/.runtime-stamp
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test figures lint typecheck pytest interop-deps docs docs-layout browser bench \
	fuzz mutate schemas fhir-definitions catalog-index handouts clean

$(RUNTIME): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "mobility needs Python 3.11 or newer; set PYTHON=...")'
	@echo "Installing mobility and its runtime dependencies into $(VENV) (once)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --progress-bar on -e .
	@touch $(RUNTIME)

$(STAMP): $(RUNTIME)
	@echo "Installing the development stack (tests, types, docs, lint) into $(VENV) (once)"
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The demo's calendar zone and output folder; override with `make demo DEMO_TZ=...`.
DEMO_TZ  ?= Europe/Berlin
DEMO_DIR ?= demo-output

demo: $(RUNTIME)
	$(BIN)/mobility list
	@echo
	$(BIN)/mobility show lower-trunk-rotation
	@echo
	@mkdir -p $(DEMO_DIR)
	$(BIN)/mobility export lower-trunk-rotation --format ics --weeks 4 --time 07:30 \
		--tz $(DEMO_TZ) --force -o $(DEMO_DIR)/lower-trunk-rotation.ics
	$(BIN)/mobility export lower-trunk-rotation --format json --force \
		-o $(DEMO_DIR)/lower-trunk-rotation.json
	@echo "The 4-week calendar and the JSON document are in $(DEMO_DIR)/"

test: lint typecheck pytest docs docs-layout

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# Every test under coverage, the command's subprocesses included (coverage's
# `patch = ["subprocess"]`); the report fails below the floor in pyproject.toml.
COVERAGE := COVERAGE_FILE=$(CURDIR)/.coverage $(BIN)/coverage

pytest: $(STAMP) interop-deps browser
	rm -f .coverage .coverage.*
	$(COVERAGE) run -m pytest
	$(COVERAGE) combine --quiet
	$(COVERAGE) report

# The third-party readers of tests/interop: the npm packages pinned in its
# package-lock.json, Debian's khal and libical bindings, and tmux and zsh, the
# real terminal and shell that `mobility run` and completion are tried in
# (installed when
# missing; without root or apt this fails, and so does `make test`).
INTEROP := tests/interop
DEBIAN_CLIENTS := khal python3-gi gir1.2-ical-3.0 tmux zsh

interop-deps: $(INTEROP)/node_modules/.installed
	@command -v khal >/dev/null 2>&1 && command -v tmux >/dev/null 2>&1 && \
		command -v zsh >/dev/null 2>&1 && \
		/usr/bin/python3 -c \
		"import gi; gi.require_version('ICalGLib', '3.0')" 2>/dev/null || { \
		echo "Installing Debian's $(DEBIAN_CLIENTS) for the interop suite"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq $(DEBIAN_CLIENTS) >/dev/null; }

$(INTEROP)/node_modules/.installed: $(INTEROP)/package.json $(INTEROP)/package-lock.json
	cd $(INTEROP) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

docs: $(STAMP)
	$(BIN)/sphinx-build -n -W --keep-going -q -b html docs docs/_build/html

# The built pages, opened in headless Chromium at a laptop's width: every table
# must fit the page (docs/check_layout.py says how it measures).
docs-layout: docs browser
	$(BIN)/python docs/check_layout.py

# Debian's Chromium, for the checks that open pages in a real browser, and
# poppler-utils (pdfinfo, pdftotext, pdftoppm) to read what it prints. Installed
# when missing; without root (or apt) this fails, and so does `make test`.
BROWSER_PACKAGES := chromium poppler-utils

browser:
	@command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 || { \
		echo "Installing Debian's $(BROWSER_PACKAGES) for the browser checks"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; }
	@command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 || { \
		echo "chromium or poppler-utils is missing; the browser checks cannot run" >&2; \
		exit 1; }

# The printed first page of every catalogue entry's handout, for the docs.
handouts: $(STAMP) browser
	$(BIN)/python docs/render_handouts.py

# The fuzz suite's long run: 20,000 inputs for each of its ten targets, with a
# report of the counts and the slowest input (make test runs 500 each). Unlike
# make test, which draws the same examples every time, this explores with random
# seeds, as do the property tests of the readers and of the advice it runs after;
# a failure prints the example to pin in the suite.
FUZZ_EXAMPLES ?= 20000
EXPLORE := MOBILITY_HYPOTHESIS_PROFILE=explore

fuzz: $(STAMP)
	$(EXPLORE) MOBILITY_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/test_fuzz.py \
		-q -s -p no:cacheprovider
	$(EXPLORE) $(BIN)/pytest -q -p no:cacheprovider --hypothesis-show-statistics \
		tests/test_fhir.py::TestBadBundles tests/test_progress.py::TestProperties \
		tests/test_progress_fhir.py tests/test_scan.py::TestAgreesWithValidate \
		tests/test_timeline.py::TestItAddsUp

# Every benchmark, one after another, then one table of every figure with its
# baseline, ratio and target (benchmarks/README.md says how to read it).
bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

# Mutation testing of the safety package: mutmut changes its code one small
# way at a time and runs the safety tests against each change ([tool.mutmut] in
# pyproject.toml); a change no test notices is a survivor. Not part of `make
# test`, which it would outlast. `mutmut show NAME` shows one survivor.
mutate: $(STAMP)
	rm -rf mutants
	MOBILITY_HYPOTHESIS_PROFILE=mutate $(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut results

# Regenerate the JSON Schema files shipped in the package (a test checks them).
schemas: $(STAMP)
	$(BIN)/python -c 'from mobility.progress import Advice, SessionLog; \
		from mobility.formats.schema import _write_shipped; _write_shipped()'

# The StructureDefinitions of the FHIR extensions, made again from the model
# (tests/test_fhir.py fails until they are, after a field changes).
fhir-definitions: $(STAMP)
	$(BIN)/python -c 'from mobility.progress._fhir import write_definitions; \
		write_definitions()'

# The catalogue's index, which `import mobility.catalog` reads instead of building
# the protocols (tests/test_catalog.py fails until it is, after a protocol changes).
catalog-index: $(STAMP)
	$(BIN)/python -m mobility.catalog._indexing
	$(BIN)/ruff format -q src/mobility/catalog/_index.py

# The catalogue's figures, their searched poses worked out again (a test in
# tests/test_body.py fails until they are, after a pose changes).
figures: $(STAMP)
	$(BIN)/python -m mobility.catalog._poses

clean:
	rm -rf $(VENV) docs/_build docs/_generated .mypy_cache .ruff_cache .hypothesis \
		$(DEMO_DIR) .coverage .coverage.* $(INTEROP)/node_modules mutants
