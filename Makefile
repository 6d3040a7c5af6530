# 千山督察整改案件管理系统 — the two commands of the README: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages the tests need: Chromium for the browser tests, CJK fonts for the PDFs,
# poppler-utils (pdffonts/pdftotext) to inspect them, and weasyprint's Pango.
TEST_DEBS := chromium fonts-noto-cjk poppler-utils libpango-1.0-0 libpangoft2-1.0-0
RUN_DEBS := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0

.PHONY: run test install install-test system-deps system-deps-run lint bench clean docs-screenshots

$(VENV)/.installed: requirements.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11（$(PYTHON)）"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(PIP) install -q -r requirements-test.txt
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Installs missing Debian packages when run as root; otherwise says what is missing.
system-deps:
	@scripts/debian-deps.sh $(TEST_DEBS)

system-deps-run:
	@scripts/debian-deps.sh $(RUN_DEBS)

run: system-deps-run install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	HOST=$(HOST) PORT=$(PORT) scripts/run.sh

test: system-deps install-test
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The manual's screenshots (docs/images/): seeds the demo in a temporary folder, signs in as each
# demo user in headless Chromium and saves 1366×800 PNGs. See docs/README.md.
docs-screenshots: system-deps install-test
	$(PY) scripts/docs_screenshots.py

bench: install-test
	for f in bench/*.py; do $(PY) $$f || exit 1; done

clean:
	rm -rf var test-artifacts .pytest_cache
