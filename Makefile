# The README's two commands are `make html` and `make test`; both set up .venv
# from the lock on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SPHINXOPTS ?= -W --keep-going -n
BUILDDIR := _build
# Python reads and writes UTF-8 (file names, posts, output) whatever the
# machine's locale: under LC_ALL=C, Sphinx stopped on a post named café.md.
export PYTHONUTF8 := 1

.PHONY: html test serve clean lint bench check new lock

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# The validator and axe-core for the tests, from npm, pinned by package-lock.json
# (Lighthouse, a dev dependency, only for benchmarks/lighthouse.py). Without npm
# those tests are skipped with a message, and fail under CI.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --ignore-scripts --omit=dev --no-audit --no-fund && touch $@; \
	else \
		echo "npm not found: install Node.js 20 and npm for the HTML validator and axe-core tests"; \
	fi

# Build incrementally into a staging folder (which the build keeps exactly as a
# clean build would be); only a build that succeeds is published to _build/html,
# whole, by swapping in a new tree, so neither a failed build nor a failed copy
# ever breaks the site you are previewing or deploying.
html: $(STAMP)
	$(BIN)/sphinx-build -b html $(SPHINXOPTS) -d $(BUILDDIR)/doctrees . $(BUILDDIR)/staging
	$(BIN)/python -m essayist.tools.sync $(BUILDDIR)/staging $(BUILDDIR)/html

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest

# The live preview, kept warm between edits (essayist.tools.preview: Sphinx stays
# loaded and each change is built by a forked worker; conf.py, src/ or
# _templates/ changed start it again cold). Its pages allow sphinx-autobuild's
# reload script (by its hash, for this address) under the Content-Security-Policy;
# published builds never.
SERVE_HOST ?= 127.0.0.1
SERVE_PORT ?= 8000
serve: $(STAMP)
	ESSAYIST_PREVIEW=1 ESSAYIST_SERVE_ADDRESS=$(SERVE_HOST):$(SERVE_PORT) \
		$(BIN)/python -m essayist.tools.preview -b html $(SPHINXOPTS) \
		--host $(SERVE_HOST) --port $(SERVE_PORT) \
		--watch src --watch _templates --ignore "$(BUILDDIR)/*" \
		--ignore $(VENV) --ignore .git --ignore tests --ignore benchmarks \
		. $(BUILDDIR)/preview

# A new post, dated today in the site's time zone:
#   make new TITLE="On Proxies" [TAGS=alignment,goodhart] [CATEGORY=Alignment] [DRAFT=1]
# The title, tags and category reach `blog new` as typed, through the
# environment: never expanded by make ($) or read by the shell (` " ;).
new: export ESSAYIST_NEW_TITLE = $(value TITLE)
new: export ESSAYIST_NEW_TAGS = $(value TAGS)
new: export ESSAYIST_NEW_CATEGORY = $(value CATEGORY)
new: $(STAMP)
	@test -n "$$ESSAYIST_NEW_TITLE" || { echo 'usage: make new TITLE="..." [TAGS=a,b] [CATEGORY=C] [DRAFT=1]'; exit 2; }
	$(BIN)/blog new $(if $(value TAGS),--tags="$$ESSAYIST_NEW_TAGS") \
		$(if $(value CATEGORY),--category="$$ESSAYIST_NEW_CATEGORY") $(if $(DRAFT),--draft) \
		-- "$$ESSAYIST_NEW_TITLE"

# Every post's front matter, title and concept references, without a build.
check: $(STAMP)
	$(BIN)/blog check

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
