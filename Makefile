# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export GX_ANALYTICS_ENABLED := false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 180

.PHONY: install browser demo test lint types unit bench server clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m spmon.demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy

# -rs: every skip and its reason is printed (CI also sets SPMON_FAIL_ON_UNEXPECTED_SKIP=1).
unit: $(STAMP) browser
	$(BIN)/pytest -q -rs

# Debian's Chromium for the test that renders the HTML reports (skipped where it cannot be installed).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } || true

test: lint types unit

# Every figure of issue 13 in one table (bench/make_bench.py); a quick run: make bench BENCH_SIZES=250;
# BENCH_INGEST_SIZES=250 measures the ingestion of fewer sizes (the files of 2,500 services take long to make)
BENCH_SIZES ?= 250 2500
bench: $(STAMP)
	$(BIN)/python -m bench.make_bench --sizes $(BENCH_SIZES) \
		$(if $(BENCH_INGEST_SIZES),--ingest-sizes $(BENCH_INGEST_SIZES))

# Mutated PI and QAF workbooks through real ingestion runs (bench/fuzz.py): make fuzz N=10000 [SEED=1]
fuzz: $(STAMP)
	$(BIN)/python -m bench.fuzz --cases $(or $(N),1000) --seed $(or $(SEED),1)

clean:
	rm -rf $(VENV) var

# A Prefect server with its UI on http://127.0.0.1:$PREFECT_SERVER_API_PORT (4200), serving every
# deployment; one Ctrl-C stops it all.
server: $(STAMP)
	$(BIN)/python -m deployments.serve
