# Set-up contract: `make demo` and `make test` find a Python 3.12+, create .venv,
# install the project and run. Nothing else is needed on a fresh machine.
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
PYTHON_CANDIDATES := python3.13 python3.12 python3 python

.PHONY: demo test lint format bench clean venv dashboard chromium update-baseline

# Look on PATH first, then in pyenv's versions folder (pyenv does not put
# 3.12 on PATH unless that version is selected).
FIND_PYTHON = for c in $(PYTHON_CANDIDATES) \
	    $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    command -v $$c; exit 0; fi; \
	done; exit 1

$(STAMP): pyproject.toml
	@py=$$($(FIND_PYTHON)) || { \
	  echo "error: no Python 3.12 or newer found (Mesa 3.5 needs it). Install one, e.g. 'pyenv install 3.12', and re-run." >&2; exit 1; }; \
	echo "Using $$py ($$($$py --version))"; \
	[ -x $(PY) ] && $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null || $$py -m venv --clear $(VENV)
	@# uv installs the same packages from the same registry in seconds, not minutes;
	@# plain pip is the fallback
	$(PY) -m pip install --quiet uv && $(PY) -m uv pip install --quiet --compile-bytecode --python $(PY) -e '.[dev,viz]' \
	  || $(PY) -m pip install --quiet -e '.[dev,viz]'
	@# compiled once here, so that no later run (or test process) compiles its own copy
	$(PY) -m model.compile
	@touch $(STAMP)

venv: $(STAMP)

# The main job: compare the default scenarios (paired, 5 replications, flow mode) and
# write tables, plots and an HTML report to results/demo. The demo replaces its own earlier output.
demo: $(STAMP)
	rm -rf results/demo
	$(VENV)/bin/reentry compare --replications 5 --out results/demo
	$(VENV)/bin/reentry report results/demo

# The teaching dashboard (app.py) on http://127.0.0.1:8765/, offline and private.
dashboard: $(STAMP)
	$(VENV)/bin/reentry dashboard

# The dashboard's browser test drives Debian's Chromium; install it when missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Chromium (Debian package) for the dashboard's browser test"; \
	  { apt-get install -y -q chromium >/dev/null 2>&1 || \
	    { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }; } || \
	  echo "warning: could not install chromium (needs root); the browser test will fail" >&2; }

# Two processes, a test file each at a time (a file's fixtures stay in one process).
test: $(STAMP) chromium
	$(VENV)/bin/ruff check .
	$(VENV)/bin/python -m pytest -q -n 2 --dist loadfile

lint: $(STAMP)
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

# The golden baseline (tests/golden.py): regenerate it only when a change is meant to
# change outputs, and say why in the commit.
update-baseline: $(STAMP)
	$(PY) -m tests.golden --update

bench: $(STAMP)
	$(VENV)/bin/python benchmarks/bench_model.py

clean:
	rm -rf $(VENV) results .pytest_cache
