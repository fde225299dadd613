#!/usr/bin/env python3
"""Samples a running `holdfast demo` from outside: every child's CPU, the CPU of its kernel-count
thread, its resident memory and open files, and the machine's CPU use, until every child is gone.

    bench/demo-resources.py RUN_DIR [--every 10] [--out FILE.jsonl]

RUN_DIR is the demo's --out folder; the script waits (at most 10 minutes) for its children.json.
Each sample is one JSON line; at the end it prints, per role, the CPU each process spent and the
share of it spent counting the kernel's sockets (the thread named holdfast-kernel-count, read from
/proc/PID/task/*/stat: the count's cost measured from outside, whatever the process reports).
"""
import argparse
import json
import os
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
COUNT_THREAD = "holdfast-kernel"  # comm is cut at 15 characters: holdfast-kernel-count


def stat_cpu(path):
    """utime + stime in seconds from a /proc stat file, or None when it is gone."""
    try:
        with open(path) as f:
            s = f.read()
    except OSError:
        return None
    fields = s[s.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def comm(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return ""


def process(pid):
    total = stat_cpu(f"/proc/{pid}/stat")
    if total is None:
        return None
    counting = 0.0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        tasks = []
    for tid in tasks:
        if comm(f"/proc/{pid}/task/{tid}/comm").startswith(COUNT_THREAD):
            counting += stat_cpu(f"/proc/{pid}/task/{tid}/stat") or 0.0
    try:
        with open(f"/proc/{pid}/statm") as f:
            rss = int(f.read().split()[1]) * PAGE
        fds = len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None
    return {"cpu": total, "countCpu": counting, "rss": rss, "fds": fds, "threads": len(tasks)}


def read_children(path, last):
    """The demo rewrites children.json as it starts each child: read it again, keep the last good copy."""
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return last


def machine():
    with open("/proc/stat") as f:
        cpu = [int(x) for x in f.readline().split()[1:]]
    idle = cpu[3] + cpu[4]
    return sum(cpu) / TICKS, idle / TICKS


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run_dir")
    ap.add_argument("--every", type=float, default=10.0, help="seconds between samples (default 10)")
    ap.add_argument("--out", help="JSON lines file (default RUN_DIR/resources.jsonl)")
    a = ap.parse_args()
    children_file = os.path.join(a.run_dir, "children.json")
    deadline = time.time() + 600
    while not os.path.exists(children_file):
        if time.time() > deadline:
            sys.exit(f"demo-resources: no {children_file} within 10 minutes")
        time.sleep(1)
    children = []
    out = a.out or os.path.join(a.run_dir, "resources.jsonl")
    first, last = {}, {}
    m0 = machine()
    t0 = time.time()
    with open(out, "w") as sink:
        while True:
            now = time.time()
            m = machine()
            sample = {"t": round(now - t0, 1), "machineBusy": None, "procs": {}}
            if m[0] > m0[0]:
                sample["machineBusy"] = round(1 - (m[1] - m0[1]) / (m[0] - m0[0]), 3)
            m0 = m
            children = read_children(children_file, children)
            alive = 0
            for c in children:
                p = process(c["pid"])
                if p is None:
                    continue
                alive += 1
                first.setdefault(c["name"], p)
                last[c["name"]] = p
                sample["procs"][c["name"]] = p
            sink.write(json.dumps(sample) + "\n")
            sink.flush()
            busy = sample["machineBusy"]
            print(f"t={sample['t']:6.0f}s  alive {alive:2d}  machine busy "
                  f"{'?' if busy is None else f'{busy:.0%}'}", flush=True)
            if alive == 0 and children:
                break
            time.sleep(a.every)
    roles = {}
    for c in children:
        if c["name"] not in last:
            continue
        cpu = last[c["name"]]["cpu"] - first[c["name"]]["cpu"]
        count = last[c["name"]]["countCpu"] - first[c["name"]]["countCpu"]
        r = roles.setdefault(c["role"], {"processes": 0, "cpu": 0.0, "countCpu": 0.0, "maxRss": 0, "maxThreads": 0})
        r["processes"] += 1
        r["cpu"] += cpu
        r["countCpu"] += count
        r["maxRss"] = max(r["maxRss"], last[c["name"]]["rss"])
        r["maxThreads"] = max(r["maxThreads"], last[c["name"]]["threads"])
    print(f"\nsampled {sample['t']:.0f} s, {out}")
    for role, r in roles.items():
        share = r["countCpu"] / r["cpu"] if r["cpu"] else 0
        print(f"{role:10s} {r['processes']:2d} processes: CPU {r['cpu']:8.1f} s, counting kernel sockets "
              f"{r['countCpu']:6.2f} s ({share:.2%} of it)")
    with open(out + ".summary.json", "w") as f:
        json.dump(roles, f, indent=1)


if __name__ == "__main__":
    main()
