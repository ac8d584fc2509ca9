#!/usr/bin/env python3
"""Interleaved A/B of five non-NUnit ctests (fastpass11a, issue #8): each ctest's own command and environment (from
`ctest --show-only=json-v1`) as "after", and as "before" the same command on main's scripts (copied beside the new
ones: tests/interop-old/ with node_modules, tests/distributed-old/ with go/, bindings/python/wheel_test_old.sh), main's
IL fuzz folder (/tmp/fp11a/fuzz-il) and the JVM test without -Dfloe.readme.example (it then compiles the README itself,
as on main). CPU-s = user+sys of the process tree (/usr/bin/time). Start Redis/PostgreSQL and CI=true as .ci/run does.
usage: nonnunit_ab.py [ROUNDS] [test1,test2,...]"""
import json, subprocess, os, sys, time
root = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..')); build = root + '/build'
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
only = sys.argv[2].split(',') if len(sys.argv) > 2 else None
info = json.loads(subprocess.check_output(['ctest', '--test-dir', build, '--show-only=json-v1']))
tests = {}
for t in info['tests']:
    props = {p['name']: p['value'] for p in t.get('properties', [])}
    env = dict(os.environ)
    for kv in props.get('ENVIRONMENT', []):
        k, v = kv.split('=', 1); env[k] = v
    for m in props.get('ENVIRONMENT_MODIFICATION', []):
        k, op = m.split('=', 1); op, v = op.split(':', 1)
        if op == 'path_list_prepend': env[k] = v + ':' + env.get(k, '')
    tests[t['name']] = (t['command'], props.get('WORKING_DIRECTORY', build), env)
def swap(cmd, old, new):
    out = [c.replace(old, new) for c in cmd]; assert out != cmd, (old, cmd); return out
variants = {
  'interop_icebird': lambda c: swap(c, '/tests/interop/run.sh', '/tests/interop-old/run.sh'),
  'distributed_backfill_python_go': lambda c: swap(c, '/tests/distributed/run.sh', '/tests/distributed-old/run.sh'),
  'jvm_bindings': lambda c: [x for x in c if not x.startswith('-Dfloe.readme.example=')],
  'python_wheel_install': lambda c: swap(c, '/wheel_test.sh', '/wheel_test_old.sh'),
  'fuzz_corpus': lambda c: swap(c, root + '/tests/Floe.Fuzz/bin/Release/net10.0/Floe.Fuzz.dll', '/tmp/fp11a/fuzz-il/Floe.Fuzz.dll'),
}
names = [n for n in variants if not only or n in only]
res = {(n, v): [] for n in names for v in ('before', 'after')}
os.makedirs('/tmp/fp11a/ablogs', exist_ok=True)
for r in range(rounds):
    for n in names:
        cmd, cwd, env = tests[n]
        for v in (('before', 'after') if r % 2 == 0 else ('after', 'before')):
            c = variants[n](cmd) if v == 'before' else cmd
            tf = '/tmp/fp11a/ab.time'
            with open(f'/tmp/fp11a/ablogs/{n}.{v}.{r}.log', 'w') as log:
                rc = subprocess.call(['/usr/bin/time', '-f', '%U %S %e', '-o', tf] + c, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
            u, s, e = map(float, open(tf).read().split()[-3:])
            res[(n, v)].append(u + s)
            print(f"round {r} {n:32s} {v:6s} cpu {u+s:6.2f} (u {u:5.2f} s {s:5.2f}) wall {e:6.2f} rc {rc} load {open('/proc/loadavg').read().split()[0]}", flush=True)
print()
for n in names:
    b = res[(n, 'before')]; a = res[(n, 'after')]
    print(f"{n:32s} before {', '.join(f'{x:.2f}' for x in b)} (mean {sum(b)/len(b):.2f})  after {', '.join(f'{x:.2f}' for x in a)} (mean {sum(a)/len(a):.2f})")
