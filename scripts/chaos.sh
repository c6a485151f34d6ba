#!/usr/bin/env bash
# The full fault campaign: every crash point x fault kind on a 4-chunk job, then random faults.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: scripts/chaos.sh [options]

Runs `chunkflow chaos` twice on a 4-chunk job (2,000 rows, 500 per chunk): --mode points (every SDK call
of every invocation of a clean run x every fault kind that applies there: S3 503/500, DynamoDB throttles
and 500, GetObject reset, ambiguous outcome, sandbox crash before/after the call), then --mode random
(--runs runs, each SDK call faulting with probability --rate). Invariants are checked after every run
(see docs/reliability.md). Reports go to OUT/chaos-points.json and OUT/chaos-random.json.
Exits 0 only if neither campaign diverged. Takes about 15 + 10 minutes on 2 cores.

options:
  --runs N            random campaign runs (default 200)
  --rate R            random fault rate per SDK call (default 0.05)
  --workers N         runs in parallel, each on its own local stack (default 2)
  --isolation MODE    in-process (default) or process (crashes kill the environment's JVM)
  --fault-seed S      seed of the random faults (default 1)
  --only points|random  run one of the two campaigns
  --out DIR           where the reports go (default bench/results)
  -h, --help          this help
USAGE
}

die() { echo "chaos: error: $*" >&2; exit 1; }
need_value() { [[ "$2" -ge 2 ]] || die "$1 needs a value"; }

runs=200
rate=0.05
workers=2
isolation=in-process
fault_seed=1
only=""
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/bench/results"

while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --runs) need_value "$1" $#; runs="$2"; shift 2 ;;
    --rate) need_value "$1" $#; rate="$2"; shift 2 ;;
    --workers) need_value "$1" $#; workers="$2"; shift 2 ;;
    --isolation) need_value "$1" $#; isolation="$2"; shift 2 ;;
    --fault-seed) need_value "$1" $#; fault_seed="$2"; shift 2 ;;
    --only) need_value "$1" $#; only="$2"; shift 2 ;;
    --out) need_value "$1" $#; out="$2"; shift 2 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[[ -z "$only" || "$only" == points || "$only" == random ]] || die "--only must be points or random, got '$only'"
mkdir -p "$out"

status=0
common=(--rows 2000 --chunk-rows 500 --workers "$workers" --isolation "$isolation" --fault-seed "$fault_seed")
if [[ -z "$only" || "$only" == points ]]; then
  "$root/scripts/chunkflow" --state-dir "$root/.chunkflow/chaos-points" chaos --mode points ${common[@]+"${common[@]}"} \
    --report "$out/chaos-points.json" || status=1
fi
if [[ -z "$only" || "$only" == random ]]; then
  "$root/scripts/chunkflow" --state-dir "$root/.chunkflow/chaos-random" chaos --mode random --runs "$runs" --rate "$rate" \
    ${common[@]+"${common[@]}"} --report "$out/chaos-random.json" || status=1
fi
exit "$status"
