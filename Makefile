# Two commands on a fresh machine: `make map` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
MAP    ?= build/map.html

.PHONY: setup map test lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@# Byte-compile mapper as an installed wheel is (an editable install skips it, and
	@# under PYTHONDONTWRITEBYTECODE every command would compile its modules again).
	$(PY) -m compileall -q mapper
	@# Build the cached GeoNames index once (about 10 s) so every later lookup is fast.
	$(PY) -c "from mapper.gazetteer.sources.geonames import default_table; default_table()"
	touch $(STAMP)

map: $(STAMP)
	$(VENV)/bin/mapper map -o $(MAP)
	@echo "Map written to $(MAP): open it in a browser (it works offline)."

lint: $(STAMP)
	$(PY) -m ruff check mapper tests benchmarks
	$(PY) -m ruff format --check mapper tests benchmarks

test: $(STAMP) lint
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) benchmarks/bench_resolve.py
	$(PY) benchmarks/bench_map.py --repeat 5

clean:
	rm -rf $(VENV) build .pytest_cache
