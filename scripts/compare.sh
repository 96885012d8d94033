#!/usr/bin/env bash
# Compares the single-thread throughput of two akhbar binaries on one input,
# running them in turn so that both see the same machine noise:
#
#   bash scripts/compare.sh INPUT OLD_BINARY NEW_BINARY [RUNS]
#
# Each binary runs `extract INPUT --jobs 1 -o /dev/null` RUNS times (default
# 3); the best and mean MB/s of each (from akhbar's summary line) are printed.
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: bash scripts/compare.sh INPUT OLD_BINARY NEW_BINARY [RUNS]" >&2
  exit 2
fi
input=$1 old=$2 new=$3 runs=${4:-3}
for _ in $(seq "$runs"); do
  for bin in "$old" "$new"; do
    mbs=$("$bin" extract "$input" --jobs 1 -o /dev/null 2>&1 | grep -o '([0-9.]* MB/s)' | tr -d '()MB/s ')
    echo "$bin $mbs"
  done
done | awk '{ if ($2 > best[$1]) best[$1] = $2; sum[$1] += $2; n[$1]++ }
  END { for (b in best) printf "%-40s best %.1f MB/s, mean %.1f MB/s\n", b, best[b], sum[b] / n[b] }'
