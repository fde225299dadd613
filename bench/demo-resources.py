#!/usr/bin/env python3
"""Samples a running `holdfast demo` from outside: every child's CPU, the CPU of its kernel-count
thread, its resident memory and open files, and the machine's CPU use, until every child is gone.

    bench/demo-resources.py RUN_DIR [--every 10] [--out FILE.jsonl]

    bench/demo-resources.py RUN_DIR --summarize [--hold | --from S --to S]

RUN_DIR is the demo's --out folder; the script waits (at most 10 minutes) for its children.json.
Each sample is one JSON line; at the end it prints, per role, the CPU each process spent and the
share of it spent counting the kernel's sockets (the thread named holdfast-kernel-count, read from
/proc/PID/task/*/stat: the count's cost measured from outside, whatever the process reports), and
where the CPU went by thread group (event loops, JIT compilers, collector, Hazelcast, kernel
counts, the rest, threads that ended before the sample), in cores, between --from and --to
seconds of the sampling (default: all of it). --summarize prints that again from a finished run's
samples, for another window; --hold takes the window from the demo's report.json: from the ramp's
end (population within tolerance) to the last second of the hold.
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


def group(thread_name):
    """The thread group a thread's CPU is reported under (comm, cut at 15 characters)."""
    if thread_name.startswith("vert.x-eventloo"):
        return "eventLoops"
    if "CompilerThre" in thread_name:
        return "jit"
    if thread_name.startswith(("GC Thread", "G1 ", "VM Thread")):
        return "gc"
    if thread_name.startswith("hz."):
        return "hazelcast"
    if thread_name.startswith(COUNT_THREAD):
        return "kernelCount"
    return "other"


GROUPS = ("eventLoops", "jit", "gc", "hazelcast", "kernelCount", "other", "ended")


def process(pid):
    total = stat_cpu(f"/proc/{pid}/stat")
    if total is None:
        return None
    counting = 0.0
    groups = dict.fromkeys(GROUPS, 0.0)
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        tasks = []
    for tid in tasks:
        name = comm(f"/proc/{pid}/task/{tid}/comm")
        spent = stat_cpu(f"/proc/{pid}/task/{tid}/stat") or 0.0
        groups[group(name)] += spent
        if name.startswith(COUNT_THREAD):
            counting += spent
    try:
        with open(f"/proc/{pid}/statm") as f:
            rss = int(f.read().split()[1]) * PAGE
        fds = len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None
    # threads that ended (the JVM starts and stops compiler threads as its queue grows and drains)
    # are in the process's total only
    groups["ended"] += max(0.0, total - sum(groups.values()))
    return {"cpu": total, "countCpu": counting, "rss": rss, "fds": fds, "threads": len(tasks),
            "groups": {k: round(v, 2) for k, v in groups.items()}}


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
    ap.add_argument("--from", dest="start", type=float, default=0.0, help="breakdown window start, seconds")
    ap.add_argument("--to", dest="end", type=float, default=float("inf"), help="breakdown window end, seconds")
    ap.add_argument("--summarize", action="store_true", help="only print the breakdown of a finished run's samples")
    ap.add_argument("--hold", action="store_true", help="with --summarize: the window of the hold after the ramp, "
                    "from RUN_DIR/report.json")
    a = ap.parse_args()
    if a.summarize:
        with open(os.path.join(a.run_dir, "children.json")) as f:
            roles_of = {c["name"]: c["role"] for c in json.load(f)}
        with open(a.out or os.path.join(a.run_dir, "resources.jsonl")) as f:
            samples = [json.loads(line) for line in f]
        if a.hold:
            a.start, a.end = hold_window(a.run_dir, samples)
        breakdown(samples, roles_of, a.start, a.end)
        return
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
            sample = {"t": round(now - t0, 1), "wall": round(now, 1), "machineBusy": None, "procs": {}}
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
    with open(out) as f:
        breakdown([json.loads(line) for line in f], {c["name"]: c["role"] for c in children}, a.start, a.end)


def hold_window(run_dir, samples):
    """The hold after the ramp, in seconds of the sampling: from the ramp's end to the last sample of
    the demo's timeline in its hold phase, both from report.json (the timeline's wall-clock start)."""
    with open(os.path.join(run_dir, "report.json")) as f:
        report = json.load(f)
    t0 = report["demo"].get("timelineStartEpochMs")
    ramp = report["ramp"].get("seconds")
    holding = [s["t"] for s in report["timeline"] if s["phase"] == "hold"]
    if not t0 or ramp is None or not holding or "wall" not in samples[0]:
        sys.exit("demo-resources: --hold needs a report with timelineStartEpochMs and a ramp that ended, and "
                 "samples with wall-clock times (this script's since 2026-12-01); give --from and --to instead")
    offset = t0 / 1000 - (samples[0]["wall"] - samples[0]["t"])  # the timeline's zero on the sampling's clock
    return offset + ramp, offset + max(holding)


def breakdown(samples, roles_of, start, end):
    """Per role, cores used by each thread group between the first and last sample in [start, end]
    with every child alive; the machine's busy share over that window."""
    window = [s for s in samples if start <= s["t"] <= end and s["procs"]]
    # from the first to the last sample with every child alive (the children start one after
    # another and end together): a window over fewer would compare different sets of processes
    most = max((len(s["procs"]) for s in window), default=0)
    full = [i for i, s in enumerate(window) if len(s["procs"]) == most]
    window = window[full[0]:full[-1] + 1] if full else []
    if len(window) < 2:
        print("breakdown: fewer than two samples in the window")
        return
    a, b = window[0], window[-1]
    seconds = b["t"] - a["t"]
    names = [n for n in b["procs"] if n in a["procs"] and "groups" in b["procs"][n]]
    busy = [s["machineBusy"] for s in window[1:] if s["machineBusy"] is not None]
    print(f"\nwhere the CPU went, {a['t']:.0f}-{b['t']:.0f} s ({seconds:.0f} s, {len(names)} processes alive "
          f"throughout); machine busy {sum(busy) / len(busy):.0%} on average, {max(busy):.0%} at most")
    for role in sorted({roles_of.get(n, "?") for n in names}):
        mine = [n for n in names if roles_of.get(n) == role]
        cores = {g: sum(b["procs"][n]["groups"][g] - a["procs"][n]["groups"][g] for n in mine) / seconds for g in GROUPS}
        total = sum(b["procs"][n]["cpu"] - a["procs"][n]["cpu"] for n in mine) / seconds
        print(f"  {role:10s} x{len(mine):<3d} {total:5.2f} cores: " + ", ".join(f"{g} {cores[g]:.3f}" for g in GROUPS))


if __name__ == "__main__":
    main()
