# The README's two commands: `make demo` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-slow test-all bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/kitgen validate samples/fr/projet.yaml
	$(BIN)/kitgen build samples/fr/projet.yaml -o output/fr
	$(BIN)/kitgen build samples/en/project.yaml -o output/en

# `make test` runs every test but the slow ones (marked `slow`, see tests/conftest.py: the wheel installed into a
# fresh virtualenv, the README's tour run on it, what is printed through LibreOffice and checked page by page, builds
# killed at random moments, the hostile corpus, random edits of the samples, the benchmark harness's build floor);
# `make test-slow` runs those alone, `make test-all` both (.ci/run runs make test, then make test-slow).
# Bytecode is cached even where the environment says not to (PYTHONDONTWRITEBYTECODE): every test worker and every
# kitgen the tests start would otherwise compile kitgen from source again (a third of a second each)
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -n auto
test: $(STAMP)
	$(PYTEST) -m "not slow"

test-slow: $(STAMP)
	$(PYTEST) -m slow

test-all: $(STAMP)
	$(PYTEST)

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) output/*.docx output/*.xlsx output/*.pdf output/*.zip output/*.ics output/fr output/en
