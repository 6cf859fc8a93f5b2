#!/usr/bin/env bash
# Runs the jcstress tests of ringbuf-stress/ against the port; exits non-zero if any fails.
#
#   scripts/jcstress.sh              jcstress's "default" mode (the long run; ~15 min on 2 cores)
#   scripts/jcstress.sh MODE         a jcstress preset: sanity, quick, default, tough, stress
#   scripts/jcstress.sh TIME         default mode with TIME per iteration (e.g. 2000 or 5s)
#   scripts/jcstress.sh ci           CI's short run: one JVM configuration, 1 fork, 1 s per test
#
# Environment: JCSTRESS_PASSES=two-actors|three-actors (default: both, see below);
# JCSTRESS_OPTS="..." extra jcstress options (e.g. "-sc false" to skip the per-actor compilation
# matrix, which multiplies the 3-actor tests' run time by up to 27).
#
# Two passes. jcstress schedules an actor per CPU and refuses tests with more actors than the
# machine has CPUs, so on a 2-core machine the 3-actor tests (the 2-producer litmus shapes, the
# BUSY/DISCARD races, overwrite positions) would never run. Pass 1 runs the 2-actor tests with
# jcstress's own CPU topology and affinity. Pass 2 runs the 3-actor tests oversubscribed: it makes
# jcstress fall back to its synthetic topology (no affinity) with 4 CPUs; actors then share cores,
# which the OS scheduler interleaves (less dense races per second, but the same forbidden states).
# On a machine with 3+ CPUs pass 2 is not needed and everything runs in pass 1.
#
# Reports: ringbuf-stress/target/jcstress-<arg>/<pass>/results/index.html; logs beside them.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib-jdk.sh
find_java25

arg="${1:-default}"
case "$arg" in
  ci) opts=(-sc false -f 1 -fsm 1 -iters 1 -time 1000) ;;
  sanity|quick|default|tough|stress) opts=(-m "$arg") ;;
  *[0-9]*) opts=(-m default -time "$arg") ;;
  *) echo "usage: $0 [ci|sanity|quick|default|tough|stress|TIME]" >&2; exit 2 ;;
esac
native=(--enable-native-access=ALL-UNNAMED --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED)
if [ "$arg" = ci ]; then
  jvm=(-jvmArgs "${native[*]}")       # one configuration: no compiler-mode matrix
else
  jvm=(-jvmArgsPrepend "${native[*]}") # every configuration jcstress finds, plus the flag
fi

jar=ringbuf-stress/target/jcstress.jar
if [ ! -f "$jar" ] || [ -n "$(find os/src ringbuf/src ringbuf-stress/src -newer "$jar" -name '*.java' | head -1)" ]; then
  echo "== building $jar"
  mvn -q -pl ringbuf-stress -am package -DskipTests
fi

TWO_ACTORS='\.(Mpsc1p1cUnbound|Mpsc1p1cBounded|CaughtUpWakeup|UserRingOneDrainer|OverwriteTornRead)$'
THREE_ACTORS='\.(Mpsc2p1cUnbound|Mpsc2p1cBounded|BusyBitOrder|DiscardSkip|OverwritePositions)$'
cpus=$(nproc)
out=ringbuf-stress/target/jcstress-$arg
mkdir -p "$out"

status=0
passes="${JCSTRESS_PASSES:-two-actors three-actors}"
# shellcheck disable=SC2206
extra=(${JCSTRESS_OPTS:-})

run_pass() { # name, test regexp, extra java options, extra jcstress options...
  local name=$1 tests=$2 javaopts=$3
  shift 3
  case " $passes all " in *" $name "*) ;; *) echo "== skipping pass '$name'"; return 0 ;; esac
  rm -rf "${out:?}/$name"
  mkdir -p "$out/$name"
  cp "$jar" "$out/$name/jcstress.jar" # forks load the jar: a rebuild during a long run must not reach them
  local start=$SECONDS rc=0
  echo "== jcstress pass '$name' (${opts[*]} ${extra[*]}): $tests"
  # shellcheck disable=SC2086
  (cd "$out/$name" && "$JAVA25" $javaopts -jar jcstress.jar "${opts[@]}" "${extra[@]}" "${jvm[@]}" -t "$tests" "$@" \
      > jcstress.log 2>&1) || rc=$?
  # jcstress's last progress line: "(Results: N planned; P passed, F failed, S soft errs, H hard errs)"
  local line planned passed
  line=$(grep -E '^\(Results:' "$out/$name/jcstress.log" | tail -n 1 || true)
  planned=$(sed -E 's/^\(Results: ([0-9]+) planned; ([0-9]+) passed.*/\1/' <<<"$line")
  passed=$(sed -E 's/^\(Results: ([0-9]+) planned; ([0-9]+) passed.*/\2/' <<<"$line")
  echo "   pass '$name': exit $rc, ${line:-no results line}, $((SECONDS - start)) s" \
       "(report: $out/$name/results/index.html)"
  if command -v python3 >/dev/null && [ -d "$out/$name/results" ]; then
    python3 scripts/jcstress-summary.py "$out/$name/results" | sed 's/^/     /' || true
  fi
  if [ "$rc" -ne 0 ] || [ -z "$line" ] || [ "$planned" != "$passed" ] || [ "${passed:-0}" -eq 0 ] \
     || ! grep -q 'Failed tests: No matches' "$out/$name/jcstress.log" \
     || ! grep -q 'Error tests: No matches' "$out/$name/jcstress.log"; then
    sed -n '/Failed tests:/,$p' "$out/$name/jcstress.log" | head -60
    status=1
  fi
}

if [ "$cpus" -ge 3 ]; then
  run_pass all "$TWO_ACTORS|$THREE_ACTORS" ""
else
  run_pass two-actors "$TWO_ACTORS" ""
  # Oversubscribed: jcstress takes the synthetic topology when os.name is not Linux, and its CPU
  # count from the JVM (ActiveProcessorCount). Our code never reads os.name; the forks inherit both.
  run_pass three-actors "$THREE_ACTORS" "-XX:ActiveProcessorCount=4 -Dos.name=Oversubscribed" \
      -c 4 -af NONE -spinStyle THREAD_YIELD
fi
[ "$status" -eq 0 ] && echo "== jcstress: all passed" || echo "== jcstress: FAILURES (see above)"
exit "$status"
