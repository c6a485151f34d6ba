#!/usr/bin/env bash
# Redrives the failed, timed-out or aborted execution of a job (RedriveExecution), waits for it, prints the result.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: scripts/redrive.sh JOB_ID [options]

Redrives the execution named JOB_ID of the deployed ETL state machine (aws stepfunctions
redrive-execution): it resumes at the state that failed and re-runs only the Map items or children that
did not succeed; the job goes FAILED -> RUNNING (JobRedrivenRule, with an ExecutionRedriven step) ->
SUCCEEDED. Refuses, before calling the API, when the run's chunks under runs/JOB_ID/ may have expired
(the execution started RunsRetentionDays or more ago); Step Functions itself refuses executions that
SUCCEEDED, still run, or ended more than 14 days ago (ExecutionNotRedrivable).
Exits 0 only when the redriven execution SUCCEEDED.

options:
  --no-wait                 print the execution ARN and return without polling
  --poll-seconds N          polling interval (default 5)
  --timeout-seconds N       give up waiting after N seconds (default 3600; the execution keeps running)
  --stack-name NAME         stack (default: chunkflow)
  --region REGION           AWS region
  --profile PROFILE         AWS CLI profile
  --endpoint-url URL        send every AWS call there (e.g. chunkflow serve)
  -h, --help                this help
USAGE
}

die() { echo "redrive: error: $*" >&2; exit 1; }
info() { echo "redrive: $*" >&2; }
# shellcheck source-path=SCRIPTDIR source=lib/execution.sh
source "$(dirname "$0")/lib/execution.sh"
need_int() { [[ "$2" =~ ^[0-9]+$ ]] || die "$1 must be a non-negative integer, got '$2'"; }

job_id=""
wait=true
poll=5
timeout=3600
stack_name="chunkflow"
aws_args=()

while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --no-wait) wait=false; shift ;;
    --poll-seconds) [[ $# -ge 2 ]] || die "--poll-seconds needs a value"; poll="$2"; shift 2 ;;
    --timeout-seconds) [[ $# -ge 2 ]] || die "--timeout-seconds needs a value"; timeout="$2"; shift 2 ;;
    --stack-name) [[ $# -ge 2 ]] || die "--stack-name needs a value"; stack_name="$2"; shift 2 ;;
    --region) [[ $# -ge 2 ]] || die "--region needs a value"; aws_args+=(--region "$2"); shift 2 ;;
    --profile) [[ $# -ge 2 ]] || die "--profile needs a value"; aws_args+=(--profile "$2"); shift 2 ;;
    --endpoint-url) [[ $# -ge 2 ]] || die "--endpoint-url needs a value"; aws_args+=(--endpoint-url "$2"); shift 2 ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) [[ -z "$job_id" ]] || die "one JOB_ID only (got '$job_id' and '$1')"; job_id="$1"; shift ;;
  esac
done

[[ -n "$job_id" ]] || { usage >&2; die "JOB_ID is required"; }
[[ "$job_id" =~ ^[A-Za-z0-9_-]{1,80}$ ]] || die "JOB_ID must match [A-Za-z0-9_-]{1,80} (it is the execution name), got '$job_id'"
need_int --poll-seconds "$poll"
need_int --timeout-seconds "$timeout"
[[ "$poll" -ge 1 ]] || die "--poll-seconds must be at least 1"
command -v aws >/dev/null 2>&1 || die "the AWS CLI ('aws') is not on PATH"

info "reading the state machine ARN and RunsRetentionDays from stack $stack_name"
sm_arn="$(aws ${aws_args[@]+"${aws_args[@]}"} cloudformation describe-stacks --stack-name "$stack_name" \
  --query "Stacks[0].Outputs[?OutputKey=='EtlStateMachineArn'].OutputValue" --output text)" \
  || die "cannot describe stack $stack_name (deployed? right region/profile?)"
[[ -n "$sm_arn" && "$sm_arn" != "None" ]] || die "stack $stack_name has no EtlStateMachineArn output"
retention="$(aws ${aws_args[@]+"${aws_args[@]}"} cloudformation describe-stacks --stack-name "$stack_name" \
  --query "Stacks[0].Parameters[?ParameterKey=='RunsRetentionDays'].ParameterValue" --output text 2>/dev/null || true)"
[[ "$retention" =~ ^[0-9]+$ ]] || retention=14

# arn:aws:states:REGION:ACCOUNT:stateMachine:NAME -> arn:aws:states:REGION:ACCOUNT:execution:NAME:JOB_ID
exec_arn="${sm_arn/:stateMachine:/:execution:}:$job_id"

started="$(aws ${aws_args[@]+"${aws_args[@]}"} stepfunctions describe-execution --execution-arn "$exec_arn" \
  --query startDate --output text)" || die "no execution $exec_arn (was job $job_id started on this stack?)"
# The CLI prints epoch seconds (v1) or an ISO-8601 time (v2): both become epoch seconds here.
if [[ "$started" =~ ^[0-9]+(\.[0-9]+)?$ ]]; then
  started_s="${started%%.*}"
else
  started_s="$(date -u -d "$started" +%s 2>/dev/null || date -u -j -f '%Y-%m-%dT%H:%M:%S' "${started%%.*}" +%s 2>/dev/null || echo "")"
fi
if [[ -n "$started_s" ]]; then
  age_days=$(( ($(date -u +%s) - started_s) / 86400 ))
  if [[ "$age_days" -ge "$retention" ]]; then
    die "job $job_id started $age_days days ago; its chunks under runs/$job_id/ may have expired (RunsRetentionDays=$retention), so a redrive could not read them. Start a new job instead."
  fi
else
  info "could not read the start date '$started'; leaving the checks to Step Functions"
fi

info "redriving $exec_arn"
aws ${aws_args[@]+"${aws_args[@]}"} stepfunctions redrive-execution --execution-arn "$exec_arn" >/dev/null \
  || die "redrive-execution refused (see the message above: SUCCEEDED, still RUNNING, or ended more than 14 days ago)"

if [[ "$wait" == false ]]; then
  echo "$exec_arn"
  exit 0
fi

wait_for_execution "$exec_arn" "$timeout" "$poll" "{status: status, error: error, cause: cause, redriveCount: redriveCount}" && exit 0
exit 1
