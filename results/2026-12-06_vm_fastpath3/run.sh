#!/usr/bin/env bash
# Quiet-machine before/after of the port's third fast-path round. Nothing else runs meanwhile.
# before.jar: main at 0cc7937 (after the second round: checked FFM accesses, producers' Java copies
# of producer_pos/pending_pos); after.jar: the unchecked hot path (MappedAtomics). Jars are not
# committed (rebuild them from those commits with `mvn package`).
# Rounds 1 and 2 as JMH runs them (unpinned); round "pinned" with the whole JVM on CPU 1
# (`taskset -c 1`), which keeps the single-threaded benchmark off whichever vCPU the host slows.
# Table: python3 scripts/fastpath-table.py <this dir>
set -u
cd "$(dirname "$0")"
CH=BPF_RINGBUF_BATCHED,BPF_RINGBUF_LIBBPF,AGRONA_MANY_TO_ONE,JCTOOLS_MPSC,DISRUPTOR_BUSYSPIN
b2b() { # jar, round, prefix command...
  local j=$1 round=$2
  shift 2
  echo "$(date -u +%FT%TZ) $j round $round load $(cut -d' ' -f1-3 /proc/loadavg)" >> log.txt
  "$@" java -jar $j.jar jmh 'ThroughputScenario.backToBack' -p payload=8 -p channel=$CH \
    -f 3 -wi 3 -w 1 -i 5 -r 1 -rf json -rff throughput-b2b-$j-$round.json > throughput-b2b-$j-$round.txt 2>&1
}
for round in 1 2; do
  for j in before after; do b2b $j $round; done
done
for j in before after; do b2b $j pinned taskset -c 1; done
for j in after before; do
  echo "$(date -u +%FT%TZ) portcost $j load $(cut -d' ' -f1-3 /proc/loadavg)" >> log.txt
  java -jar $j.jar jmh 'PortCost' -f 3 -wi 3 -w 1 -i 5 -r 1 -prof gc -rf json -rff portcost-$j.json > portcost-$j.txt 2>&1
done
echo "$(date -u +%FT%TZ) done load $(cut -d' ' -f1-3 /proc/loadavg)" >> log.txt
