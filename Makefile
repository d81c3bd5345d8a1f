# Convenience targets; each is also a plain command in the README.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install demo test lint-examples docs schema i18n bench dist clean

$(BIN)/feuille: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/feuille

demo: install
	$(BIN)/feuille status plans/la-louviere

test: install
	$(BIN)/python -m pytest

lint-examples: install
	$(BIN)/feuille lint plans/

docs: install
	$(BIN)/python tests/catalogue.py > docs/rules.md
	$(BIN)/python tools/commands_doc.py

# A wheel and a source archive in dist/, to install without the package index:
# pip install dist/feuille-0.1.0-py3-none-any.whl  (or pipx install dist/feuille-...whl)
dist: install
	$(BIN)/python -m build --outdir dist .

schema: install
	$(BIN)/feuille schema --out schema/

# The translation catalogue (src/feuille/locale/{fr,en}/LC_MESSAGES/feuille.po): extract the
# strings of the code with Babel (babel.cfg), update both catalogues, fill the English, check that
# they compile and are complete.  Then translate the new French msgstr by hand, and run it again.
i18n: install
	$(BIN)/python tools/i18n.py

bench: install
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
