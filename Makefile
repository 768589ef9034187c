# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
export REMIXER_DATA_DIR ?= $(CURDIR)/data
export ALLOWED_HOSTS ?= 127.0.0.1,localhost,[::1]
DATA_DIR := $(REMIXER_DATA_DIR)

.PHONY: run test lint bench chromium ffmpeg fonts static

# What `make run` needs (requirements.lock), then the tools the tests, lint and the bench add
# (requirements-dev.lock).
$(VENV)/installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

$(VENV)/dev-installed: $(VENV)/installed requirements-dev.lock
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	touch $@

# The LiteLLM proxy, a real gateway the tests put in front of a Videos-API server; its own
# environment, since it pins packages of its own.
.venv-litellm/installed: remixer/tests/support/litellm.lock
	$(PYTHON) -m venv .venv-litellm
	.venv-litellm/bin/pip install --quiet --disable-pip-version-check -r remixer/tests/support/litellm.lock
	touch $@

$(DATA_DIR)/secret_key:
	mkdir -p $(DATA_DIR)
	umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

static: $(VENV)/installed $(DATA_DIR)/secret_key
	$(MANAGE) collectstatic --noinput --verbosity 0

run: static
	$(MANAGE) migrate --noinput
	$(MANAGE) bootstrap
	$(MANAGE) serve

test: static $(VENV)/dev-installed chromium fonts .venv-litellm/installed
	@# A run that was interrupted can leave SQLite's -wal/-shm files beside a new database.
	rm -f $(DATA_DIR)/test-remixer.sqlite3*
	$(PY) -m pytest

lint: $(VENV)/dev-installed $(DATA_DIR)/secret_key
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy remixer
	$(VENV)/bin/lint-imports
	$(MANAGE) makemigrations --check --dry-run

bench: static $(VENV)/dev-installed ffmpeg
	$(MANAGE) bench

# Debian packages the tests and the benchmark drive; installed when missing and we may.
chromium ffmpeg:
	@command -v $@ >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $@; \
	  elif sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo apt-get install -y -qq $@; \
	  else echo "Please install Debian's $@ package (apt-get install $@)." >&2; exit 1; fi; }

# Caption fonts for emoji and for Chinese, Japanese and Korean, found by their files; captions
# draw without them too, leaving out what no font here has.
FONTS := /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf:fonts-noto-color-emoji \
	/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc:fonts-noto-cjk
fonts:
	@missing="$$(for font in $(FONTS); do [ -e "$${font%%:*}" ] || echo "$${font##*:}"; done)"; \
	[ -z "$$missing" ] || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing; \
	  elif sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo apt-get install -y -qq $$missing; \
	  else echo "Please install Debian's" $$missing "(apt-get install" $$missing")." >&2; exit 1; fi; }
