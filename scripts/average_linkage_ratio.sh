#!/usr/bin/env bash
# Times the default `cluster run` (story graph + average linkage) at --threads 1 and --threads 2,
# alternating, RUNS times each, and prints the medians of the whole run and of its cluster stage
# (from --verbose) with their 2-vs-1 ratios and the load average before each run; every run's
# output (the default table) must be byte-identical (printed as "equal"). With BASELINE (a `cluster` binary, e.g. one
# built from an earlier commit), it is timed the same way and its output compared too.
# usage: scripts/average_linkage_ratio.sh [RUNS] [CORPUS] [BASELINE]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
corpus=${2:-../shared/data/reuters21578/all.jsonl}
baseline=${3:-}
swift build -c release --product cluster >/dev/null
out=$(mktemp -d)
binaries=(.build/release/cluster)
if [ -n "$baseline" ]; then binaries+=("$baseline"); fi
for run in $(seq 1 "$runs"); do
  for threads in 1 2; do
    for b in "${!binaries[@]}"; do
      load=$(cut -d' ' -f1 /proc/loadavg)
      start=$(date +%s.%N)
      "${binaries[$b]}" run "$corpus" --skip-invalid --verbose --threads "$threads" \
        >"$out/$b-$threads-$run.out" 2>"$out/$b-$threads-$run.err"
      end=$(date +%s.%N)
      stage=$(sed -n 's/^time: cluster \([0-9.]*\) s\( .*\)\{0,1\}$/\1/p' "$out/$b-$threads-$run.err")
      # Keep the digest only.
      sha256sum <"$out/$b-$threads-$run.out" | cut -d' ' -f1 >"$out/$b-$threads-$run.sha"
      rm "$out/$b-$threads-$run.out"
      echo "$b $threads $start $end $stage $load"
    done
  done
done | python3 -c '
import statistics, sys
rows = [line.split() for line in sys.stdin]
for b in sorted({r[0] for r in rows}):
    name = "this build" if b == "0" else "baseline"
    med = {}
    for t in ("1", "2"):
        mine = [r for r in rows if r[0] == b and r[1] == t]
        wall = [float(r[3]) - float(r[2]) for r in mine]
        stage = [float(r[4]) for r in mine]
        print(f"{name} --threads {t}: run " + " ".join(f"{w:.1f}" for w in wall) + " s; cluster "
              + " ".join(f"{s:.1f}" for s in stage) + " s; load " + " ".join(r[5] for r in mine))
        med[t] = (statistics.median(wall), statistics.median(stage))
    print(f"{name} medians: run {med[chr(49)][0]:.1f} s vs {med[chr(50)][0]:.1f} s "
          f"({med[chr(49)][0] / med[chr(50)][0]:.2f}x), cluster {med[chr(49)][1]:.1f} s vs "
          f"{med[chr(50)][1]:.1f} s ({med[chr(49)][1] / med[chr(50)][1]:.2f}x)")
'
first=$(ls "$out"/*.sha | head -1)
for f in "$out"/*.sha; do cmp -s "$first" "$f" || { echo "DIFFERENT: $f"; exit 1; }; done
echo "outputs: equal ($(ls "$out"/*.sha | wc -l) runs, sha256 $(cat "$first"))"
rm -rf "$out"
