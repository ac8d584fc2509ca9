#!/usr/bin/env python3
# Interleaved A/B of process start cost: runs each binary in turn N times (`BIN ARGS` in $ABDIR, default an empty
# folder /tmp/fastpass9b-tmp/empty, which must exist), per-run
# CPU (user+sys from wait4) and minor faults; prints mean, median and 25th percentile per binary.
import os,sys,statistics,subprocess
n=int(sys.argv[1]); bins=[os.path.abspath(b) for b in sys.argv[2].split(',')]; args=sys.argv[3:] or ["table","list"]
os.chdir(os.environ.get("ABDIR","/tmp/fastpass9b-tmp/empty"))
res={b:[] for b in bins}; flt={b:[] for b in bins}
devnull=os.open(os.devnull,os.O_WRONLY)
for i in range(n):
    for b in (bins if i%2==0 else bins[::-1]):
        pid=os.fork()
        if pid==0:
            os.dup2(devnull,1); os.dup2(devnull,2)
            os.execv(b,[b]+args)
        _,st,ru=os.wait4(pid,0)
        res[b].append((ru.ru_utime+ru.ru_stime)*1000); flt[b].append(ru.ru_minflt)
for b in bins:
    r=sorted(res[b])
    print(f"{os.path.basename(b):14s} mean {statistics.mean(r):6.2f} ms  median {statistics.median(r):6.2f}  p25 {r[len(r)//4]:6.2f}  faults {statistics.median(flt[b]):.0f}")
print(open('/proc/loadavg').read().strip())
