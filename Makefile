# tonchi — set-up, demo, tests and benchmarks on a Debian machine with Swift.
SWIFT   ?= swift
BIN     := .build/release/tonchi
DEBS    := libpcre2-dev zlib1g-dev libsqlite3-dev pkgconf wget curl chromium poppler-utils wrk
PYMODS  := warcio jsonschema
SAMPLES := Samples/drafts

.PHONY: deps pydeps build demo samples test bench load clean

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

# Python packages the tests drive: warcio writes a second kind of WARC (real-clients test);
# jsonschema validates the JSON, NDJSON and SARIF outputs (ReportFormatsTests).
pydeps:
	@python3 -c 'import warcio, requests, jsonschema' 2>/dev/null || python3 -m pip install --quiet $(PYMODS) requests

build: deps
	$(SWIFT) build -c release --product tonchi

# The main job on the bundled samples: lint the rules, run their examples, check the sample drafts,
# scan the sample site and the four sample WARC dumps (after checking the dumps are up to date)
# against their charters. `check`/`scan` exit 1 when they find something, which
# is the point of the demo.
demo: build
	$(BIN) rules check
	$(BIN) rules test
	$(BIN) check --kind trang-ttdt-tong-hop --date 2025-03-01 $(SAMPLES)/*; rc=$$?; [ $$rc -le 1 ]
	$(BIN) check --kind tap-chi-khoa-hoc $(SAMPLES)/su-kien-tap-chi-khoa-hoc.txt; rc=$$?; [ $$rc -le 1 ]
	$(BIN) scan --charter Samples/charters/trang-tong-hop-binh-minh.yaml Samples/sites; rc=$$?; [ $$rc -le 1 ]
	@if command -v python3 >/dev/null; then python3 Samples/make-warcs.py --check; \
	else echo "python3 is missing: Samples/dumps not checked against Samples/warc-sources"; fi
	$(BIN) scan --charter Samples/charters/trang-tong-hop-phuong-nam.yaml Samples/dumps/bao-hoa-tong-hop.warc.gz; rc=$$?; [ $$rc -le 1 ]
	$(BIN) scan --charter Samples/charters/trang-tong-hop-lam-vien.yaml Samples/dumps/tong-hop-dung-quy-dinh.warc.gz; rc=$$?; [ $$rc -le 1 ]
	$(BIN) scan --charter Samples/charters/tap-chi-suc-khoe.yaml Samples/dumps/tap-chi-lech-ton-chi.warc.gz; rc=$$?; [ $$rc -le 1 ]
	$(BIN) scan --charter Samples/charters/tap-chi-khoa-hoc-nong-nghiep.yaml Samples/dumps/tap-chi-khoa-hoc-su-kien.warc.gz; rc=$$?; [ $$rc -le 1 ]

# Rebuilds the sample WARC dumps (Samples/dumps/) from their pages (Samples/warc-sources/); commit both.
samples:
	python3 Samples/make-warcs.py

test: deps pydeps
	$(SWIFT) build --build-tests
	$(SWIFT) test
	$(SWIFT) run tonchi rules test
	Tests/RealClients/run.sh
	TONCHI=.build/debug/tonchi Tests/Load/run.sh 3 10
	$(SWIFT) run tonchi eval --min-precision 0.95 --min-recall 0.90

# Figures: end-to-end scans of ~100 MB and ≥300 MB WARC files, then the matcher on ≥200 MB.
bench: deps
	$(SWIFT) build -c release --product tonchi
	$(SWIFT) build -c release --product tonchi-bench
	.build/release/tonchi-bench all

# `tonchi serve` under load on loopback: 50 connections for 30 s posting real articles to /v1/check.
load: deps
	$(SWIFT) build -c release --product tonchi
	Tests/Load/run.sh 30 50

clean:
	rm -rf .build
