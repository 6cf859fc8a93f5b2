#!/usr/bin/env bash
# The done-criterion of the port's fast path, measured so that the host's slow phases (minutes
# long, hitting whichever JVM runs then: results/2026-12-05_bimodal-diagnosis) fall on every
# channel alike: ten short JMH runs, each one fork of the batched loop, libbpf's loop and Agrona's
# many-to-one ring back to back, so each run's ratios compare forks minutes apart at most.
# Jar: b17686b's benches.jar (not committed: rebuild with `mvn package`). Nothing else runs meanwhile.
# Table: python3 scripts/fastpath-table.py <this dir>
set -u
cd "$(dirname "$0")"
for n in 1 2 3 4 5 6 7 8 9 10; do
  echo "$(date -u +%FT%TZ) run $n load $(cut -d' ' -f1-3 /proc/loadavg)" >> log.txt
  java -jar benches.jar jmh 'ThroughputScenario.backToBack' -p payload=8 \
    -p channel=BPF_RINGBUF_BATCHED,BPF_RINGBUF_LIBBPF,AGRONA_MANY_TO_ONE \
    -f 1 -wi 3 -w 1 -i 5 -r 1 -rf json -rff throughput-b2b-after-$n.json > throughput-b2b-after-$n.txt 2>&1
done
echo "$(date -u +%FT%TZ) done load $(cut -d' ' -f1-3 /proc/loadavg)" >> log.txt
