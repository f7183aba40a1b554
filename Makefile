# Set-up and everyday commands; the README's first two commands are `make samples` and `make test`.
VENV    ?= .venv
PY      := $(VENV)/bin/python
FP      := $(VENV)/bin/faceprint
SAMPLES := $(wildcard samples/records/*.json)

.PHONY: setup system-deps samples test fuzz lint bench clean goldens

setup: $(VENV)/.installed system-deps

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,photo,preview,dask]'
	# mediapipe 0.10.21 is the last release that ships its face models; its declared dependencies
	# (jax, opencv-contrib, numpy<2) are not needed for FaceMesh, so it goes in without them.
	$(PY) -m pip install -q --no-deps "mediapipe==0.10.21; python_version < '3.13'"
	touch $@

system-deps:
	@bash .ci/system-deps

samples: setup
	$(FP) render layouts/next-gen/card.yaml $(SAMPLES) --out samples/out/next-gen
	$(FP) render layouts/next-gen-2024/card.yaml $(SAMPLES) --out samples/out/next-gen-2024 --format png --dpi 300
	$(FP) render layouts/current/card.yaml $(SAMPLES) --out samples/out/current --format png --dpi 300
	$(FP) render layouts/next-gen/card.yaml $(firstword $(SAMPLES)) --out samples/out/guides --format png --dpi 300 --guides

test: setup
	$(PY) -m pytest

# The long run of the fuzz suite (~10 minutes on 2 cores); `make test` runs a bounded number of examples.
fuzz: setup
	FACEPRINT_FUZZ=long $(PY) -m pytest tests/hostile/test_fuzz.py -p no:cacheprovider --hypothesis-show-statistics

lint: setup
	$(VENV)/bin/ruff check faceprint tests benchmarks
	$(VENV)/bin/mypy

bench: setup
	$(PY) -m pip install -q -e '.[bench]'   # the Typst reference and segno for the reference programs
	$(PY) benchmarks/production_bench.py --data varied

clean:
	rm -rf samples/out .pytest_cache .mypy_cache .ruff_cache

# Rewrite the golden text and images after an intended change to the layouts or the first sample; review
# `git diff tests/cards/goldens` (text) and the images before committing. Tests never write goldens.
goldens: setup
	FACEPRINT_REGEN_GOLDENS=1 $(PY) -m pytest -q tests/cards/test_goldens.py
