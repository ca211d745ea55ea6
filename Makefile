# The README's two commands are `make html` and `make test`; both set up .venv
# from the lock on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SPHINXOPTS ?= -W --keep-going -n
BUILDDIR := _build

.PHONY: html test serve clean lint bench check new lock

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

html: $(STAMP)
	$(BIN)/sphinx-build -b html $(SPHINXOPTS) -d $(BUILDDIR)/doctrees . $(BUILDDIR)/html

test: $(STAMP)
	$(BIN)/python -m pytest

serve: $(STAMP)
	ESSAYIST_PREVIEW=1 $(BIN)/sphinx-autobuild -b html $(SPHINXOPTS) \
		--watch src --watch _templates --ignore "$(BUILDDIR)/*" \
		. $(BUILDDIR)/preview

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

clean:
	rm -rf $(BUILDDIR)

# Regenerate the lock from pyproject.toml (maintainers only).
lock:
	rm -rf /tmp/essayist-lock && $(PYTHON) -m venv /tmp/essayist-lock
	/tmp/essayist-lock/bin/pip install --quiet "setuptools>=77" -e ".[dev]"
	/tmp/essayist-lock/bin/pip freeze --all --exclude-editable | grep -v -e '^-e' -e '^pip==' | sort -f > requirements.lock

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py
