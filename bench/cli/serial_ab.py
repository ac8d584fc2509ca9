#!/usr/bin/env python3
"""1- and 2-core walls of the 12-feature job, interleaved A/B, and the serial seconds they imply.

    python3 bench/cli/serial_ab.py SRC ROUNDS NAME=BIN[,ENV=VALUE...] [NAME=BIN...]
    e.g. python3 bench/cli/serial_ab.py /tmp/featkern10m/events-zipf-10000000-100000-30.parquet 6 \\
             base=/tmp/floe-s21base new=build/dist/floe new-server=build/dist/floe,DOTNET_gcServer=1

Each round runs every variant under `taskset -c 0` and `taskset -c 0,1` (the runtime sees 1 or 2 processors), the
order rotating from round to round, each under `/usr/bin/time -f "%e %U %S %M"` with --profile (for the GC pause
total), each writing its own output, which is compared (cmp) with the first variant's. CORES="0 0,1" changes the
core sets (e.g. CORES="0 0-3 0-15" on a larger machine); WORK (default /tmp/serial-ab) holds the outputs.

Per variant: medians of wall, CPU (user+sys), peak RSS and GC pauses per core set; per round the speed-up T1/T2 and
the serial seconds S = 2*T2 - T1 (Amdahl with T1 = S + P and T2 = S + P/2, solved per round), and from the medians
the Amdahl speed-up at 16 threads, T1 / (S + (T1 - S) / 16); and the idle core-seconds of the 2-core run, 2*T2 - CPU2
(a core without work, from one run, so less sensitive to the neighbours slowing the CPU than the T1/T2 pair). On a shared box the neighbours' load enters T2 more than
T1 (a 1-core run competes for one core, a 2-core run for two), so compare variants within one set of rounds only,
and raise the runs' priority where allowed (`echo -20 > /proc/self/autogroup` before starting this script).
"""
import os
import re
import statistics
import subprocess
import sys


def run(name, binary, env, cores, src, work):
    out = os.path.join(work, f"{name}-{cores.replace(',', '_')}.parquet")
    cmd = ["/usr/bin/time", "-f", "TIME %e %U %S %M", "taskset", "-c", cores, binary, "features", "compute",
           os.path.join(os.path.dirname(os.path.abspath(__file__)), "features12.json"),
           "--from", "2024-01-01", "--to", "2024-01-31", "--source", src, "--output", out, "--profile"]
    full_env = dict(os.environ)
    full_env.update(env)
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=full_env, text=True)
    if p.returncode != 0:
        sys.exit(f"{name} on {cores} failed:\n{p.stderr}")
    t = re.search(r"TIME (\S+) (\S+) (\S+) (\S+)", p.stderr)
    pauses = re.search(r"pauses (\S+) s", p.stderr)
    return {"wall": float(t.group(1)), "cpu": float(t.group(2)) + float(t.group(3)), "rss": int(t.group(4)) / 1024,
            "pauses": float(pauses.group(1)) if pauses else float("nan"), "out": out}


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    src, rounds = sys.argv[1], int(sys.argv[2])
    variants = []
    for spec in sys.argv[3:]:
        name, _, rest = spec.partition("=")
        parts = rest.split(",")
        env = dict(p.split("=", 1) for p in parts[1:])
        variants.append((name, parts[0], env))
    cores = os.environ.get("CORES", "0 0,1").split()
    work = os.environ.get("WORK", "/tmp/serial-ab")
    os.makedirs(work, exist_ok=True)
    runs = [(v, c) for v in variants for c in cores]
    results = {(v[0], c): [] for v in variants for c in cores}
    for r in range(rounds):
        order = runs[r % len(runs):] + runs[:r % len(runs)]
        load = os.getloadavg()[0]
        line = []
        for (name, binary, env), c in order:
            res = run(name, binary, env, c, src, work)
            results[(name, c)].append(res)
            line.append(f"{name}@{c} {res['wall']:.2f}s/{res['cpu']:.2f}cpu/{res['rss']:.0f}M")
        first = results[(variants[0][0], cores[0])][-1]["out"]
        for (name, _, _), c in runs:
            if subprocess.run(["cmp", "-s", first, results[(name, c)][-1]["out"]]).returncode != 0:
                line.append(f"OUTPUT DIFFERS: {name}@{c}")
        print(f"round {r + 1} (load {load:.1f}): " + ", ".join(line), flush=True)

    med = statistics.median
    print()
    print("| variant | cores | wall med (s) | CPU med (s) | peak RSS med (max) MiB | GC pauses med (s) |")
    print("|---|---|---:|---:|---:|---:|")
    for name, _, _ in variants:
        for c in cores:
            rs = results[(name, c)]
            print(f"| {name} | {c} | {med(x['wall'] for x in rs):.3f} | {med(x['cpu'] for x in rs):.3f} | "
                  f"{med(x['rss'] for x in rs):.0f} ({max(x['rss'] for x in rs):.0f}) | {med(x['pauses'] for x in rs):.3f} |")
    if len(cores) >= 2:
        print()
        print(f"| variant | speed-up {cores[0]} -> {cores[1]} per round (median) | serial s = 2*T2 - T1 per round (median) | Amdahl at 16 from the medians | idle core-s 2*T2 - CPU2 (median) |")
        print("|---|---:|---:|---:|---:|")
        for name, _, _ in variants:
            one, two = results[(name, cores[0])], results[(name, cores[1])]
            sp = [a["wall"] / b["wall"] for a, b in zip(one, two)]
            ser = [2 * b["wall"] - a["wall"] for a, b in zip(one, two)]
            t1, s = med(x["wall"] for x in one), med(ser)
            a16 = t1 / (s + (t1 - s) / 16) if s > 0 else float("inf")
            idle = [2 * b["wall"] - b["cpu"] for b in two]
            print(f"| {name} | {med(sp):.2f}x ({', '.join(f'{x:.2f}' for x in sp)}) | {s:.3f} ({', '.join(f'{x:.2f}' for x in ser)}) | {a16:.2f}x | "
                  f"{med(idle):.3f} ({', '.join(f'{x:.2f}' for x in idle)}) |")


if __name__ == "__main__":
    main()
