#!/usr/bin/env bash
# Builds the libFuzzer target over the JSON Lines, CSV and text readers and the tokenizer, and
# runs it for SECONDS (default 60) on the committed seed corpus. Crashes land in fuzz-artifacts/.
# usage: scripts/fuzz.sh [SECONDS] [extra libFuzzer flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
flags=(-c debug --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING)
swift build "${flags[@]}" --product StoryClusterFuzz 2>&1 | grep -vE "^\[|Cannot export" || true
binary="$(swift build "${flags[@]}" --show-bin-path)/StoryClusterFuzz"
mkdir -p fuzz-artifacts .build-fuzz/corpus
cp Fuzz/corpus/* .build-fuzz/corpus/
"$binary" .build-fuzz/corpus -max_total_time="$seconds" \
  -artifact_prefix=fuzz-artifacts/ -print_final_stats=1 "$@" 2>&1 | tee .build-fuzz/fuzz.log | tail -15
grep -E "stat::number_of_executed_units" .build-fuzz/fuzz.log
