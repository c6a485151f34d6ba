#!/usr/bin/env bash
# Uploads CSV data (generated, or an existing folder) to s3://<data bucket>/input/<dataset>/.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: scripts/upload-sample-data.sh [options]

Uploads *.csv / *.csv.gz files to s3://BUCKET/input/DATASET/ (the prefix an execution's
source.prefix names). Without --from it first generates data with scripts/generate-sample-data.sh
(rows with skew, duplicates and a few malformed rows; reproducible from --seed).
The data holds synthetic SSNs: the bucket's lifecycle rule expires input/ after DataRetentionDays.

options:
  --dataset NAME     dataset folder under input/ (default: sample)
  --rows N           rows to generate (default: 100000)
  --seed N           generator seed (default: 42)
  --from DIR         upload the *.csv / *.csv.gz files of DIR instead of generating
  --bucket NAME      data bucket (default: the DataBucketName output of the stack)
  --stack-name NAME  stack to read the bucket from (default: chunkflow)
  --region REGION    AWS region
  --profile PROFILE  AWS CLI profile
  --endpoint-url URL send every AWS call there (e.g. http://127.0.0.1:4566, chunkflow serve)
  -h, --help         this help

Prints the source prefix (input/DATASET/) on stdout when done.
USAGE
}

die() { echo "upload-sample-data: error: $*" >&2; exit 1; }
info() { echo "upload-sample-data: $*" >&2; }

dataset="sample"
rows=100000
seed=42
from=""
bucket=""
stack_name="chunkflow"
aws_args=()

while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --dataset) [[ $# -ge 2 ]] || die "--dataset needs a value"; dataset="$2"; shift 2 ;;
    --rows) [[ $# -ge 2 ]] || die "--rows needs a value"; rows="$2"; shift 2 ;;
    --seed) [[ $# -ge 2 ]] || die "--seed needs a value"; seed="$2"; shift 2 ;;
    --from) [[ $# -ge 2 ]] || die "--from needs a value"; from="$2"; shift 2 ;;
    --bucket) [[ $# -ge 2 ]] || die "--bucket needs a value"; bucket="$2"; shift 2 ;;
    --stack-name) [[ $# -ge 2 ]] || die "--stack-name needs a value"; stack_name="$2"; shift 2 ;;
    --region) [[ $# -ge 2 ]] || die "--region needs a value"; aws_args+=(--region "$2"); shift 2 ;;
    --profile) [[ $# -ge 2 ]] || die "--profile needs a value"; aws_args+=(--profile "$2"); shift 2 ;;
    --endpoint-url) [[ $# -ge 2 ]] || die "--endpoint-url needs a value"; aws_args+=(--endpoint-url "$2"); shift 2 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

[[ "$dataset" =~ ^[A-Za-z0-9._-]+$ ]] || die "--dataset must match [A-Za-z0-9._-]+, got '$dataset'"
[[ "$rows" =~ ^[0-9]+$ && "$rows" -gt 0 ]] || die "--rows must be a positive integer, got '$rows'"
[[ "$seed" =~ ^[0-9]+$ ]] || die "--seed must be a non-negative integer, got '$seed'"
command -v aws >/dev/null 2>&1 || die "the AWS CLI ('aws') is not on PATH"

root="$(cd "$(dirname "$0")/.." && pwd)"

if [[ -z "$bucket" ]]; then
  info "reading the data bucket from stack $stack_name"
  bucket="$(aws ${aws_args[@]+"${aws_args[@]}"} cloudformation describe-stacks --stack-name "$stack_name" \
    --query "Stacks[0].Outputs[?OutputKey=='DataBucketName'].OutputValue" --output text)" \
    || die "cannot describe stack $stack_name (deployed? right region/profile?)"
  [[ -n "$bucket" && "$bucket" != "None" ]] || die "stack $stack_name has no DataBucketName output"
fi

workdir=""
cleanup() { if [[ -n "$workdir" ]]; then rm -rf "$workdir"; fi; }
trap cleanup EXIT

if [[ -z "$from" ]]; then
  generator="$root/scripts/generate-sample-data.sh"
  [[ -x "$generator" || -f "$generator" ]] \
    || die "$generator is missing; generate CSV files yourself and pass --from DIR"
  workdir="$(mktemp -d)"
  info "generating $rows rows (seed $seed) with scripts/generate-sample-data.sh"
  bash "$generator" --rows "$rows" --seed "$seed" --out "$workdir" >&2 \
    || die "the generator failed; run it yourself and pass --from DIR"
  from="$workdir"
fi

[[ -d "$from" ]] || die "--from $from is not a directory"
shopt -s nullglob
files=("$from"/*.csv "$from"/*.csv.gz)
shopt -u nullglob
[[ ${#files[@]} -gt 0 ]] || die "no *.csv or *.csv.gz files in $from"

prefix="input/$dataset/"
info "uploading ${#files[@]} file(s) to s3://$bucket/$prefix"
for f in ${files[@]+"${files[@]}"}; do
  aws ${aws_args[@]+"${aws_args[@]}"} s3 cp --only-show-errors "$f" "s3://$bucket/$prefix$(basename "$f")"
done
info "done"
echo "$prefix"
