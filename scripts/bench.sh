#!/usr/bin/env bash
# Benchmarks (docs/benchmarks.md): builds the jars if needed, runs every section in one JVM and writes
# bench/results/latest.json + docs/benchmarks.md (full run) or bench/results/quick.json (--quick / --only).
# Usage: scripts/bench.sh [--quick] [--only payload_scaling,throughput,...]
# BENCH_JAVA_OPTS: JVM flags of the harness JVM (default -Xmx6g; the engine and the in-process servers
# share it with the handlers, as in `chunkflow run`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cli="$root/local/target/chunkflow-local-0.1.0-SNAPSHOT-cli.jar"
lambda="$root/functions/target/chunkflow-functions-0.1.0-SNAPSHOT-lambda.jar"

stale() {
  [[ ! -f "$cli" || ! -f "$lambda" ]] && return 0
  [[ -n "$(find "$root/functions/src/main" "$root/local/src/main" "$root/functions/pom.xml" "$root/local/pom.xml" \
        -newer "$cli" -type f -print -quit 2>/dev/null)" ]]
}

for arg in "$@"; do
  if [[ "$arg" == "-h" || "$arg" == "--help" ]]; then
    # Answer without building (a stale jar would otherwise start a Maven build first).
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
  fi
done

if stale; then
  echo "bench: building (mvn package -DskipTests)..." >&2
  (cd "$root" && mvn -B -q -ntp package -DskipTests >&2)
fi

read -r -a java_opts <<< "${BENCH_JAVA_OPTS:--Xmx6g}"
exec java ${java_opts[@]+"${java_opts[@]}"} --enable-native-access=ALL-UNNAMED -Dchunkflow.repo.root="$root" \
  -cp "$cli" dev.chunkflow.local.bench.BenchMain "$@"
