#!/usr/bin/env python3
"""Sums a jcstress report (results/*.html) per test: configurations run, samples per outcome.

   scripts/jcstress-summary.py ringbuf-stress/target/jcstress-default/*/results
"""
import glob, html, re, sys

def cells(row):
    return [html.unescape(re.sub(r'<[^>]+>', '', c)).strip() for c in re.findall(r'<t[dh][^>]*>(.*?)</t[dh]>', row, re.S)]

for d in sys.argv[1:]:
    for f in sorted(glob.glob(d + '/dev.*.html')):
        s = open(f).read()
        t = s[s.find('Observed States'):]
        t = t[:t.find('</table>')]
        rows = re.findall(r'<tr>(.*?)</tr>', t, re.S)
        ids = [c for c in cells(rows[0]) if c]
        expect = [c for c in cells(rows[1]) if c]
        totals = [0] * len(ids)
        configs = 0
        status = set()
        for r in rows[3:]:
            c = cells(r)
            if len(c) < 4 + len(ids):
                continue
            configs += 1
            status.add(c[3])
            for i, v in enumerate(c[4:4 + len(ids)]):
                totals[i] += int(v or 0)
        name = f.split('stress.')[-1][:-5]
        parts = ', '.join(f'[{i}] {n:,} ({e[:4].lower()})' for i, n, e in zip(ids, totals, expect) if n)
        print(f'{name}: {configs} configurations, {sum(totals):,} samples, status {"/".join(sorted(status))}; {parts}')
