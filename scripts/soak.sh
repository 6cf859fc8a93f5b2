#!/usr/bin/env bash
# Soak runs; each prints what it moved and fails (exit 1) on any lost, duplicated, reordered or
# corrupt record.
#
#   scripts/soak.sh MINUTES [PRODUCERS]
#       MINUTES of multi-producer traffic through the port and the user ring, every record
#       checksummed (PRODUCERS defaults to 4). Not part of CI. The program:
#       ringbuf-stress/src/main/java/dev/ringbench/ringbuf/stress/Soak.java.
#
#   scripts/soak.sh channels RECORDS [SECONDS] [KINDS]
#       every competitor kind (or the comma-separated KINDS), 1, 2 and 4 producers, RECORDS records
#       per kind split over the producer counts, at most SECONDS (default 900) per configuration,
#       every record checked (competitors/src/test/java/dev/ringbench/competitors/ChannelSoak.java,
#       run as the test ChannelSoakTest, whose bounded default is part of `mvn test` and so of CI).
#       Report: competitors/target/soak-report.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = channels ]; then
  records="${2:?usage: $0 channels RECORDS [SECONDS] [KINDS]}"
  case "$records" in ''|*[!0-9]*) echo "RECORDS must be a number" >&2; exit 2 ;; esac
  start=$SECONDS
  rc=0
  # -am: the port and the kernel module come from this tree (nothing is installed into ~/.m2)
  mvn -q -pl competitors -am test -Dtest=ChannelSoakTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dringbench.soak.records="$records" -Dringbench.soak.seconds="${3:-900}" -Dringbench.soak.kinds="${4:-}" || rc=$?
  cat competitors/target/soak-report.txt 2>/dev/null || true
  echo "== channel soak: exit $rc after $((SECONDS - start)) s"
  exit "$rc"
fi
. scripts/lib-jdk.sh
find_java25
minutes="${1:?usage: $0 MINUTES [PRODUCERS]}"
jar=ringbuf-stress/target/jcstress.jar   # the module's uber-jar holds the port and Soak too
if [ ! -f "$jar" ] || [ -n "$(find os/src ringbuf/src ringbuf-stress/src -newer "$jar" -name '*.java' | head -1)" ]; then
  echo "== building $jar"
  mvn -q -pl ringbuf-stress -am package -DskipTests
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$jar" "$tmp/soak.jar"
start=$SECONDS
rc=0
"$JAVA25" --enable-native-access=ALL-UNNAMED --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -cp "$tmp/soak.jar" dev.ringbench.ringbuf.stress.Soak "$minutes" "${2:-4}" || rc=$?
echo "== soak: exit $rc after $((SECONDS - start)) s"
exit "$rc"
