#!/usr/bin/env bash
# Generates synthetic visit CSV files (skewed, with duplicates and malformed rows; reproducible from a seed).
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: scripts/generate-sample-data.sh --out DIR [options]

Writes visits-0000.csv ... into DIR with dev.chunkflow.sample.SampleDataGenerator (functions module):
skewed patients and dates, re-sent versions of visits (same visit_id, other updated_at) and a small
share of malformed rows. The same options always produce the same bytes. SSNs are random, not real.
Builds the functions jar first if it is missing (needs Java 17+ and Maven).

options:
  --out DIR              output directory (required; created if missing)
  --rows N               data rows in total (default 100000)
  --seed N               random seed (default 42)
  --files N              number of files (default 4)
  --gzip                 write .csv.gz files
  --duplicate-rate X     share of rows re-sending an earlier visit (default 0.05)
  --malformed-rate X     share of malformed rows (default 0.01)
  --patients N           distinct patients (default rows/20, at least 50)
  --days N               distinct visit dates (default 365)
  --start-date DATE      first visit date, yyyy-MM-dd (default 2024-01-01)
  -h, --help             this help

Prints one JSON line with the counts on stdout.
USAGE
}

die() { echo "generate-sample-data: error: $*" >&2; exit 1; }

for arg in "$@"; do
  case "$arg" in
    -h|--help) usage; exit 0 ;;
  esac
done
[[ $# -gt 0 ]] || { usage >&2; exit 2; }

root="$(cd "$(dirname "$0")/.." && pwd)"
command -v java >/dev/null 2>&1 || die "java is not on PATH (Java 17+ needed)"

shopt -s nullglob
jars=("$root"/functions/target/chunkflow-functions-*-SNAPSHOT.jar)
if [[ ${#jars[@]} -eq 0 ]]; then
  command -v mvn >/dev/null 2>&1 || die "functions/target has no jar and mvn is not on PATH to build it"
  echo "generate-sample-data: building the functions jar (mvn package -DskipTests)" >&2
  mvn -B -q -f "$root/functions/pom.xml" package -DskipTests >&2 || die "building the functions jar failed"
  jars=("$root"/functions/target/chunkflow-functions-*-SNAPSHOT.jar)
fi
[[ ${#jars[@]} -gt 0 ]] || die "no functions jar under $root/functions/target"

# The generator uses only the JDK and classes of the functions jar itself.
exec java -cp "${jars[0]}" dev.chunkflow.sample.SampleDataGenerator "$@"
