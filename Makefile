# One task runner. `make test` is what CI runs (via .ci/run, from the README).
PY ?= .venv/bin/python

.PHONY: test lint bench scale check-wheel ci docs

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

# Regenerate the tables of queries/README.md from the query headers.
docs:
	$(PY) -c "import missions_kg.query_docs as d, subprocess, pathlib; \
	p = pathlib.Path('queries/README.md'); \
	t = subprocess.run(['$(dir $(PY))missions-kg', 'queries', '--format', 'markdown'], check=True, capture_output=True, text=True).stdout; \
	p.write_text(d.update_readme(p.read_text(), t))"

# CPU and peak RSS per stage at 10k/100k (300k/1M with SCALE=) quads, against naive
# rdflib/owlrl/pyshacl in the same run (issue 14). Latest full output: bench/scale-baseline.txt.
SCALE ?= --quick
scale:
	$(PY) bench/scale.py $(SCALE)
