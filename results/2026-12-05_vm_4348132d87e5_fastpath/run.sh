#!/usr/bin/env bash
# Quiet-machine before/after of the port's fast path. Nothing else runs meanwhile.
set -u
cd "$(dirname "$0")"  # before.jar: main at 8c4e37f; after.jar: 4348132; before-portcost.jar: 8c4e37f plus PortCostBenchmark.java
CH=BPF_RINGBUF_BATCHED,BPF_RINGBUF_LIBBPF,AGRONA_MANY_TO_ONE,JCTOOLS_MPSC,DISRUPTOR_BUSYSPIN
for round in 1 2; do
  for j in before after; do
    echo "$(date -u +%FT%TZ) $j round $round load $(cut -d' ' -f1-3 /proc/loadavg)" >> log.txt
    java -jar $j.jar jmh 'ThroughputScenario.backToBack' -p payload=8 -p channel=$CH \
      -f 3 -wi 3 -w 1 -i 5 -r 1 -rf json -rff throughput-b2b-$j-$round.json > throughput-b2b-$j-$round.txt 2>&1
  done
done
echo "$(date -u +%FT%TZ) portcost after load $(cut -d' ' -f1-3 /proc/loadavg)" >> log.txt
java -jar after.jar jmh 'PortCost' -f 3 -wi 3 -w 1 -i 5 -r 1 -prof gc -rf json -rff portcost-after.json > portcost-after.txt 2>&1
echo "$(date -u +%FT%TZ) done load $(cut -d' ' -f1-3 /proc/loadavg)" >> log.txt
echo "$(date -u +%FT%TZ) portcost before load $(cut -d' ' -f1-3 /proc/loadavg)" >> log.txt
java -jar before-portcost.jar jmh 'PortCost' -f 3 -wi 3 -w 1 -i 5 -r 1 -prof gc -rf json -rff portcost-before.json > portcost-before.txt 2>&1
echo "$(date -u +%FT%TZ) done load $(cut -d' ' -f1-3 /proc/loadavg)" >> log.txt
