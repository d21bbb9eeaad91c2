# The README's two commands: `make demo` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/kitgen validate samples/fr/projet.yaml
	$(BIN)/kitgen build samples/fr/projet.yaml -o output/fr
	$(BIN)/kitgen build samples/en/project.yaml -o output/en

# includes tests/test_install.py: the wheel built, installed into a fresh virtualenv and run from another folder.
# Bytecode is cached even where the environment says not to (PYTHONDONTWRITEBYTECODE): every test worker and every
# kitgen the tests start would otherwise compile kitgen from source again (a third of a second each)
test: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -n auto

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) output/*.docx output/*.xlsx output/*.pdf output/*.zip output/*.ics output/fr output/en
