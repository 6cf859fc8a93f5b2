#!/usr/bin/env bash
# Fuzzes the port with Jazzer for a set time; exits non-zero on a finding.
#
#   scripts/fuzz.sh SECONDS [--promote]
#
# SECONDS is split evenly between the two fuzz tests of ringbuf/ (Jazzer @FuzzTest, run by
# JUnit with JAZZER_FUZZ=1):
#   UserRingDrainFuzzTest.drain                                   the user ring's drain over arbitrary producer bytes
#   HostileConsumerFuzzTest.producerSurvivesHostileConsumerPositions  the producer against a hostile consumer_pos
# Each starts from its committed regression corpus (src/test/resources/.../<Test>Inputs/<method>/,
# which `mvn test` replays) plus the corpus earlier runs grew (kept in ringbuf/target/fuzz-corpus).
# A crashing input is written by Jazzer into the regression corpus directory itself, so it is
# replayed by `mvn test` from then on: fix the port, or the test, and commit the input.
# --promote copies the grown corpus into the committed regression corpus (review, then commit).
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:?usage: $0 SECONDS [--promote]}"
promote="${2:-}"
case "$secs" in ''|*[!0-9]*) echo "SECONDS must be a number" >&2; exit 2 ;; esac

tests=(UserRingDrainFuzzTest:drain HostileConsumerFuzzTest:producerSurvivesHostileConsumerPositions)
per=$(( secs / ${#tests[@]} ))
[ "$per" -ge 1 ] || per=1
res=ringbuf/src/test/resources/dev/ringbench/ringbuf
kept=ringbuf/target/fuzz-corpus   # Jazzer grows its corpus in ringbuf/.cifuzz-corpus; kept out of git here
mkdir -p ringbuf/target
if [ -d "$kept" ] && [ ! -d ringbuf/.cifuzz-corpus ]; then mv "$kept" ringbuf/.cifuzz-corpus; fi
trap '[ -d ringbuf/.cifuzz-corpus ] && rm -rf "$kept" && mv ringbuf/.cifuzz-corpus "$kept" || true' EXIT

echo "== building"
mvn -q -pl ringbuf -am install -DskipTests

status=0
for t in "${tests[@]}"; do
  cls=${t%%:*} method=${t##*:}
  log=ringbuf/target/fuzz-$cls.log
  echo "== fuzzing $cls.$method for ${per}s (log: $log)"
  start=$SECONDS
  rc=0
  JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${per}s" \
    mvn -q -pl ringbuf test -Dtest="$cls" -Dsurefire.failIfNoSpecifiedTests=false > "$log" 2>&1 || rc=$?
  done_line=$(grep -a -E '^Done [0-9]+ runs' "$log" | tail -n 1 || true)
  cov_line=$(grep -a -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$log" | tail -n 1 | grep -o -E 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9a-zA-Z]+' || true)
  echo "   exit $rc after $((SECONDS - start)) s: ${done_line:-no libFuzzer summary}; ${cov_line:-}"
  if [ "$rc" -ne 0 ]; then
    status=1
    if grep -a -q -E 'FuzzTestFindingException|Test unit written' "$log"; then
      grep -a -E 'FuzzTestFindingException|AssertionError|Exception:|Test unit written' "$log" | head -20 || true
      echo "   FINDING: the crashing input is in $res/${cls}Inputs/$method/ (replayed by mvn test)"
    else
      grep -a -E 'ERROR' "$log" | head -10 || true
      echo "   the run failed without a finding; see $log"
    fi
  fi
  if [ "$promote" = --promote ] && [ -d "ringbuf/.cifuzz-corpus/dev.ringbench.ringbuf.$cls/$method" ]; then
    n=0
    for f in "ringbuf/.cifuzz-corpus/dev.ringbench.ringbuf.$cls/$method"/*; do
      [ -f "$f" ] || continue
      cp -n "$f" "$res/${cls}Inputs/$method/corpus-$(basename "$f")"
      n=$((n + 1))
    done
    echo "   promoted $n corpus inputs into $res/${cls}Inputs/$method/"
  fi
done
[ "$status" -eq 0 ] && echo "== fuzz: no findings" || echo "== fuzz: FINDINGS (see above)"
exit "$status"
