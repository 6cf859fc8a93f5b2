import sys,re
txt=open(sys.argv[1]).read()
parts=re.split(r'^# Fork: (\d+) of \d+\n', txt, flags=re.M)
out=sys.argv[2] if len(sys.argv)>2 else None
for i in range(1,len(parts),2):
    k=parts[i]; body=parts[i+1]
    vals=[float(m.group(1)) for m in re.finditer(r'(?<![:\w])\s*([\d.]+) ops/s', body) ]
    hits=[float(m.group(1)) for m in re.finditer(r'hits:\s+([\d.]+) ops/s', body)]
    prim=[v for v in vals if v not in hits]
    print('fork',k,'all',[round(x/1e6,1) for x in prim], 'meas-mean', round(sum(hits)/max(1,len(hits))/1e6,1))
    if out: open(f'{out}.fork{k}.log','w').write(body)
