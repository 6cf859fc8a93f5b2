#!/usr/bin/env bash
# Quiet-machine before/after of the port's second fast-path round. Nothing else runs meanwhile.
# before.jar: main at 5dd7445 (after the first round); after.jar: 2f5f4b2 (producers' copies of
# producer_pos and pending_pos; the lock stays in the metadata page). Jars are not committed
# (rebuild them from those commits with `mvn package`). Table: scripts/fastpath-table.py <this dir>
set -u
cd "$(dirname "$0")"
CH=BPF_RINGBUF_BATCHED,BPF_RINGBUF_LIBBPF,AGRONA_MANY_TO_ONE,JCTOOLS_MPSC,DISRUPTOR_BUSYSPIN
for round in 1 2; do
  for j in before after; do
    echo "$(date -u +%FT%TZ) $j round $round load $(cut -d' ' -f1-3 /proc/loadavg)" >> log.txt
    java -jar $j.jar jmh 'ThroughputScenario.backToBack' -p payload=8 -p channel=$CH \
      -f 3 -wi 3 -w 1 -i 5 -r 1 -rf json -rff throughput-b2b-$j-$round.json > throughput-b2b-$j-$round.txt 2>&1
  done
done
for j in after before; do
  echo "$(date -u +%FT%TZ) portcost $j load $(cut -d' ' -f1-3 /proc/loadavg)" >> log.txt
  java -jar $j.jar jmh 'PortCost' -f 3 -wi 3 -w 1 -i 5 -r 1 -prof gc -rf json -rff portcost-$j.json > portcost-$j.txt 2>&1
done
echo "$(date -u +%FT%TZ) done load $(cut -d' ' -f1-3 /proc/loadavg)" >> log.txt
