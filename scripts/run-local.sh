#!/usr/bin/env bash
# Runs the whole pipeline locally: the real state machine driving the real handlers against the
# embedded S3 and DynamoDB, with AWS limits enforced. Same as `scripts/chunkflow run ARGS`.
# Example: scripts/run-local.sh --rows 200000 --seed 7
set -euo pipefail
if [[ "${1:-}" == "-h" ]]; then
  set -- --help
fi
exec "$(cd "$(dirname "$0")" && pwd)/chunkflow" run "$@"
