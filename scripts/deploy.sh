#!/usr/bin/env bash
# Builds and deploys the chunkflow stack with the SAM CLI (sam build && sam deploy).
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: scripts/deploy.sh [options] [-- extra sam deploy arguments]

Builds the functions (sam build: Maven in a scratch copy of functions/) and deploys template.yaml with
the [default] settings of samconfig.toml (stack "chunkflow", CAPABILITY_IAM, managed artifact bucket).
The stack generates the patient_token HMAC key itself (Secrets Manager secret TokenSecret, retained on
stack deletion): nothing to create beforehand.

options:
  --stack-name NAME         stack to deploy (default: chunkflow, from samconfig.toml)
  --region REGION           AWS region (default: your AWS CLI configuration)
  --profile PROFILE         AWS CLI profile
  --guided                  run `sam deploy --guided` instead of the samconfig.toml defaults
  -h, --help                this help

Requires: sam (AWS SAM CLI), aws (AWS CLI v2), Java 17+ and Maven (for sam build).
USAGE
}

die() { echo "deploy: error: $*" >&2; exit 1; }
info() { echo "deploy: $*" >&2; }

stack_name=""
guided=false
aws_args=()
extra=()

while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --stack-name) [[ $# -ge 2 ]] || die "--stack-name needs a value"; stack_name="$2"; shift 2 ;;
    --region) [[ $# -ge 2 ]] || die "--region needs a value"; aws_args+=(--region "$2"); shift 2 ;;
    --profile) [[ $# -ge 2 ]] || die "--profile needs a value"; aws_args+=(--profile "$2"); shift 2 ;;
    --create-token-secret|--token-secret-param)
      die "$1 is gone: the stack now generates the token secret itself (see docs/deploy.md)" ;;
    --guided) guided=true; shift ;;
    --) shift; extra+=("$@"); break ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

command -v sam >/dev/null 2>&1 || die "the AWS SAM CLI ('sam') is not on PATH: https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/install-sam-cli.html"
command -v aws >/dev/null 2>&1 || die "the AWS CLI ('aws') is not on PATH: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html"
command -v mvn >/dev/null 2>&1 || die "Maven ('mvn') is not on PATH; sam build needs it for the Java functions"

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

info "checking AWS credentials"
aws ${aws_args[@]+"${aws_args[@]}"} sts get-caller-identity --query Arn --output text >&2 \
  || die "no usable AWS credentials (configure them with 'aws configure' or AWS_PROFILE)"

sam_args=()
if [[ -n "$stack_name" ]]; then sam_args+=(--stack-name "$stack_name"); fi
sam_args+=(${aws_args[@]+"${aws_args[@]}"})
if [[ "$guided" == true ]]; then sam_args+=(--guided); fi

info "sam build"
sam build

info "sam deploy ${sam_args[*]} ${extra[*]}"
sam deploy ${sam_args[@]+"${sam_args[@]}"} ${extra[@]+"${extra[@]}"}

info "done. Stack outputs:"
aws ${aws_args[@]+"${aws_args[@]}"} cloudformation describe-stacks --stack-name "${stack_name:-chunkflow}" \
  --query "Stacks[0].Outputs[].[OutputKey,OutputValue]" --output text
