#!/usr/bin/env bash
# Soak run: MINUTES of multi-producer traffic through the port, every record checksummed;
# prints records moved and fails (exit 1) on any lost, duplicated, reordered or corrupt record.
# Not part of CI. The program: ringbuf-stress/src/main/java/dev/ringbench/ringbuf/stress/Soak.java.
#
#   scripts/soak.sh MINUTES [PRODUCERS]     (PRODUCERS defaults to 4)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib-jdk.sh
find_java25
minutes="${1:?usage: $0 MINUTES [PRODUCERS]}"
jar=ringbuf-stress/target/jcstress.jar   # the module's uber-jar holds the port and Soak too
if [ ! -f "$jar" ] || [ -n "$(find ringbuf/src ringbuf-stress/src -newer "$jar" -name '*.java' | head -1)" ]; then
  echo "== building $jar"
  mvn -q -pl ringbuf-stress -am package -DskipTests
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$jar" "$tmp/soak.jar"
start=$SECONDS
rc=0
"$JAVA25" --enable-native-access=ALL-UNNAMED -cp "$tmp/soak.jar" dev.ringbench.ringbuf.stress.Soak "$minutes" "${2:-4}" || rc=$?
echo "== soak: exit $rc after $((SECONDS - start)) s"
exit "$rc"
