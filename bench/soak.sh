#!/usr/bin/env bash
# The soak: two echo nodes (one loopback cluster) held at --per-node connections each by one
# simulator per node, with --churn of the population closed and reopened per minute and an echo
# every --interval, for --minutes. Every --sample it forces a GC in each node (jcmd GC.run) and
# records the heap after it (jstat), the node's open files and the kernel's established sockets on
# the node ports. After the simulators stop it waits for the nodes to be back at their baseline.
# Writes bench/results/soak-<date>.{json,md}: heap-after-GC slope per node, open files and kernel
# sockets before/after, every error the simulators and nodes counted.
# The issue's run: bench/soak.sh --minutes 10 --per-node 19000 (the defaults). A short proof run:
#   bench/soak.sh --minutes 2 --per-node 2000 --sample 15s
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
jar="$root/app/target/holdfast.jar"
minutes=10 per_node=19000 churn=0.2 interval=20s sample=30s
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --per-node) per_node="$2"; shift 2 ;;
    --churn) churn="$2"; shift 2 ;;
    --interval) interval="$2"; shift 2 ;;
    --sample) sample="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "soak.sh: unknown flag $1 (see --help)" >&2; exit 2 ;;
  esac
done
sample_s="${sample%s}"
[[ -f "$jar" ]] || (cd "$root" && mvn -B -q -o -pl app -am package -DskipTests)
stamp="$(date -u +%Y-%m-%d-%H%M)"
work="$(mktemp -d /tmp/holdfast-soak.XXXXXX)"
samples="$work/samples.jsonl"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_line() { # file text seconds
  for _ in $(seq "$3"); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 1; done
  echo "soak.sh: no \"$2\" in $1 within $3 s" >&2; cat "$1" >&2; exit 1
}
heap_after_gc() { # pid -> bytes used in the heap right after a full GC
  jcmd "$1" GC.run >/dev/null
  jstat -gc "$1" | awk 'NR==2 {printf "%d\n", ($3+$4+$6+$8)*1024}'
}
open_files() { ls "/proc/$1/fd" | wc -l; }
kernel_established() { # port -> established sockets whose local end is this port (the node's side)
  ss -Htn state established "( sport = :$1 )" | wc -l
}

cluster="soak-$$"
ports=() admins=() nodes=()
for i in 1 2; do
  port=$(free_port) admin=$(free_port)
  java -Xmx2g -jar "$jar" node --node-id "soak-n$i" --port "$port" --admin-port "$admin" --instances 2 \
    --cluster-name "$cluster" > "$work/node$i.log" 2>&1 &
  pids+=($!) nodes+=($!) ports+=("$port") admins+=("$admin")
done
for i in 0 1; do wait_line "$work/node$((i+1)).log" "admin http://" 120; done

baseline_fds=() baseline_heap=()
for i in 0 1; do
  # the heap first: the first jcmd makes the JVM open its attach socket, which then stays open
  baseline_heap+=("$(heap_after_gc "${nodes[$i]}")")
  baseline_fds+=("$(open_files "${nodes[$i]}")")
done
baseline_machine=$(ss -Htn state established | wc -l)

hold_s=$((minutes * 60))
sims=()
for i in 0 1; do
  cat > "$work/sim$i.json" <<JSON
{"population": $per_node, "duration": "${hold_s}s", "instances": 2,
 "churn": {"fraction": $churn, "period": "60s"}, "messages": {"interval": "$interval"},
 "ramp": {"perSecond": 2000}, "progressInterval": "30s",
 "targets": ["ws://127.0.0.1:${ports[$i]}/ws"],
 "nodeStatusUrls": ["http://127.0.0.1:${admins[$i]}/status"],
 "report": {"json": "$work/sim$i-report.json"}}
JSON
  java -Xmx2g -jar "$jar" simulate --standalone --admin-port 0 --config "$work/sim$i.json" > "$work/sim$i.log" 2>&1 &
  pids+=($!) sims+=($!)
