# tonchi — set-up, demo, tests and benchmarks on a Debian machine with Swift.
SWIFT   ?= swift
BIN     := .build/release/tonchi
DEBS    := libpcre2-dev pkgconf
SAMPLES := Samples/drafts

.PHONY: deps build demo test bench clean

# Installs the Debian packages tonchi builds against, when they are missing and we are root.
deps:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "missing Debian packages:$$missing — run 'sudo apt-get install$$missing' or run make as root"; exit 2; \
	  fi; \
	fi

build: deps
	$(SWIFT) build -c release --product tonchi

# The main job on the bundled samples: lint the rules, run their examples, check the sample drafts.
# `check` exits 1 when it finds something, which is the point of the demo.
demo: build
	$(BIN) rules check
	$(BIN) rules test
	$(BIN) check --kind trang-ttdt-tong-hop --date 2025-03-01 $(SAMPLES)/*; rc=$$?; [ $$rc -le 1 ]
	$(BIN) check --kind tap-chi-khoa-hoc $(SAMPLES)/su-kien-tap-chi-khoa-hoc.txt; rc=$$?; [ $$rc -le 1 ]

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test
	$(SWIFT) run tonchi rules test

bench: deps
	$(SWIFT) build -c release --product tonchi-bench
	.build/release/tonchi-bench

clean:
	rm -rf .build
