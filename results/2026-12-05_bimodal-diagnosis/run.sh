#!/bin/bash
# usage: run.sh tag channel forks [extra jvm args]
tag=$1; ch=$2; f=$3; shift 3
cd /work/wt-bimodal
${PIN:+taskset -c $PIN} java -jar benches.jar jmh 'ThroughputScenario.backToBack' -p payload=8 -p channel=$ch -f $f -wi 3 -w 1 -i 5 -r 1 \
  ${1:+-jvmArgsAppend "$*"} > /tmp/bimodal/$tag.log 2>&1
grep -E '^# Fork|^Iteration   5|^Result' /tmp/bimodal/$tag.log | head -50
