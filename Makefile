# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
export PATH := /usr/local/go/bin:$(shell go env GOPATH 2>/dev/null || echo /root/go)/bin:$(PATH)

BIN        := bin/contest
HTTP_ADDR  ?= 127.0.0.1:8080
GO_TEST_FLAGS ?= -count=1 -timeout 12m

.PHONY: run test services services-down browser build vet lint fmt-check unit clean bench bench-slow3g fuzz faults \
	temporal-server temporal-server-down test-temporal-server rules-check chart-check unit-offline

## run: start PostgreSQL, Redis and Temporal if needed, then the API and worker with the demo campaign
run: services build
	@echo "Contest platform: http://$(HTTP_ADDR)   Temporal UI: http://127.0.0.1:8233"
	HTTP_ADDR=$(HTTP_ADDR) ./$(BIN) dev

## test: the whole suite (unit, workflow, replay, integration, browser) against real services
test: services browser vet lint fmt-check rules-check
	go test -tags integration $(GO_TEST_FLAGS) ./...

## unit: every test that needs no service (what `go test ./...` runs)
unit:
	go test -count=1 ./...

## unit-offline: `make unit` with every service address pointed at a closed port, which
## proves the untagged tests need no PostgreSQL, Redis or Temporal (the shared ones stay up)
OFFLINE_ENV := TEST_DATABASE_URL=postgres://offline@127.0.0.1:1/offline DATABASE_URL=postgres://offline@127.0.0.1:1/offline \
	REDIS_ADDR=127.0.0.1:1 TEMPORAL_ADDRESS=127.0.0.1:1 SMTP_ADDR= OTEL_EXPORTER_OTLP_ENDPOINT= OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=
unit-offline:
	$(OFFLINE_ENV) go test -count=1 ./...

## bench-slow3g: the pages on emulated slow 3G in headless Chromium, without and with compression
## (a benchmark: figures, no assertion; docs/performance.md)
bench-slow3g: services browser
	go test -tags integration -run '^$$' -bench BenchmarkSlow3G -benchtime 3x ./webtest/

## bench: load benchmark (own stack, orchestrated vs bare, Go benchmarks) → bench/REPORT.md; see deploy/bench.sh
bench: services build
	deploy/bench.sh

## test-temporal-server: the integration tests against the real Temporal server on PostgreSQL
## (not the dev server); `make test` is unaffected
test-temporal-server: temporal-server
	TEMPORAL_ADDRESS=127.0.0.1:$(TEMPORAL_SERVER_PORT) go test -tags integration -count=1 -timeout 12m ./integration/

## temporal-server: Temporal server v1.32.1 on its own PostgreSQL cluster (port 5442) at 127.0.0.1:7243, next to the
## dev server (deploy/temporal-server.sh); TEMPORAL_SERVER_PORT (exported to the script) moves a second instance
TEMPORAL_SERVER_PORT ?= 7243
export TEMPORAL_SERVER_PORT
temporal-server:
	@deploy/temporal-server.sh up

temporal-server-down:
	@deploy/temporal-server.sh down

## rules-check: promtool check rules and the rule unit tests of deploy/observability; promtool
## is built once with `go install` (pinned below) into $(go env GOPATH)/bin and reused
PROMTOOL_VERSION := v0.316.0
PROMTOOL := $(shell go env GOPATH 2>/dev/null || echo /root/go)/bin/promtool
rules-check:
	@# The module version recorded in the binary tells whether the one present is the pinned one.
	@if ! go version -m "$(PROMTOOL)" 2>/dev/null | grep -q "github.com/prometheus/prometheus[[:space:]]*$(PROMTOOL_VERSION)"; then \
		echo "installing promtool (github.com/prometheus/prometheus $(PROMTOOL_VERSION))"; \
		go install github.com/prometheus/prometheus/cmd/promtool@$(PROMTOOL_VERSION); \
	fi
	$(PROMTOOL) check rules deploy/observability/alerts.yaml
	$(PROMTOOL) test rules deploy/observability/alerts_test.yaml

