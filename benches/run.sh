#!/usr/bin/env bash
# The benchmarks behind `make bench`: builds the release binary and every benchmark
# (cargo bench = the release profile), runs them one after the other, then regenerates
# BENCHMARKS.md from their JSON results in target/bench-results/.
#
#   bash benches/run.sh              full run (about 10 minutes of measuring on 2 cores);
#                                    writes BENCHMARKS.md at the top of the repository
#   bash benches/run.sh --quick      CI smoke run (about 2 minutes of measuring);
#                                    writes target/bench-results/quick/BENCHMARKS.md
#   bash benches/run.sh --only ingest,disk      a subset
#   bash benches/run.sh --report-only           rebuild the report from existing results
#   bash benches/run.sh --out FILE              write the report elsewhere
#
# Every benchmark bounds its own load (counts and time) and sends traffic only to
# 127.0.0.1; each run is also capped by `timeout`. Exit status: non-zero if a benchmark
# failed (a missed target is reported, not a failure).
set -uo pipefail
cd "$(dirname "$0")/.."

ALL=(startup ingest disk serve_1k api_latency checks hanging)
quick=0
report_only=0
only=""
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1 ;;
    --report-only) report_only=1 ;;
    --only) only="${2:?--only needs a comma-separated list}"; shift ;;
    --out) out="${2:?--out needs a file}"; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

benches=("${ALL[@]}")
if [[ -n "$only" ]]; then
  IFS=',' read -r -a benches <<<"$only"
fi
target_dir="${CARGO_TARGET_DIR:-target}"
# Quick results are kept apart, so a smoke run never mixes into the full report.
if [[ $quick == 1 ]]; then results="$target_dir/bench-results/quick"; else results="$target_dir/bench-results"; fi
mkdir -p "$results"
results=$(cd "$results" && pwd)
if [[ -z "$out" ]]; then
  if [[ $quick == 1 ]]; then out="$results/BENCHMARKS.md"; else out="BENCHMARKS.md"; fi
fi
export PEEKAPING_BENCH_QUICK=$quick PEEKAPING_BENCH_RESULTS="$results"

failed=()
if [[ $report_only == 0 ]]; then
  echo "== building (release profile) =="
  cargo build --release --bin peekaping || exit 1
  bench_args=()
  for b in "${benches[@]}"; do bench_args+=(--bench "$b"); done
  # Build once, then run the built executables (as `cargo bench` would, with --bench):
  # every benchmark measures the same build, and a source edited meanwhile does not
  # trigger a rebuild between two of them.
  cargo bench --no-run "${bench_args[@]}" || exit 1
  executables=$(cargo bench --no-run --message-format=json "${bench_args[@]}" 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("reason") == "compiler-artifact" and "bench" in m["target"]["kind"] and m.get("executable"):
        print(m["target"]["name"], m["executable"])
')

  for b in "${benches[@]}"; do
    rm -f "$results/$b.json" "$results/$b"-*.json
  done
  started=$(date +%s)
  for b in "${benches[@]}"; do
    exe=$(awk -v b="$b" '$1 == b { print $2 }' <<<"$executables")
    if [[ -z "$exe" ]]; then
      echo "run.sh: no executable for benchmark $b" >&2
      failed+=("$b")
      continue
    fi
    t0=$(date +%s)
    if ! timeout 900 "$exe" --bench; then
      echo "run.sh: benchmark $b failed" >&2
      failed+=("$b")
    elif ! compgen -G "$results/$b.json" >/dev/null && ! compgen -G "$results/$b-*.json" >/dev/null; then
      echo "run.sh: benchmark $b wrote no results: does Cargo.toml declare it with harness = false?" >&2
      failed+=("$b")
    fi
    echo "   ($b: $(( $(date +%s) - t0 )) s)"
  done
  failed_json=""
  for b in "${failed[@]+"${failed[@]}"}"; do failed_json+="${failed_json:+, }\"$b\""; done
  printf '{"quick": %s, "seconds": %s, "failed": [%s]}\n' \
    "$([[ $quick == 1 ]] && echo true || echo false)" "$(( $(date +%s) - started ))" "$failed_json" \
    >"$results/run.json"
fi

python3 benches/report.py --results "$results" --out "$out" || exit 1
echo "report: $out"
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "failed benchmarks: ${failed[*]}" >&2
  exit 1
fi
