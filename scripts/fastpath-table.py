#!/usr/bin/env python3
"""Before/after table of the port's fast path from saved JMH JSON files.

Usage: scripts/fastpath-table.py RESULTS_DIR
RESULTS_DIR holds throughput-b2b-{before,after}-R.json (ThroughputScenario.backToBack, one JMH run
each, alternated before/after; R a round number, or a name such as "pinned") and portcost-{before,after}.json (PortCostBenchmark). Prints, per
benchmark, the median of the one-second samples of every fork (min-max in brackets), and the
ratios the port's targets are judged by, computed within each run.
"""
import glob
import json
import os
import statistics
import sys


def samples(entry):
    return [v for fork in entry["primaryMetric"]["rawData"] for v in fork]


def fmt(xs, scale):
    xs = [x / scale for x in xs]
    return "%.1f [%.1f-%.1f]" % (statistics.median(xs), min(xs), max(xs))


def secondary(entry, name):
    m = entry.get("secondaryMetrics", {}).get(name)
    return None if m is None else m["score"]


def main(d):
    found = {}
    for f in glob.glob(os.path.join(d, "throughput-b2b-*.json")):
        if os.path.getsize(f) == 0:  # a run still going
            continue
        side, rnd = os.path.basename(f)[len("throughput-b2b-"):-len(".json")].split("-")
        found[(side, rnd)] = {e["params"]["channel"]: e for e in json.load(open(f))}
    # in the order they ran: by round (numbers first, then named rounds such as "pinned"), before first
    order = lambda k: (not k[1].isdigit(), int(k[1]) if k[1].isdigit() else k[1], k[0] != "before")
    runs = {k: found[k] for k in sorted(found, key=order)}
    if runs:
        chans = list(next(iter(runs.values())).keys())
        print("ThroughputScenario.backToBack, payload 8: M records/s, median [min-max] of 3 forks x 5 one-second samples")
        print("| channel | " + " | ".join("%s (run %s)" % k for k in runs) + " |")
        print("|---|" + "---|" * len(runs))
        for c in chans:
            print("| %s | " % c + " | ".join(fmt(samples(r[c]), 1e6) for r in runs.values()) + " |")
        for label, num, den in (("batched / Agrona", "BPF_RINGBUF_BATCHED", "AGRONA_MANY_TO_ONE"),
                                ("libbpf / batched", "BPF_RINGBUF_LIBBPF", "BPF_RINGBUF_BATCHED")):
            cells = []
            for r in runs.values():
                if num in r and den in r:
                    cells.append("%.2f" % (statistics.median(samples(r[num])) / statistics.median(samples(r[den]))))
                else:
                    cells.append("-")
            print("| %s (medians) | " % label + " | ".join(cells) + " |")
        for side in ("before", "after"):  # many short runs (one fork each, channels interleaved): the ratios' spread
            ratios = {}
            for (sd, rnd), r in runs.items():
                if sd == side:
                    for label, num, den in (("batched / Agrona", "BPF_RINGBUF_BATCHED", "AGRONA_MANY_TO_ONE"),
                                            ("libbpf / batched", "BPF_RINGBUF_LIBBPF", "BPF_RINGBUF_BATCHED")):
                        if num in r and den in r:
                            ratios.setdefault(label, []).append(
                                statistics.median(samples(r[num])) / statistics.median(samples(r[den])))
            for label, xs in ratios.items():
                if len(xs) >= 5:
                    target = 1.0 if label.startswith("batched") else 0.7
                    print("%s, %s, %d runs: median %.2f [%.2f-%.2f], %d of %d runs >= %.1f" % (
                        side, label, len(xs), statistics.median(xs), min(xs), max(xs),
                        sum(x >= target for x in xs), len(xs), target))
        print()
        print("Per fork (median of its samples), M records/s: a channel's forks often differ by more than the change")
        print("| channel | " + " | ".join("%s (run %s)" % k for k in runs) + " |")
        print("|---|" + "---|" * len(runs))
        for c in ("BPF_RINGBUF_BATCHED", "BPF_RINGBUF_LIBBPF", "AGRONA_MANY_TO_ONE"):
            cells = []
            for r in runs.values():
                if c in r:
                    cells.append(" / ".join("%.1f" % (statistics.median(f) / 1e6) for f in r[c]["primaryMetric"]["rawData"]))
                else:
                    cells.append("-")
            print("| %s | " % c + " | ".join(cells) + " |")
    for side in ("before", "after"):
        f = os.path.join(d, "portcost-%s.json" % side)
        if not os.path.exists(f) or os.path.getsize(f) == 0:
            continue
        print()
        print("PortCostBenchmark (%s): ns/record, median [min-max]; gc.alloc.rate.norm B/record" % side)
        for e in json.load(open(f)):
            name = e["benchmark"].split(".")[-1]
            p = ",".join("%s=%s" % kv for kv in sorted(e.get("params", {}).items()))
            alloc = secondary(e, "gc.alloc.rate.norm")
            print("| %s %s | %s | %s |" % (name, p, fmt(samples(e), 1), "-" if alloc is None else "%.4f" % alloc))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
