#!/usr/bin/env bash
# The effect of the unchecked producer path (os/MappedAtomics) on the port and the perf-buffer
# analogue, measured in one jar (b17686b, not committed: rebuild with `mvn package`): the same
# benchmark with -Dringbench.checkedAccess=true (every access checked, as without the export of
# jdk.internal.misc) and without it, alternated twice. Nothing else runs meanwhile.
# Table: python3 scripts/fastpath-table.py <this dir>  ("before" = checked, "after" = unchecked)
set -u
cd "$(dirname "$0")"
CH=BPF_RINGBUF_BATCHED,BPF_RINGBUF_LIBBPF,PERFBUF,AGRONA_MANY_TO_ONE
run() { # side, round, extra JMH options...
  local side=$1 round=$2
  shift 2
  echo "$(date -u +%FT%TZ) $side round $round load $(cut -d' ' -f1-3 /proc/loadavg)" >> log.txt
  java -jar benches.jar jmh 'ThroughputScenario.backToBack' -p payload=8 -p channel=$CH \
    -f 3 -wi 3 -w 1 -i 5 -r 1 "$@" -rf json -rff throughput-b2b-$side-$round.json > throughput-b2b-$side-$round.txt 2>&1
}
for round in 1 2; do
  run before $round -jvmArgsAppend -Dringbench.checkedAccess=true
  run after $round
done
echo "$(date -u +%FT%TZ) done load $(cut -d' ' -f1-3 /proc/loadavg)" >> log.txt
