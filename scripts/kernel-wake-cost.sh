#!/usr/bin/env bash
# What one trigger of the kernel-bench's ring program costs the live kernel here, with and without
# a forced wake-up, and reserve+submit against output per record (scripts/KernelWakeCost.java says how). Needs root and benches.jar
# (`mvn package`). Usage: scripts/kernel-wake-cost.sh [OUT_FILE]  (also prints to stdout)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib-jdk.sh
find_java25
[ -f benches.jar ] || { echo "benches.jar not found: run mvn package first" >&2; exit 2; }
out="${1:-/dev/null}"
{
  echo "# $(date -u '+%Y-%m-%d %H:%M UTC') $(uname -r) $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
  "$JAVA25" --enable-native-access=ALL-UNNAMED -cp benches.jar scripts/KernelWakeCost.java
} | tee "$out"
