#!/usr/bin/env python3
"""Interleaved A/B of NUnit suites built two ways (e.g. two kinds of ReadyToRun images): each matching ctest's own
command and environment (from `ctest --show-only=json-v1`), with the suite's bin folder replaced by FOLDER/<suite>, a
copy of tests/<suite>/bin/Release/net10.0 from each build. CPU-s = task-clock of the process tree (`perf stat`); the
variants' order alternates from round to round. Copy both variants' folders: a few tests find data beside their
assembly and fail in a copy, equally in both. Start Redis/PostgreSQL, CI=true and FLOE_FIXTURES as .ci/run does
(bench/ctest-cpu/suite_ab.sh shows how).
usage: folder_ab.py ROUNDS REGEX 'label=FOLDER;label=FOLDER'"""
import json, os, re, subprocess, sys
root = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
rounds, pattern, variants = int(sys.argv[1]), sys.argv[2], [v.split('=', 1) for v in sys.argv[3].split(';')]
work = os.environ.get('WORK', '/tmp/folder-ab')
os.makedirs(work, exist_ok=True)
info = json.loads(subprocess.check_output(['ctest', '--test-dir', root + '/build', '--show-only=json-v1']))
suite_dir = re.compile(re.escape(root) + r'/tests/([^/]+)/bin/Release/net10\.0')
total = {label: 0.0 for label, _ in variants}
for r in range(rounds):
    for t in info['tests']:
        if not re.search(pattern, t['name']):
            continue
        props = {p['name']: p['value'] for p in t.get('properties', [])}
        for label, folder in variants[r % len(variants):] + variants[:r % len(variants)]:
            cmd = [suite_dir.sub(lambda m: os.path.join(folder, m.group(1)), a) for a in t['command']]
            at = cmd.index('env') + 1
            cmd[at:at] = props.get('ENVIRONMENT', [])
            out = os.path.join(work, f'{t["name"]}.{label}')
            subprocess.call(['perf', 'stat', '-x,', '-e', 'task-clock', '-o', out + '.perf'] + cmd,
                            cwd=props.get('WORKING_DIRECTORY', root + '/build'),
                            stdout=open(out + '.log', 'w'), stderr=subprocess.STDOUT)
            cpu = float(next(l for l in open(out + '.perf') if 'task-clock' in l).split(',')[0]) / 1000
            total[label] += cpu
            counts = re.findall(r'^\s*(total|failed|skipped): *(\d+)', open(out + '.log').read(), re.M)
            print(f'{t["name"]:36s} {label:6s} cpu {cpu:6.2f} {" ".join(f"{k} {v}" for k, v in counts)} '
                  f'load {open("/proc/loadavg").read().split()[0]}', flush=True)
print('mean CPU-s per round:', {label: round(v / rounds, 2) for label, v in total.items()})
