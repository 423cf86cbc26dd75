#!/bin/sh
# The store on SQLite vs PostgreSQL, with pgbench on the same server as the reference
# (README "Benchmarks"). Arguments go to `anvil-bench store-compare`, e.g.
#   sh Benchmarks/store/run.sh --postgres postgres://anvil:anvil@127.0.0.1:5432/anvil
set -eu
cd "$(dirname "$0")/../.."
swift build -c release --scratch-path .build-release --product anvil-bench
exec .build-release/release/anvil-bench store-compare "$@"
