# `make site` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)

.PHONY: site test check serve pdf lint clean

site: $(STAMP) system-deps
	$(BIN)/python build.py build

test: $(STAMP) system-deps-tests
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

pdf: $(STAMP) system-deps
	$(BIN)/python build.py pdf

check: $(STAMP)
	$(BIN)/python build.py check

serve: $(STAMP)
	$(BIN)/python build.py serve

lint: $(STAMP)
	$(BIN)/ruff check .

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

system-deps:
	bash scripts/system-deps.sh

system-deps-tests:
	bash scripts/system-deps.sh --tests

clean:
	rm -rf site .pytest_cache .ruff_cache
