# One task runner. `make test` is what CI runs (via .ci/run, from the README).
PY ?= .venv/bin/python

.PHONY: test lint bench check-wheel ci

test:
	$(PY) -m pytest -q

lint:
	$(PY) -m ruff check src tests bench

bench:
	$(PY) bench/bench.py

# A non-editable install in a throw-away venv must ship ontology/ data/ shapes/ queries/ and
# work from a folder that is not a checkout.
check-wheel:
	bash bench/check_wheel.sh

ci:
	.ci/run
