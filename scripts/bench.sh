#!/usr/bin/env bash
# Measures akhbar's throughput on the bundled corpus, in one run:
#
#  1. benches/tokenize.rs (criterion) on the corpus repeated to 8 MiB: each layer
#     beside a baseline of reading and validating the same bytes;
#  2. the CLI on the corpus repeated to 100 MB (400 documents in a directory),
#     with 1 and 2 threads, five runs each: the median MB/s, the range, and
#     peak resident memory (/usr/bin/time).
#
# Usage: bash scripts/bench.sh [criterion filter]. The full criterion output is
# kept in target/bench.log.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target
echo "== layers (criterion, median throughput)"
cargo bench --bench tokenize -- --noplot "$@" 2>&1 | tee target/bench.log |
  awk '/^corpus\// { name = $0; sub(/^corpus\//, "", name); sub(/ +time:.*/, "", name) }
       /thrpt:/ && name != "" { split($0, a, "["); split(a[2], v, " "); printf "%-45s %s %s\n", name, v[3], v[4]; name = "" }'

echo "== the CLI on the corpus repeated to 100 MB"
cargo build --release --quiet
dir=target/bench-corpus
if [ ! -d "$dir" ]; then
  mkdir -p "$dir"
  blob=target/bench-corpus.txt
  : > "$blob"
  while [ "$(stat -c %s "$blob")" -lt 100000000 ]; do
    for f in corpus/dev/*.txt corpus/test/*.txt; do cat "$f"; printf '\n\n\n'; done >> "$blob"
  done
  split -n l/400 -d -a 4 --additional-suffix=.txt "$blob" "$dir/doc"
  rm "$blob"
fi
bytes=$(cat "$dir"/*.txt | wc -c)
start=$(date +%s.%N); cat "$dir"/*.txt | iconv -f UTF-8 -t UTF-8 > /dev/null; end=$(date +%s.%N)
awk -v b="$bytes" -v s="$start" -v e="$end" 'BEGIN { printf "%-45s %.1f MB/s\n", "baseline: read + validate UTF-8 (cat | iconv)", b / 1e6 / (e - s) }'
# Each configuration runs five times; the median is reported, since one run
# on a shared machine can be off by a tenth either way.
for jobs in 1 2; do
  : > target/bench-time.txt
  for _ in 1 2 3 4 5; do
    /usr/bin/time -a -f "%e %M" -o target/bench-time.txt ./target/release/akhbar extract "$dir" --jobs "$jobs" -o /dev/null 2> /dev/null
  done
  sort -n target/bench-time.txt | awk -v b="$bytes" -v j="$jobs" \
    '{ s[NR] = $1; if ($2 > k) k = $2 }
     END { printf "%-45s %.1f MB/s (median of %d; %.1f to %.1f), peak %.0f MB resident\n", "akhbar extract, JSON Lines, " j " thread(s)", b / 1e6 / s[(NR + 1) / 2], NR, b / 1e6 / s[NR], b / 1e6 / s[1], k / 1024 }'
done
