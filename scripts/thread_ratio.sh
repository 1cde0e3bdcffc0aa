#!/usr/bin/env bash
# Times the end-to-end benchmark job (the one `Benchmarks --peers` times against scikit-learn) at
# --threads 2 and --threads 1, alternating, RUNS times each, and prints both medians and their
# ratio. The corpus defaults to all of Reuters-21578 in ../shared/data.
# usage: scripts/thread_ratio.sh [RUNS] [CORPUS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
corpus=${2:-../shared/data/reuters21578/all.jsonl}
swift build -c release --product cluster >/dev/null
job=(run "$corpus" --skip-invalid --preset sklearn --linkage single --threshold 0.25
  --pair-floor 0.25 --shared-terms 0 --format json)
for _ in $(seq 1 "$runs"); do
  for threads in 2 1; do
    start=$(date +%s.%N)
    .build/release/cluster "${job[@]}" --threads "$threads" >/dev/null 2>&1
    end=$(date +%s.%N)
    echo "$threads $start $end"
  done
done | python3 -c '
import statistics, sys
times = {1: [], 2: []}
for line in sys.stdin:
    threads, start, end = line.split()
    times[int(threads)].append(float(end) - float(start))
for threads in (1, 2):
    print(f"--threads {threads}: " + " ".join(f"{t:.3f}" for t in times[threads]) + " s")
one, two = statistics.median(times[1]), statistics.median(times[2])
print(f"median --threads 1 {one:.3f} s, --threads 2 {two:.3f} s: 2 threads vs 1 {one / two:.2f}x")
'
