#!/usr/bin/env bash
# Measures akhbar's throughput on the bundled corpus beside a read-and-validate
# baseline of the same bytes, in one run (benches/tokenize.rs). Prints one line
# per measurement: its name and the median throughput. The full criterion output
# is kept in target/bench.log.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target
cargo bench --bench tokenize -- --noplot "$@" 2>&1 | tee target/bench.log |
  awk '/^corpus\// { name = $0; sub(/^corpus\//, "", name); sub(/ +time:.*/, "", name) }
       /thrpt:/ && name != "" { split($0, a, "["); split(a[2], v, " "); printf "%-45s %s %s\n", name, v[3], v[4]; name = "" }'
