#!/usr/bin/env python3
"""Runs the fast-pass ctests of a build folder (ctest's own commands, environments and folders) under /usr/bin/time,
N at a time, and prints each test's CPU (user+sys of its process tree). Services (FLOE_REDIS_URL, FLOE_POSTGRES_URL) and
CI=true come from the caller's environment, as .ci/run sets them. Logs go to WORK/logs; WORK/cost.tsv (name, seconds)
orders the runs, longest first.
usage: measure.py BUILD_DIR OUT_TSV [-j N] [-R regex] [-E regex] [--trx DIR] [--work DIR]"""
import json, subprocess, sys, os, re, time, argparse, concurrent.futures as cf
ap = argparse.ArgumentParser()
ap.add_argument('build'); ap.add_argument('out'); ap.add_argument('-j', type=int, default=2)
ap.add_argument('-R', default=None); ap.add_argument('-E', default=None); ap.add_argument('--trx', default=None)
ap.add_argument('--work', default='/tmp/ctest-cpu')
a = ap.parse_args()
info = json.loads(subprocess.check_output(['ctest', '--test-dir', a.build, '--show-only=json-v1', '-LE', 'stress']))
tests = []
for t in info['tests']:
    props = {p['name']: p['value'] for p in t.get('properties', [])}
    if props.get('DISABLED'): continue
    if a.R and not re.search(a.R, t['name']): continue
    if a.E and re.search(a.E, t['name']): continue
    if 'command' not in t: print('no command:', t['name']); continue
    cmd = t['command']
    if a.trx and t['name'].startswith('nunit_') and 'test' in cmd:
        cmd = cmd + ['--logger', f"trx;LogFileName={a.trx}/{t['name']}.trx"]
    env = dict(os.environ)
    for kv in props.get('ENVIRONMENT', []):
        k, v = kv.split('=', 1); env[k] = v
    tests.append((t['name'], cmd, props.get('WORKING_DIRECTORY', a.build), env, float(props.get('COST', 0) or 0)))
prev = {}
if os.path.exists(f'{a.work}/cost.tsv'):
    for line in open(f'{a.work}/cost.tsv'):
        n, c = line.split()[:2]; prev[n] = float(c)
tests.sort(key=lambda t: -prev.get(t[0], t[4]))
def run(t):
    name, cmd, cwd, env, _ = t
    tf = f"{a.work}/time.{os.getpid()}.{abs(hash(name))}"
    log = open(f"{a.work}/logs/{name}.log", 'w')
    t0 = time.time()
    rc = subprocess.call(['/usr/bin/time', '-f', '%U %S %e %M', '-o', tf] + cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    u, s, e, m = open(tf).read().split()[-4:]
    os.unlink(tf)
    return name, float(u), float(s), float(e), int(m), rc
os.makedirs(f'{a.work}/logs', exist_ok=True)
t0 = time.time(); rows = []
with cf.ThreadPoolExecutor(a.j) as ex:
    for r in ex.map(run, tests):
        rows.append(r); print("%-70s cpu %7.2f (u %6.2f s %5.2f) wall %6.2f rss %7d rc %d" % (r[0], r[1]+r[2], r[1], r[2], r[3], r[4], r[5]), flush=True)
with open(a.out, 'w') as f:
    for r in rows: f.write("%s\t%.2f\t%.2f\t%.2f\t%.2f\t%d\t%d\n" % (r[0], r[1]+r[2], r[1], r[2], r[3], r[4], r[5]))
tot = sum(r[1]+r[2] for r in rows)
print("TOTAL cpu %.1f wall %.1f load %s" % (tot, time.time()-t0, open('/proc/loadavg').read().strip()))
