#!/usr/bin/env bash
# Starts one execution of the deployed ETL state machine (name = job_id), waits for it, prints the result.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: scripts/start-execution.sh [options]

Reads the state machine ARN from the stack outputs (EtlStateMachineArn), starts an execution named
after the job id, polls describe-execution until it ends and prints its output (or error and cause).
Exits 0 only when the execution SUCCEEDED.

options:
  --job-id ID               job id and execution name, [A-Za-z0-9_-]{1,80}
                            (default: run-YYYYmmdd-HHMMSS)
  --prefix PREFIX           source prefix in the data bucket (default: input/sample/)
  --upload                  first upload sample data (scripts/upload-sample-data.sh) and use its prefix
  --rows N / --seed N       passed to the upload (with --upload)
  --target-rows N           target_rows_per_chunk (default: the stack's TargetRowsPerChunk)
  --max-concurrency N       Map concurrency (default 10)
  --batch-size N            chunk ids per Distributed Map child (default 10)
  --tolerated-failure-percentage N   Distributed Map tolerance (default 0)
  --input FILE              use FILE as the execution input verbatim (e.g. events/start-execution.json);
                            its "job_id" names the execution; the options above are then ignored
  --no-wait                 print the execution ARN and return without polling
  --poll-seconds N          polling interval (default 5)
  --timeout-seconds N       give up waiting after N seconds (default 3600; the execution keeps running)
  --stack-name NAME         stack (default: chunkflow)
  --region REGION           AWS region
  --profile PROFILE         AWS CLI profile
  --endpoint-url URL        send every AWS call there (e.g. http://127.0.0.1:4566, chunkflow serve)
  -h, --help                this help
USAGE
}

die() { echo "start-execution: error: $*" >&2; exit 1; }
info() { echo "start-execution: $*" >&2; }
# shellcheck source-path=SCRIPTDIR source=lib/execution.sh
source "$(dirname "$0")/lib/execution.sh"
need_int() { [[ "$2" =~ ^[0-9]+$ ]] || die "$1 must be a non-negative integer, got '$2'"; }

job_id="run-$(date -u +%Y%m%d-%H%M%S)"
prefix="input/sample/"
upload=false
rows=""
seed=""
target_rows=""
max_concurrency=10
batch_size=10
tolerance=0
input_file=""
wait=true
poll=5
timeout=3600
stack_name="chunkflow"
aws_args=()

while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --job-id) [[ $# -ge 2 ]] || die "--job-id needs a value"; job_id="$2"; shift 2 ;;
    --prefix) [[ $# -ge 2 ]] || die "--prefix needs a value"; prefix="$2"; shift 2 ;;
    --upload) upload=true; shift ;;
    --rows) [[ $# -ge 2 ]] || die "--rows needs a value"; rows="$2"; shift 2 ;;
    --seed) [[ $# -ge 2 ]] || die "--seed needs a value"; seed="$2"; shift 2 ;;
    --target-rows) [[ $# -ge 2 ]] || die "--target-rows needs a value"; target_rows="$2"; shift 2 ;;
    --max-concurrency) [[ $# -ge 2 ]] || die "--max-concurrency needs a value"; max_concurrency="$2"; shift 2 ;;
    --batch-size) [[ $# -ge 2 ]] || die "--batch-size needs a value"; batch_size="$2"; shift 2 ;;
    --tolerated-failure-percentage) [[ $# -ge 2 ]] || die "--tolerated-failure-percentage needs a value"; tolerance="$2"; shift 2 ;;
    --input) [[ $# -ge 2 ]] || die "--input needs a value"; input_file="$2"; shift 2 ;;
    --no-wait) wait=false; shift ;;
    --poll-seconds) [[ $# -ge 2 ]] || die "--poll-seconds needs a value"; poll="$2"; shift 2 ;;
    --timeout-seconds) [[ $# -ge 2 ]] || die "--timeout-seconds needs a value"; timeout="$2"; shift 2 ;;
    --stack-name) [[ $# -ge 2 ]] || die "--stack-name needs a value"; stack_name="$2"; shift 2 ;;
    --region) [[ $# -ge 2 ]] || die "--region needs a value"; aws_args+=(--region "$2"); shift 2 ;;
    --profile) [[ $# -ge 2 ]] || die "--profile needs a value"; aws_args+=(--profile "$2"); shift 2 ;;
    --endpoint-url) [[ $# -ge 2 ]] || die "--endpoint-url needs a value"; aws_args+=(--endpoint-url "$2"); shift 2 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

need_int --max-concurrency "$max_concurrency"
need_int --batch-size "$batch_size"
need_int --tolerated-failure-percentage "$tolerance"
need_int --poll-seconds "$poll"
need_int --timeout-seconds "$timeout"
[[ -z "$target_rows" ]] || need_int --target-rows "$target_rows"
[[ "$batch_size" -ge 1 ]] || die "--batch-size must be at least 1"
[[ "$tolerance" -le 100 ]] || die "--tolerated-failure-percentage must be at most 100"
[[ "$poll" -ge 1 ]] || die "--poll-seconds must be at least 1"
command -v aws >/dev/null 2>&1 || die "the AWS CLI ('aws') is not on PATH"

root="$(cd "$(dirname "$0")/.." && pwd)"

if [[ -n "$input_file" ]]; then
  [[ -f "$input_file" ]] || die "--input $input_file does not exist"
  input="$(cat "$input_file")"
  # The execution name must be the job id; read it from the file (a flat "job_id": "..." member).
  job_id="$(grep -oE '"job_id"[[:space:]]*:[[:space:]]*"[^"]*"' "$input_file" | head -n1 | sed -E 's/.*"([^"]*)"$/\1/')" \
    || true
  [[ -n "$job_id" ]] || die "$input_file has no \"job_id\": \"...\" member"
fi
[[ "$job_id" =~ ^[A-Za-z0-9_-]{1,80}$ ]] || die "job id must match [A-Za-z0-9_-]{1,80} (it is the execution name), got '$job_id'"

if [[ -z "$input_file" ]]; then
  if [[ "$upload" == true ]]; then
    up_args=(--stack-name "$stack_name" ${aws_args[@]+"${aws_args[@]}"})
    if [[ -n "$rows" ]]; then up_args+=(--rows "$rows"); fi
    if [[ -n "$seed" ]]; then up_args+=(--seed "$seed"); fi
    prefix="$(bash "$root/scripts/upload-sample-data.sh" ${up_args[@]+"${up_args[@]}"})" || die "upload failed"
  fi
  # Embedded in JSON below without escaping, so only plain key characters are accepted.
  [[ "$prefix" =~ ^[A-Za-z0-9._/-]+$ ]] || die "--prefix must match [A-Za-z0-9._/-]+, got '$prefix'"
  target_member=""
  if [[ -n "$target_rows" ]]; then target_member=", \"target_rows_per_chunk\": $target_rows"; fi
  input="{\"job_id\": \"$job_id\", \"source\": {\"prefix\": \"$prefix\"}$target_member, \"max_concurrency\": $max_concurrency, \"batch_size\": $batch_size, \"tolerated_failure_percentage\": $tolerance}"
fi

info "reading the state machine ARN from stack $stack_name"
sm_arn="$(aws ${aws_args[@]+"${aws_args[@]}"} cloudformation describe-stacks --stack-name "$stack_name" \
  --query "Stacks[0].Outputs[?OutputKey=='EtlStateMachineArn'].OutputValue" --output text)" \
  || die "cannot describe stack $stack_name (deployed? right region/profile?)"
[[ -n "$sm_arn" && "$sm_arn" != "None" ]] || die "stack $stack_name has no EtlStateMachineArn output"

info "starting execution $job_id"
info "input: $input"
exec_arn="$(aws ${aws_args[@]+"${aws_args[@]}"} stepfunctions start-execution --state-machine-arn "$sm_arn" \
  --name "$job_id" --input "$input" --query executionArn --output text)" \
  || die "start-execution failed (an execution named $job_id with a different input already exists? pick another --job-id)"
info "execution: $exec_arn"

if [[ "$wait" == false ]]; then
  echo "$exec_arn"
  exit 0
fi

wait_for_execution "$exec_arn" "$timeout" "$poll" "{status: status, error: error, cause: cause}" && exit 0
exit 1
