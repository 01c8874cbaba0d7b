# Two commands for a new machine:  `make run`  (the app)  and  `make test`  (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
PORT ?= 8501
# Streamlit runs every script run in a new thread, and glibc gives threads their own malloc arenas: a
# playing MNIST session's server grew ~60 MB more in 20 s with the default than with two arenas.
export MALLOC_ARENA_MAX ?= 2

.PHONY: run dev test test-fast test-a11y test-lessons test-screens fuzz bench bench-classroom browser-deps venv clean assets classroom classroom-deps

venv: $(STAMP)

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

run: $(STAMP)
	$(PY) -m streamlit run app.py --server.port $(PORT) --browser.gatherUsageStats false

# Development: reload the app when a source file is saved (the file watcher is off by default).
dev: $(STAMP)
	$(PY) -m streamlit run app.py --server.port $(PORT) --browser.gatherUsageStats false \
	  --server.fileWatcherType auto --server.runOnSave true

# A class: WORKERS Streamlit processes (default: one per core) behind HAProxy with cookie stickiness,
# on PORT (ADDRESS=0.0.0.0 to serve the network). See README "Serving a class".
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
ADDRESS ?= 127.0.0.1

classroom-deps:
	@if ! command -v haproxy >/dev/null && [ ! -x /usr/sbin/haproxy ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq haproxy >/dev/null; \
	  else echo "haproxy missing and not root: sudo apt-get install haproxy" && exit 1; fi; \
	fi

classroom: $(STAMP) classroom-deps
	$(PY) tools/classroom.py --workers $(WORKERS) --port $(PORT) --address $(ADDRESS)

# Browser tests need Debian's Chromium; install it when we can (root), else they skip with a reason.
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: /usr/bin/chromium missing and not root: browser tests will skip (sudo apt-get install chromium)"; fi; \
	fi
	@if ! command -v haproxy >/dev/null && [ ! -x /usr/sbin/haproxy ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq haproxy >/dev/null; \
	  else echo "note: haproxy missing and not root: the load-balancer test will skip (sudo apt-get install haproxy)"; fi; \
	fi

# One pytest worker per core; a test file runs whole on one worker (its module's servers start once).
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PYTEST := $(PY) -m pytest -n $(JOBS) --dist loadfile

test: $(STAMP) browser-deps
	$(PYTEST) $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(PYTEST) -m "not browser" $(PYTEST_ARGS)

# Every lesson on a 1280×720 screen in both languages (make test opens each in one language).
test-screens: $(STAMP) browser-deps
	$(PYTEST) -m "" tests/test_browser_lesson_screens.py $(PYTEST_ARGS)

# WCAG 2.1 AA (axe-core) of every page state in both languages (make test checks each in one of them).
test-a11y: $(STAMP) browser-deps
	$(PYTEST) -m "" tests/test_accessibility.py tests/test_palette.py $(PYTEST_ARGS)

# The lessons' promises over seeds and perturbed weights (part of make test too, the slowest at one seed).
test-lessons: $(STAMP)
	$(PYTEST) -m lesson $(PYTEST_ARGS)

# The deep link fuzz: 1,500+ generated links over every page, a new seed each time (printed);
# FUZZ_SEED=<seed> make fuzz repeats a run. make test renders a fixed sample of ~170.
fuzz: $(STAMP)
	@seed=$${FUZZ_SEED:-$$(date +%s)}; echo "fuzz seed: $$seed (FUZZ_SEED=$$seed make fuzz repeats this run)"; \
	FUZZ_SEED=$$seed $(PYTEST) tests/test_fuzz_pages.py $(PYTEST_ARGS) || \
	{ echo "fuzz seed was $$seed: FUZZ_SEED=$$seed make fuzz"; exit 1; }

bench: $(STAMP) browser-deps
	$(PY) bench/bench_live.py --views
	$(PY) bench/bench_mnist.py
	$(PY) bench/bench_budget.py
	$(PY) bench/bench_hostile.py
	$(PY) bench/bench_frame_server.py
	$(PY) bench/bench_unit_maps.py

# A class at once: 1, 10 and 30 simulated students, one worker and two behind HAProxy (~6 minutes).
bench-classroom: $(STAMP) classroom-deps
	$(PY) bench/bench_classroom.py --students 1 10 30 --workers 1 2

# The landing page's lesson pictures and the README's live view, taken from the running app.
assets: $(STAMP) browser-deps
	$(PY) tools/make_assets.py

clean:
	rm -rf $(VENV) .pytest_cache
