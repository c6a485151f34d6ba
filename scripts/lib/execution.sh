# shellcheck shell=bash
# Sourced by start-execution.sh and redrive.sh (which define die, info and the aws_args array).
# wait_for_execution ARN TIMEOUT POLL FAILURE_QUERY: polls describe-execution every POLL seconds while
# the execution runs; on SUCCEEDED prints its output and returns 0; otherwise prints FAILURE_QUERY (a
# JMESPath over describe-execution) as JSON and returns 1. Past TIMEOUT it dies; the execution goes on.
wait_for_execution() {
  local exec_arn="$1" timeout="$2" poll="$3" failure_query="$4"
  local waited=0 status="RUNNING"
  while [[ "$status" == "RUNNING" || "$status" == "PENDING_REDRIVE" ]]; do
    if [[ "$waited" -ge "$timeout" ]]; then
      die "still $status after ${timeout}s; it keeps running: aws stepfunctions describe-execution --execution-arn $exec_arn"
    fi
    sleep "$poll"
    waited=$((waited + poll))
    status="$(aws ${aws_args[@]+"${aws_args[@]}"} stepfunctions describe-execution --execution-arn "$exec_arn" --query status --output text)"
    info "status after ${waited}s: $status"
  done

  if [[ "$status" == "SUCCEEDED" ]]; then
    aws ${aws_args[@]+"${aws_args[@]}"} stepfunctions describe-execution --execution-arn "$exec_arn" --query output --output text
    return 0
  fi
  aws ${aws_args[@]+"${aws_args[@]}"} stepfunctions describe-execution --execution-arn "$exec_arn" \
    --query "$failure_query" --output json
  return 1
}