done
echo "soak: 2 nodes x $per_node connections, churn $churn/min, echo every $interval, $minutes min; work dir $work"

start=$(date +%s)
while kill -0 "${sims[0]}" 2>/dev/null || kill -0 "${sims[1]}" 2>/dev/null; do
  t=$(( $(date +%s) - start ))
  line="{\"t\": $t, \"load\": $(cut -d' ' -f1 /proc/loadavg)"
  for i in 0 1; do
    held=$(curl -s --max-time 5 "http://127.0.0.1:${admins[$i]}/status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["connections"]["held"])' 2>/dev/null || echo -1)
    line+=", \"n$i\": {\"held\": $held, \"heapAfterGc\": $(heap_after_gc "${nodes[$i]}"), \"openFiles\": $(open_files "${nodes[$i]}"), \"kernel\": $(kernel_established "${ports[$i]}")}"
  done
  echo "$line}" | tee -a "$samples"
  sleep "$sample_s"
done
sim_rc=0
for p in "${sims[@]}"; do wait "$p" || sim_rc=$?; done

# back to baseline: no held sockets, open files and kernel counts as before the simulators
settle_start=$(date +%s)
after_fds=() after_kernel=() after_heap=()
for i in 0 1; do
  for _ in $(seq 60); do
    [[ "$(kernel_established "${ports[$i]}")" == 0 && "$(open_files "${nodes[$i]}")" -le "${baseline_fds[$i]}" ]] && break
    sleep 1
  done
  after_fds+=("$(open_files "${nodes[$i]}")") after_kernel+=("$(kernel_established "${ports[$i]}")")
  after_heap+=("$(heap_after_gc "${nodes[$i]}")")
  curl -s "http://127.0.0.1:${admins[$i]}/status" > "$work/node$i-status.json"
done
settle_s=$(( $(date +%s) - settle_start ))
after_machine=$(ss -Htn state established | wc -l)

python3 - "$work" "$here/results" "$stamp" "$minutes" "$per_node" "$churn" "$interval" "$sim_rc" "$settle_s" \
  "${baseline_fds[*]}" "${after_fds[*]}" "${after_kernel[*]}" "${baseline_heap[*]}" "${after_heap[*]}" \
  "$baseline_machine" "$after_machine" "bench/soak.sh --minutes $minutes --per-node $per_node --churn $churn --interval $interval --sample $sample" <<'PY'
import json, sys, os, platform, subprocess
(work, out, stamp, minutes, per_node, churn, interval, sim_rc, settle_s, b_fds, a_fds, a_kernel, b_heap, a_heap,
 b_machine, a_machine, command) = sys.argv[1:]
samples = [json.loads(l) for l in open(os.path.join(work, "samples.jsonl"))]
def slope(points):  # least squares, bytes per minute
    n = len(points)
    if n < 2: return None
    mx = sum(x for x, _ in points) / n; my = sum(y for _, y in points) / n
    den = sum((x - mx) ** 2 for x, _ in points)
    return None if den == 0 else sum((x - mx) * (y - my) for x, y in points) / den * 60
# the heap slope counts only the held phase: from the first sample at full population
nodes = []
for i in (0, 1):
    k = f"n{i}"
    full = [s for s in samples if s[k]["held"] >= 0.95 * int(per_node)]
    t0 = full[0]["t"] if full else None
    pts = [(s["t"], s[k]["heapAfterGc"]) for s in samples if t0 is not None and s["t"] >= t0 and s[k]["held"] > 0]
    status = json.load(open(os.path.join(work, f"node{i}-status.json")))
    by_code = status["connections"]["closedByCode"]
    nodes.append({
        "heldMax": max(s[k]["held"] for s in samples),
        "heapAfterGcBytes": {"baseline": int(b_heap.split()[i]), "heldFirst": pts[0][1] if pts else None,
                             "heldLast": pts[-1][1] if pts else None, "afterRun": int(a_heap.split()[i])},
        "heapAfterGcSlopeBytesPerMinute": slope(pts), "heapSamples": len(pts),
        "openFiles": {"baseline": int(b_fds.split()[i]), "max": max(s[k]["openFiles"] for s in samples),
                      "afterRun": int(a_fds.split()[i])},
        "kernelEstablished": {"max": max(s[k]["kernel"] for s in samples), "afterRun": int(a_kernel.split()[i])},
        "closedByCode": by_code, "rejected": status["connections"]["rejected"],
        "abnormalCloses1006": by_code.get("1006", 0)})
sims = []
for i in (0, 1):
    p = os.path.join(work, f"sim{i}-report.json")
    r = json.load(open(p)) if os.path.exists(p) else {}
    sims.append({"verdict": r.get("verdict"), "population": r.get("population"), "churn": r.get("churn"),
                 "messages": r.get("messages"), "errors": r.get("errors"), "counts": r.get("counts")})
def error_total(e):
    if isinstance(e, dict): return sum(error_total(v) for v in e.values())
    return e if isinstance(e, (int, float)) else 0
machine = {"cpu": subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip(),
           "cores": os.cpu_count(), "kernel": platform.release(),
           "loadAverageAtEnd": os.getloadavg()[0],
           "loadAverageMaxDuringRun": max((s.get("load", 0) for s in samples), default=None)}
result = {"command": command, "machine": machine, "minutes": int(minutes), "perNode": int(per_node),
          "churnPerMinute": float(churn), "echoInterval": interval, "simulatorExit": int(sim_rc),
          "settleSeconds": int(settle_s), "machineEstablished": {"before": int(b_machine), "after": int(a_machine)},
          "nodes": nodes, "simulators": sims, "samples": samples}
os.makedirs(out, exist_ok=True)
base = os.path.join(out, f"soak-{stamp}")
json.dump(result, open(base + ".json", "w"), indent=1)
mb = lambda b: "n/a" if b is None else f"{b / 1048576:.1f} MB"
lines = [f"# Soak {stamp}", "", f"`{command}`", "",
         f"Machine: {machine['cpu']}, {machine['cores']} cores, Linux {machine['kernel']} (1-minute load average at most {machine['loadAverageMaxDuringRun']} during the run, {machine['loadAverageAtEnd']:.1f} at the end).", "",
         "| | node 1 | node 2 |", "|---|---|---|"]
row = lambda name, f: lines.append(f"| {name} | {f(nodes[0])} | {f(nodes[1])} |")
row("held, max", lambda n: n["heldMax"])
row("heap after GC: baseline / first held / last held / after", lambda n: " / ".join(mb(n["heapAfterGcBytes"][k]) for k in ("baseline", "heldFirst", "heldLast", "afterRun")))
row("heap-after-GC slope while held", lambda n: "n/a" if n["heapAfterGcSlopeBytesPerMinute"] is None else f"{n['heapAfterGcSlopeBytesPerMinute'] / 1024:+.0f} KB/min over {n['heapSamples']} samples")
row("open files: baseline / max / after", lambda n: f"{n['openFiles']['baseline']} / {n['openFiles']['max']} / {n['openFiles']['afterRun']}")
row("kernel established on the port: max / after", lambda n: f"{n['kernelEstablished']['max']} / {n['kernelEstablished']['afterRun']}")
row("closes 1006 (abnormal) / rejected", lambda n: f"{n['abnormalCloses1006']} / {n['rejected']}")
for i, s in enumerate(sims):
    v = s["verdict"] or {}
    lines.append(f"| simulator {i + 1}: verdict ok / echo errors / error counters | {v.get('ok')} / {v.get('echoErrors')} / {error_total(s['errors'])} | |")
lines += ["", f"Simulators exited {sim_rc}; nodes back at baseline {settle_s} s after they stopped.", ""]
open(base + ".md", "w").write("\n".join(lines))
print("\n".join(lines))
print("wrote", base + ".json", base + ".md")
PY
