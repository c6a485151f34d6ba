#!/usr/bin/env bash
# Compares two revisions' bench figures on this machine, interleaved: round i runs the sections of one
# revision, then of the other (the order alternates each round), so load from anything else on the machine
# falls on both alike. Prints each round, the medians and new/old (higher = new is faster), both as the
# ratio of the medians and as the median of each round's own ratio.
# Usage: scripts/compare-revisions.sh [--runs N] [--full] OLD_REV [NEW_REV]
#   NEW_REV defaults to this checkout as it is (uncommitted changes included); a revision is checked out
#   with `git worktree add` under $COMPARE_DIR (default /tmp/chunkflow-compare) and built once.
#   Sections: throughput (end-to-end rows/s of `chunkflow run`) and planner (GetChunks MB/s), in their
#   --quick sizes unless --full. Per-round results: $COMPARE_DIR/results/{old,new}-N.json.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs=5
quick=(--quick)
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --full) quick=(); shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
[[ ${#args[@]} -ge 1 && ${#args[@]} -le 2 ]] || { sed -n '6,6p' "$0" | sed 's/^# //' >&2; exit 2; }
command -v jq >/dev/null || { echo "compare-revisions: needs jq" >&2; exit 2; }
dir="${COMPARE_DIR:-/tmp/chunkflow-compare}"
mkdir -p "$dir/results"

# checkout REV -> prints the directory of a built worktree at REV
checkout() {
  local rev sha wt
  rev="$1"
  sha="$(git -C "$root" rev-parse --short=12 "$rev^{commit}")"
  wt="$dir/$sha"
  if [[ ! -d "$wt" ]]; then
    git -C "$root" worktree add --detach "$wt" "$sha" >&2
  fi
  build "$wt"
  echo "$wt"
}

build() {
  if [[ ! -f "$1/local/target/chunkflow-local-0.1.0-SNAPSHOT-cli.jar" ]]; then
    echo "compare-revisions: building $1" >&2
    (cd "$1" && mvn -B -q -ntp package -DskipTests >&2)
  fi
}

old="$(checkout "${args[0]}")"
if [[ ${#args[@]} -eq 2 ]]; then
  new="$(checkout "${args[1]}")"
else
  new="$root"
fi
echo "compare-revisions: old = ${args[0]} ($old), new = ${args[1]:-working tree} ($new), $runs rounds" >&2

# run SIDE ROUND: one bench run of one side, its figures saved
run() {
  local side="$1" round="$2" wt
  wt="$old"
  [[ "$side" == new ]] && wt="$new"
  # MaxConcurrency 10 on both sides: older revisions' throughput section has it fixed at 10
  BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:--Xmx6g} -Dchunkflow.bench.concurrency=10" \
    "$wt/scripts/bench.sh" ${quick[@]+"${quick[@]}"} --only throughput,planner >/dev/null 2>"$dir/results/$side-$round.log"
  cp "$wt/bench/results/quick.json" "$dir/results/$side-$round.json"
  jq -r --arg side "$side" --arg round "$round" \
    '"round \($round) \($side): throughput \(.throughput.rows / .throughput.chunkflow_wall_ms * 1000 | floor) rows/s (\(.throughput.chunkflow_wall_ms) ms), planner \(.planner.mb_per_s) MB/s (median \(.planner.median_ms) ms)"' \
    "$dir/results/$side-$round.json"
}

for ((i = 1; i <= runs; i++)); do
  if ((i % 2)); then run old "$i"; run new "$i"; else run new "$i"; run old "$i"; fi
done

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
figures() { # SIDE FIGURE(jq) -> median over rounds
  for ((i = 1; i <= runs; i++)); do jq -r "$2" "$dir/results/$1-$i.json"; done | median
}
tp='.throughput.rows / .throughput.chunkflow_wall_ms * 1000'
pl='.planner.mb_per_s'
paired() { # FIGURE(jq) -> median over rounds of new/old within the round
  for ((i = 1; i <= runs; i++)); do
    awk -v a="$(jq -r "$1" "$dir/results/new-$i.json")" -v b="$(jq -r "$1" "$dir/results/old-$i.json")" 'BEGIN {print a / b}'
  done | median
}
t_old="$(figures old "$tp")"; t_new="$(figures new "$tp")"
p_old="$(figures old "$pl")"; p_new="$(figures new "$pl")"
echo
printf '%-34s %14s %14s %10s %14s\n' "median of $runs interleaved runs" old new new/old "rounds' new/old"
printf '%-34s %14.0f %14.0f %10.3f %14.3f\n' "throughput (rows/s, end to end)" "$t_old" "$t_new" "$(awk -v a="$t_new" -v b="$t_old" 'BEGIN {print a / b}')" "$(paired "$tp")"
printf '%-34s %14.1f %14.1f %10.3f %14.3f\n' "planner (MB/s, GetChunks)" "$p_old" "$p_new" "$(awk -v a="$p_new" -v b="$p_old" 'BEGIN {print a / b}')" "$(paired "$pl")"
