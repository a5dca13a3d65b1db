# Ecert Desktop — `make run` opens the app on the demo organisation, `make test` runs
# every test. Both install what is missing first (see build/scripts/setup.sh).

# Go packages: named, because frontend/node_modules holds stray .go files.
GO_PKGS := . ./frontend ./app/... ./sync/... ./build/benchreport ./build/loadtest ./build/release
# WebKitGTK 4.1 exists on Debian 12, Ubuntu 22.04+ and Debian 13 alike.
WEBKIT_TAG := webkit2_41
BIN := build/bin
OUT := build/out

.PHONY: setup frontend bindings build run server-start server-stop test test-go test-fuzz fuzz test-frontend test-e2e test-smoke bench soak clean

setup:
	build/scripts/setup.sh

frontend: setup
	cd frontend && npm run build

# Regenerates frontend/wailsjs from the bound Go services (committed; a test checks it).
bindings:
	mkdir -p $(OUT)
	go build -tags bindings -o $(OUT)/bindings . && $(OUT)/bindings >/dev/null

build: frontend
	CGO_ENABLED=1 go build -tags desktop,production,$(WEBKIT_TAG) -ldflags "-w -s" -o $(BIN)/ecert-desktop .
	go build -o $(BIN)/ecert-server ./sync/cmd/ecert-server

# Starts ecert-server with the demo data on loopback, then opens the app on it.
run: build
	build/scripts/demo.sh run

server-start: build
	build/scripts/demo.sh server-start

server-stop:
	build/scripts/demo.sh server-stop

test: frontend test-go test-postgres test-fuzz test-frontend test-e2e test-smoke

# The stores' tests need a real PostgreSQL 15 and the S3 server that setup.sh installs
# and builds: here they fail without them rather than skip.
test-go: setup
	go vet $(GO_PKGS)
	ECERT_REQUIRE_POSTGRES=1 ECERT_REQUIRE_S3=1 ECERT_REQUIRE_HAPROXY=1 go test -count=1 $(GO_PKGS)

# A short run of each fuzz target (protocol decoders, file names, inbox folders); their
# seed corpora run in test-go too. `make fuzz FUZZTIME=10m` runs longer.
FUZZTIME ?= 8s
test-fuzz fuzz: setup
	go test -run XXX -fuzz FuzzPushRequest -fuzztime $(FUZZTIME) ./sync/server
	go test -run XXX -fuzz FuzzChangesQuery -fuzztime $(FUZZTIME) ./sync/server
	go test -run XXX -fuzz FuzzSafeName -fuzztime $(FUZZTIME) ./app/evidence
	go test -run XXX -fuzz FuzzParseFolder -fuzztime $(FUZZTIME) ./app/evidence

test-frontend: setup
	cd frontend && npm test

# Playwright (Debian's Chromium) against the real Go backend and a real ecert-server.
test-e2e: frontend
	build/scripts/e2e.sh

# The production binary in a real window under Xvfb; screenshot in build/out/.
test-smoke: build
	build/scripts/smoke.sh

# Benchmarks against a real ecert-server (loopback) with the large-organisation
# generator, BENCH_COUNT runs each; then the headless commands as processes beside curl
# and sqlite3 (build/scripts/bench-cli.sh); then the UI's (build/scripts/bench-ui.sh, when
# it is there); then build/benchreport writes the table of sync/BENCHMARKS.md (the median of
# the runs) from build/out/bench*.txt. It refuses output with a failure in it.
BENCH_COUNT ?= 3
bench: setup
	mkdir -p $(OUT)
	rm -f $(OUT)/bench*.txt
	go test -run XXX -bench . -skip 'PoorLink|Upload' -benchtime 10x -count $(BENCH_COUNT) ./app/ | tee $(OUT)/bench.txt
	go test -run XXX -bench Upload -benchtime 5x -count $(BENCH_COUNT) ./app/ | tee $(OUT)/bench-upload.txt
	go test -run XXX -bench PoorLink -benchtime 1x -count $(BENCH_COUNT) ./app/ | tee $(OUT)/bench-poorlink.txt
	BENCH_CLI_RUNS=$(BENCH_COUNT) build/scripts/bench-cli.sh
	if [ -f build/scripts/bench-ui.sh ]; then build/scripts/bench-ui.sh; fi
	go run ./build/benchreport -doc sync/BENCHMARKS.md $(OUT)/bench*.txt

