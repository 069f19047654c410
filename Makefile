# Hallmark — the two commands a newcomer needs (see README.md):
#   make run    install what is missing, build, and open the desktop app on the embedded default
#   make test   install what the tests need and run every test (unit, integration, E2E)
SHELL := /bin/bash

.PHONY: run test setup ui app lint bench

run:
	bash scripts/setup.sh run
	bash scripts/build-ui.sh
	# The same build as the test command's (scripts/test.sh): one feature set and clippy as the
	# workspace's compiler, so whichever of `make run` and `make test` comes second rebuilds nothing.
	source scripts/lint-env.sh && cargo build --workspace --all-targets
	bash scripts/run-app.sh

test:
	bash scripts/setup.sh test
	bash scripts/test.sh

# Pieces, for development.
setup:
	bash scripts/setup.sh test
ui:
	bash scripts/build-ui.sh
app: ui
	source scripts/lint-env.sh && cargo build --workspace --all-targets
lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
bench:
	bash bench/cid-vs-kubo.sh
