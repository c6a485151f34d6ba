#!/usr/bin/env bash
# Installs the outside tools the checks use, if missing: shellcheck and, for the console's browser
# test, chromium + chromium-driver (Debian), and the npm asl-validator into .tools/ (git-ignored).
# Safe to run repeatedly.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  echo "usage: scripts/install-tools.sh   # installs shellcheck, chromium, chromium-driver and asl-validator if missing"
  exit 0
fi

if ! command -v shellcheck >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == "0" ]]; then
    echo "install-tools: installing shellcheck (apt-get)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null
  else
    echo "install-tools: shellcheck missing and cannot apt-get install it; its check will be skipped" >&2
  fi
fi

if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
  if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == "0" ]]; then
    echo "install-tools: installing chromium and chromium-driver (apt-get) for the console's browser test" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "install-tools: chromium/chromedriver missing and cannot apt-get install them; the browser test will be skipped" >&2
  fi
fi

if [[ ! -x "$root/.tools/node_modules/.bin/asl-validator" ]]; then
  if command -v npm >/dev/null 2>&1; then
    echo "install-tools: installing asl-validator@4.0.0 into .tools/" >&2
    mkdir -p "$root/.tools"
    npm install --silent --no-audit --no-fund --prefix "$root/.tools" asl-validator@4.0.0 >/dev/null
  else
    echo "install-tools: npm missing; the asl-validator check will be skipped" >&2
  fi
fi