# The fault harness at length (sync/soak): a random workload of several desktop clients
# (in this process and as ecert-desktop processes) through thousands of injected faults;
# then ecert-server as a process killed with SIGKILL 200 times while clients sync;
# writes sync/SOAK.md. `make test` runs a short set with a fixed seed. A new seed each
# time unless ECERT_SOAK_SEED is given (the summary says how to replay it).
ECERT_SOAK_FAULTS ?= 10000
ECERT_SOAK_INPROC ?= 3
ECERT_SOAK_PROCS ?= 2
ECERT_SOAK_SERVER_KILLS ?= 200
ECERT_SOAK_SEED ?= $(shell date +%s)
soak: setup
	ECERT_SOAK_SEED=$(ECERT_SOAK_SEED) ECERT_SOAK_FAULTS=$(ECERT_SOAK_FAULTS) \
	ECERT_SOAK_INPROC=$(ECERT_SOAK_INPROC) ECERT_SOAK_PROCS=$(ECERT_SOAK_PROCS) \
	ECERT_SOAK_SERVER_KILLS=$(ECERT_SOAK_SERVER_KILLS) \
	ECERT_SOAK_REPORT=$(CURDIR)/sync/SOAK.md \
	go test -count=1 -timeout 120m -run TestSoak -v ./sync/soak

clean:
	rm -rf $(BIN) $(OUT)

# --- Release artefacts (build/out/package/), not part of `make test` ---------------------
# `make package`: the .deb and .rpm (nfpm), the Windows installer (mingw-w64 + NSIS, with
# the WebView2 bootstrapper) and the Windows console exe; VERSION=1.2.3 names the release,
# PUBLISHER_PUB=FILE builds in the publisher's update key (none: the apps never update
# themselves), ECERT_SIGN_* sign the Windows files (see build/scripts/package-sign.sh).
# `make test-package`: installs the .deb and opens the installed app under Xvfb, runs the
# Windows console build under Wine against a real server, and signs with a throw-away
# certificate and verifies. Needs root (dpkg -i).
.PHONY: setup-packaging package test-package

setup-packaging:
	build/scripts/setup.sh --packaging

package: setup-packaging
	PUBLISHER_PUB="$(PUBLISHER_PUB)" build/scripts/package.sh all

test-package: package
	build/scripts/test-package-deb.sh
	build/scripts/test-package-windows.sh
	build/scripts/test-package-sign.sh

# --- The server and its clients on the PostgreSQL store ----------------------------------
# Every test server of these packages keeps its data in a real PostgreSQL 15 (pgtest, one
# database per data folder) instead of SQLite, and the soak's killed ecert-server gets
# --database; it fails rather than skips without PostgreSQL. The soak's nodes part
# (TestSoakNodes: three nodes on PostgreSQL + S3 behind HAProxy, a few kills) runs here.
.PHONY: test-postgres soak-nodes

test-postgres: setup
	ECERT_REQUIRE_POSTGRES=1 ECERT_REQUIRE_S3=1 ECERT_REQUIRE_HAPROXY=1 ECERT_TEST_STORE=postgres \
	go test -count=1 ./sync/server ./sync/client ./sync/engine ./sync/soak

# The nodes part at length: 100 kills of a random node; writes sync/SOAK-NODES.md.
ECERT_SOAK_NODE_KILLS ?= 100
soak-nodes: setup
	ECERT_REQUIRE_POSTGRES=1 ECERT_REQUIRE_S3=1 ECERT_REQUIRE_HAPROXY=1 ECERT_TEST_STORE=postgres \
	ECERT_SOAK_SEED=$(ECERT_SOAK_SEED) ECERT_SOAK_NODE_KILLS=$(ECERT_SOAK_NODE_KILLS) \
	ECERT_SOAK_NODES_REPORT=$(CURDIR)/sync/SOAK-NODES.md \
	go test -count=1 -timeout 60m -run TestSoakNodes -v ./sync/soak

# --- Load test (issue 11 part 7), not part of `make test` ---------------------------------
# ecert-server with LOAD_ORGS generated organisations under idle syncs, a ramp with
# pushes and twice the sustainable rate, beside a trivial Go handler answering the same
# bytes: one SQLite node (organisations kept in build/out/load/data), then two nodes on
# PostgreSQL + S3 behind HAProxy; writes sync/LOAD.md (build/scripts/load.sh).
# LOAD_SETUPS=sqlite|nodes runs one; LOAD_SECONDS=5 shortens every phase.
.PHONY: load
load:
	build/scripts/load.sh

# --- Signed release manifest (issue 15 part 5), maintainers only -------------------------
# After `make package`: RELEASE_KEY=/secure/ecert-release.key make release-manifest
# copies the Windows exe and the .deb into build/out/release/ and signs manifest.json
# there; serve that folder with `ecert-server --release-dir build/out/release`.
# The key comes from `go run ./build/release keygen` (build/packaging/README.md).
.PHONY: release-manifest
release-manifest:
	@test -n "$(RELEASE_KEY)" || { echo "release-manifest: RELEASE_KEY=FILE is required"; exit 2; }
	go run ./build/release sign -key "$(RELEASE_KEY)" -version "$$(cat build/out/package/stage/windows/VERSION)" \
		-dir build/out/release windows-amd64=build/out/package/windows-files/ecert-desktop.exe \
		linux-amd64="$$(ls build/out/package/*.deb | head -n1)"
