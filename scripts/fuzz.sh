#!/usr/bin/env bash
# Fuzzes the port and the perf analogue with Jazzer for a set time; exits non-zero on a finding.
#
#   scripts/fuzz.sh SECONDS [--promote]
#
# SECONDS is split evenly between the fuzz tests (Jazzer @FuzzTest, run by JUnit with JAZZER_FUZZ=1):
#   ringbuf      UserRingDrainFuzzTest.drain                                   the user ring's drain over arbitrary producer bytes
#   ringbuf      HostileConsumerFuzzTest.producerSurvivesHostileConsumerPositions  the producer against a hostile consumer_pos
#   ringbuf      UserRingProducerFuzzTest.producerSurvivesHostileConsumerPage  the user-ring producer against a hostile consumer page
#   perfbuf      PerfBufferFuzzTest.consumerSurvivesHostileRing                the perf analogue's consumer against hostile data_head,
#                                                                              data_tail and record headers
# Each starts from its committed regression corpus (src/test/resources/.../<Test>Inputs/<method>/,
# which `mvn test` replays) plus the corpus earlier runs grew (kept in <module>/target/fuzz-corpus).
# A crashing input is written by Jazzer into the regression corpus directory itself, so it is
# replayed by `mvn test` from then on: fix the code, or the test, and commit the input.
# --promote copies the grown corpus into the committed regression corpus (review, then commit).
# Prints the executions of each test and their total. Runs at the caller's priority: on a shared
# machine run it as `nice -n 19 scripts/fuzz.sh ...`.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:?usage: $0 SECONDS [--promote]}"
promote="${2:-}"
case "$secs" in ''|*[!0-9]*) echo "SECONDS must be a number" >&2; exit 2 ;; esac

tests=(ringbuf:dev/ringbench/ringbuf:UserRingDrainFuzzTest:drain
       ringbuf:dev/ringbench/ringbuf:HostileConsumerFuzzTest:producerSurvivesHostileConsumerPositions
       ringbuf:dev/ringbench/ringbuf:UserRingProducerFuzzTest:producerSurvivesHostileConsumerPage
       perfbuf:dev/ringbench/perfbuf:PerfBufferFuzzTest:consumerSurvivesHostileRing)
per=$(( secs / ${#tests[@]} ))
[ "$per" -ge 1 ] || per=1

# Jazzer grows its corpus in <module>/.cifuzz-corpus; kept out of git in <module>/target/fuzz-corpus.
for m in ringbuf perfbuf; do
  mkdir -p "$m/target"
  if [ -d "$m/target/fuzz-corpus" ] && [ ! -d "$m/.cifuzz-corpus" ]; then mv "$m/target/fuzz-corpus" "$m/.cifuzz-corpus"; fi
done
keep() {
  for m in ringbuf perfbuf; do
    if [ -d "$m/.cifuzz-corpus" ]; then rm -rf "$m/target/fuzz-corpus"; mkdir -p "$m/target"; mv "$m/.cifuzz-corpus" "$m/target/fuzz-corpus"; fi
  done
}
trap keep EXIT

echo "== building"
mvn -q -pl ringbuf,perfbuf -am test-compile   # -am: from this tree, nothing installed into ~/.m2

status=0
total=0
for t in "${tests[@]}"; do
  IFS=: read -r module pkg cls method <<<"$t"
  res=$module/src/test/resources/$pkg
  log=$module/target/fuzz-$cls.log
  echo "== fuzzing $cls.$method for ${per}s (log: $log)"
  start=$SECONDS
  rc=0
  JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${per}s" \
    mvn -q -pl "$module" -am test -Dtest="$cls" -Dsurefire.failIfNoSpecifiedTests=false > "$log" 2>&1 || rc=$?
  done_line=$(grep -a -E '^Done [0-9]+ runs' "$log" | tail -n 1 || true)
  cov_line=$(grep -a -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$log" | tail -n 1 | grep -o -E 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9a-zA-Z]+' || true)
  runs=$(sed -n -E 's/^Done ([0-9]+) runs.*/\1/p' <<<"$done_line")
  total=$((total + ${runs:-0}))
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
  grown="$module/.cifuzz-corpus/${pkg//\//.}.$cls/$method"
  if [ "$promote" = --promote ] && [ -d "$grown" ]; then
    n=0
    mkdir -p "$res/${cls}Inputs/$method"
    for f in "$grown"/*; do
      [ -f "$f" ] || continue
      cp -n "$f" "$res/${cls}Inputs/$method/corpus-$(basename "$f")"
      n=$((n + 1))
    done
    echo "   promoted $n corpus inputs into $res/${cls}Inputs/$method/"
  fi
done
echo "== fuzz: $total executions in total"
[ "$status" -eq 0 ] && echo "== fuzz: no findings" || echo "== fuzz: FINDINGS (see above)"
exit "$status"
