#!/usr/bin/env python3
"""Serial time of a command: a CPU and runnable-thread timeline of its process, and an Amdahl estimate.

    python3 bench/cli/timeline.py [options] -- CMD ARGS...
    e.g. taskset -c 0,1 python3 bench/cli/timeline.py --label 10M -- build/dist/floe features compute \\
             bench/cli/features12.json --from 2024-01-01 --to 2024-01-31 --source FILE --output OUT.parquet --profile

Every --interval seconds (default 5 ms) it reads each thread's /proc/PID/task/TID/schedstat (nanoseconds on a CPU,
exact, unlike /proc/PID/stat's 10 ms ticks) and its state from /proc/PID/task/TID/stat. Between two samples the
process used dCPU seconds of CPU with r threads in state R (running, or ready and waiting for a core: on a loaded box
that still counts as wanting one, so the neighbours' load does not read as our serial time). Then:

  serial    intervals with r <= 1: one thread (or none) could use a core. Reported as wall seconds and CPU seconds;
            "idle" is the part with r = 0 (sleep, disk, page-cache writeback: waits a faster machine does not shorten).
  parallel  CPU seconds spent while r >= 2.
  Amdahl    T(N) = idle + serial CPU + sum over intervals with r >= 2 of dCPU / min(r, N); speed-up = T(1) / T(N),
            T(1) = idle + all CPU. Run at N threads, r is capped by what the program offers at N (its parallel loops
            split into as many parts as the runtime sees processors): to see the demand a 16-core machine would get,
            run the command with DOTNET_PROCESSOR_COUNT=16 under taskset -c 0,1 (the runtime then splits its loops
            16 ways and starts 16 pool threads on 2 cores). The estimate assumes no extra CPU per thread (the 16-core
            session 8 run kept CPU flat, 15.6-18.0 CPU-s at 1-16 threads) and no memory-bandwidth limit.

Stage marks: `floe features compute --profile` prints "marks (CLOCK_MONOTONIC s): NAME T, ..."; they are placed on
the timeline (Stopwatch and Python's time.monotonic read the same clock on Linux).
Also printed: wall, CPU (user+sys from wait4), peak RSS, each thread's CPU by name, and a timeline in --bucket steps.
--json FILE writes the samples and the summary for later comparison.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time


def read_threads(pid):
    """{tid: (name, state, run_ns)} for every thread of pid that can still be read."""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat", "rb") as f:
                stat = f.read()
            with open(f"/proc/{pid}/task/{tid}/schedstat", "rb") as f:
                run_ns = int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            continue
        close = stat.rfind(b")")
        name = stat[stat.find(b"(") + 1:close].decode(errors="replace")
        state = stat[close + 2:close + 3].decode()
        out[int(tid)] = (name, state, run_ns)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--interval", type=float, default=0.005, help="sampling period in seconds (default 0.005)")
    ap.add_argument("--bucket", type=float, default=0.1, help="timeline step in seconds (default 0.1; 0: no timeline)")
    ap.add_argument("--threads", default="1,2,4,8,16", help="N for the Amdahl estimate (default 1,2,4,8,16)")
    ap.add_argument("--label", default="", help="a name for this run in the summary line")
    ap.add_argument("--json", help="write samples and summary here")
    ap.add_argument("--quiet-stdout", action="store_true", help="send the command's stdout to /dev/null")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    if not cmd:
        ap.error("no command given")

    t_start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL if a.quiet_stdout else None, stderr=subprocess.PIPE)
    samples = []  # (t, {tid: (name, state, run_ns)})
    rusage = None
    while True:
        t = time.monotonic()
        threads = read_threads(p.pid)
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid != 0:
            rusage, rc = ru, os.waitstatus_to_exitcode(status)
            break
        samples.append((t, threads))
        time.sleep(max(0.0, a.interval - (time.monotonic() - t)))
    t_end = time.monotonic()
    err = p.stderr.read().decode(errors="replace")
    sys.stderr.write(err)

    # Stage marks printed by --profile, on the same monotonic clock.
    marks = []
    m = re.search(r"marks \(CLOCK_MONOTONIC s\): ([^;\n]*)", err)
    if m:
        for part in m.group(1).split(","):
            part = part.strip()
            if part:
                name, _, value = part.rpartition(" ")
                marks.append((name, float(value)))

    # Intervals between samples: dt, dCPU (threads present in both samples), r (threads in R at the interval's end).
    intervals = []
    per_thread = {}
    for (t0, th0), (t1, th1) in zip(samples, samples[1:]):
        dcpu = 0
        for tid, (name, _, ns) in th1.items():
            if tid in th0:
                d = ns - th0[tid][2]
                dcpu += d
                per_thread[name] = per_thread.get(name, 0) + d
        r = sum(1 for (_, s, _) in th1.values() if s == "R")
        intervals.append((t0 - t_start, t1 - t0, dcpu / 1e9, r))

    wall = t_end - t_start
    cpu = rusage.ru_utime + rusage.ru_stime
    sampled_cpu = sum(i[2] for i in intervals)
    serial_wall = sum(dt for _, dt, _, r in intervals if r <= 1)
    idle = sum(dt for _, dt, _, r in intervals if r == 0)
    serial_cpu = sum(c for _, _, c, r in intervals if r == 1)
    parallel_cpu = sum(c for _, _, c, r in intervals if r >= 2)
    # Time before the first sample and after the last (process start and exit) counts as serial, at one core.
    unsampled = wall - sum(i[1] for i in intervals)
    ns = [int(x) for x in a.threads.split(",")]
    t1 = idle + unsampled + serial_cpu + parallel_cpu
    estimate = {}
    for n in ns:
        tn = idle + unsampled + serial_cpu + sum(c / min(r, n) for _, _, c, r in intervals if r >= 2)
        estimate[n] = (tn, t1 / tn if tn > 0 else 0.0)

    print(f"== {a.label or ' '.join(cmd[:3])}: rc {rc}, wall {wall:.3f} s, CPU {cpu:.3f} s (user {rusage.ru_utime:.3f} + sys {rusage.ru_stime:.3f}), "
          f"peak RSS {rusage.ru_maxrss / 1024:.1f} MiB, {len(samples)} samples, sampled CPU {sampled_cpu:.3f} s")
    print(f"   serial (<= 1 thread runnable): {serial_wall:.3f} s wall, of it idle (none runnable) {idle:.3f} s, one-thread CPU {serial_cpu:.3f} s; "
          f"start/exit outside samples {unsampled:.3f} s; parallel CPU (>= 2 runnable) {parallel_cpu:.3f} s")
    print("   Amdahl (T(N) = idle + start/exit + serial CPU + parallel CPU / min(r, N)): " +
          ", ".join(f"N={n}: {tn:.3f} s, {sp:.2f}x ({sp / n:.2f} N)" for n, (tn, sp) in estimate.items()))
    hist = {}
    for _, dt, c, r in intervals:
        h = hist.setdefault(min(r, 9), [0.0, 0.0])
        h[0] += dt
        h[1] += c
    print("   runnable threads: " + ", ".join(f"{'9+' if r == 9 else r}: {w:.3f} s wall/{c:.3f} CPU-s" for r, (w, c) in sorted(hist.items())))
    top = sorted(per_thread.items(), key=lambda kv: -kv[1])
    print("   CPU by thread name: " + ", ".join(f"{n} {v / 1e9:.3f}" for n, v in top[:8]))
    if marks:
        print("   marks (s since start): " + ", ".join(f"{n} {v - t_start:.3f}" for n, v in marks))
        # Each phase between marks: its CPU, its T(N) share at the largest N, and what it loses against CPU / N.
        n_max = max(ns)
        bounds = [("process start", 0.0)] + [(n, v - t_start) for n, v in marks] + [("exit", wall)]
        rows = []
        for (n0, b0), (n1, b1) in zip(bounds, bounds[1:]):
            inside = [i for i in intervals if b0 <= i[0] < b1]
            c = sum(i[2] for i in inside)
            tn = sum(i[1] for i in inside if i[3] == 0) + sum(i[2] / min(max(i[3], 1), n_max) for i in inside)
            sw = sum(i[1] for i in inside if i[3] <= 1)
            sc = sum(i[2] for i in inside if i[3] == 1)
            rows.append(f"{n0} -> {n1}: {b1 - b0:.3f} s wall, {c:.3f} CPU-s, serial {sw:.3f} s wall/{sc:.3f} CPU-s, "
                        f"T({n_max}) {tn:.3f} s (loss {tn - c / n_max:+.3f})")
        print(f"   phases (T({n_max}) share, loss against CPU/{n_max}):\n     " + "\n     ".join(rows))
    if a.bucket > 0:
        print(f"   timeline ({a.bucket * 1000:.0f} ms steps): start s, cores used, mean runnable, serial share, marks inside")
        b = 0.0
        while b < wall:
            inside = [i for i in intervals if b <= i[0] < b + a.bucket]
            dt = sum(i[1] for i in inside)
            if dt > 0:
                cores = sum(i[2] for i in inside) / dt
                runnable = sum(i[1] * i[3] for i in inside) / dt
                serial = sum(i[1] for i in inside if i[3] <= 1) / dt
                names = [n for n, v in marks if b <= v - t_start < b + a.bucket]
                bar = "#" * int(round(cores * 10))
                print(f"   {b:6.2f} {cores:5.2f} {runnable:5.2f} {serial:4.0%} {bar:<22} {' '.join(names)}")
            b += a.bucket
    summary = {"label": a.label, "cmd": cmd, "rc": rc, "wall": wall, "cpu": cpu, "maxrss_kib": rusage.ru_maxrss,
               "serial_wall": serial_wall, "idle": idle, "serial_cpu": serial_cpu, "parallel_cpu": parallel_cpu,
               "unsampled": unsampled, "amdahl": {str(n): {"t": tn, "speedup": sp} for n, (tn, sp) in estimate.items()},
               "marks": [(n, v - t_start) for n, v in marks], "per_thread": {n: v / 1e9 for n, v in per_thread.items()}}
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"summary": summary, "intervals": intervals}, f)
    sys.exit(rc)


if __name__ == "__main__":
    main()