## chart-check: render the official Temporal chart with deploy/temporal/values.yaml (helm template,
## offline) and check every object; TEMPORAL_CHART_DIR must hold the chart's sources at the pinned
## version (not kept in this repository); helm is built once with `go install`, like promtool
HELM_VERSION := v3.21.4
HELM := $(shell go env GOPATH 2>/dev/null || echo /root/go)/bin/helm
chart-check:
	@test -n "$(TEMPORAL_CHART_DIR)" || { echo "set TEMPORAL_CHART_DIR to the Temporal chart's sources (deploy/temporal/values.yaml names the version)"; exit 1; }
	@if ! go version -m "$(HELM)" 2>/dev/null | grep -q "helm.sh/helm/v3[[:space:]]*$(HELM_VERSION)"; then \
		echo "installing helm (helm.sh/helm/v3 $(HELM_VERSION))"; \
		go install helm.sh/helm/v3/cmd/helm@$(HELM_VERSION); \
	fi
	TEMPORAL_CHART_DIR="$(abspath $(TEMPORAL_CHART_DIR))" go test -count=1 -run TestTemporalChartRender -v ./deploy/validate/

services:
	@deploy/dev-services.sh up

services-down:
	@deploy/dev-services.sh down

## browser: headless Chromium for the browser tests (webtest/), from Debian, if missing
browser:
	@deploy/browser.sh

build:
	go build -o $(BIN) ./cmd/contest

vet:
	go vet -tags integration ./...

## lint: staticcheck, pinned, over every package with the integration tag (installed into GOPATH/bin when missing)
STATICCHECK_VERSION := v0.8.2
lint:
	@staticcheck -version 2>/dev/null | grep -qF '($(STATICCHECK_VERSION:v%=%))' || go install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	staticcheck -tags integration ./...

fmt-check:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

clean:
	rm -rf bin

## fuzz: run every fuzz target for FUZZTIME each (default 30s); new crashers land in testdata/fuzz,
## and the newest FUZZ_KEEP inputs the fuzzer found interesting are kept there as regression seeds
FUZZTIME ?= 30s
FUZZ_KEEP ?= 200
# Minimizing each new input may take up to 60 s by default (an .xlsx one does), when the
# workers fuzz nothing; a few seconds keeps a short run fuzzing.
FUZZMINIMIZETIME ?= 3s
FUZZ_TARGETS := api:FuzzBindJSON api:FuzzNormalizePhone internal/seed:FuzzParseQuestions \
	internal/seed:FuzzParseAgencies internal/reports:FuzzParseHeadcounts
fuzz:
	@set -eu; cache="$$(go env GOCACHE)/fuzz/$$(go list -m)"; \
	for target in $(FUZZ_TARGETS); do \
		pkg=$${target%%:*}; name=$${target##*:}; \
		go test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME) ./$$pkg/; \
		src="$$cache/$$pkg/$$name"; dst="$$pkg/testdata/fuzz/$$name"; \
		[ -d "$$src" ] || continue; \
		mkdir -p "$$dst"; \
		ls -t "$$src" | head -n $(FUZZ_KEEP) | while read -r f; do cp -p "$$src/$$f" "$$dst/"; done; \
		ls -t "$$dst" | tail -n +$$(($(FUZZ_KEEP) + 1)) | while read -r f; do rm -f "$$dst/$$f"; done; \
		echo "$$name: $$(ls "$$dst" | wc -l) corpus entries kept in $$dst"; \
	done

## faults: fault-injection tests that stop and start servers (their own Temporal dev server,
## or the shared one for the replica test); FAULTS_TEMPORAL=server runs the tests that use the
## shared Temporal on the PostgreSQL-backed server of `make temporal-server` (127.0.0.1:7243)
FAULTS_TEMPORAL ?= dev
faults: services $(if $(filter server,$(FAULTS_TEMPORAL)),temporal-server)
	$(if $(filter server,$(FAULTS_TEMPORAL)),TEMPORAL_ADDRESS=127.0.0.1:$(TEMPORAL_SERVER_PORT)) go test -tags faults -count=1 -timeout 15m -v ./faults/
