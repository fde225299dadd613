#!/usr/bin/env bash
# Simulator capacity: one simulator process drives as many connections as its open-file limit
# allows (default 18,500) against two holdfast echo nodes, with an echo every 5 s, and records
# its memory per simulated connection and the handshakes per second it reaches.
#
# Writes bench/results/simulator-capacity-<date>.{md,json} plus the simulator's own report
# (simulator-capacity-<date>-report.{json,html}). Stops every process it started, by PID.
#
# Settings (environment variables):
#   CONNECTIONS=18500      connections the simulator holds (one process: at most its open-file limit)
#   NODES=2                echo node processes (one node process holds at most ~19,000 sockets)
#   HOLD=90s               simulator duration in seconds, ramp included; memory is read at full hold
#   INTERVAL=5s            message interval per connection
#   RAMP_PER_SECOND=50000  handshake rate asked for (set high: the reached rate is the result)
#   IN_FLIGHT=1000         handshakes in flight at once
#   SOURCES="127.0.0.2 127.0.0.3 127.0.0.4 127.0.0.5"   source addresses
#   NODE_PORT=18080 NODE_ADMIN_PORT=19090 SIM_ADMIN_PORT=19190   first ports (outside the ephemeral range)
#   JAR=app/target/holdfast.jar
#   SIM_JVM_OPTS="-Xms256m -Xmx256m -XX:+AlwaysPreTouch -XX:+UseParallelGC"
#   NODE_JVM_OPTS="-Xms256m -Xmx2g -XX:+UseG1GC"
#   SIM_LAUNCH="-jar $JAR simulate"   how to start the simulator after the JVM options (override to
#                                     run a build whose `holdfast` does not list `simulate` yet)
#
# Memory method: the simulator's heap is fixed and pre-touched (-Xms = -Xmx, AlwaysPreTouch), so its
# RSS growth from "before" (started, nothing connected, after a full GC) to "full hold" is native
# memory only (direct buffers, malloc, metaspace, code); the heap's part is the growth of live heap
# after a full GC (jcmd GC.run). Memory per connection = (native RSS growth + live heap growth) / held.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"

CONNECTIONS="${CONNECTIONS:-18500}"
NODES="${NODES:-2}"
HOLD="${HOLD:-90s}"
INTERVAL="${INTERVAL:-5s}"
RAMP_PER_SECOND="${RAMP_PER_SECOND:-50000}"
IN_FLIGHT="${IN_FLIGHT:-1000}"
SOURCES="${SOURCES:-127.0.0.2 127.0.0.3 127.0.0.4 127.0.0.5}"
NODE_PORT="${NODE_PORT:-18080}"
NODE_ADMIN_PORT="${NODE_ADMIN_PORT:-19090}"
SIM_ADMIN_PORT="${SIM_ADMIN_PORT:-19190}"
JAR="${JAR:-$root/app/target/holdfast.jar}"
SIM_JVM_OPTS="${SIM_JVM_OPTS:--Xms256m -Xmx256m -XX:+AlwaysPreTouch -XX:+UseParallelGC}"
NODE_JVM_OPTS="${NODE_JVM_OPTS:--Xms256m -Xmx2g -XX:+UseG1GC}"
SIM_LAUNCH="${SIM_LAUNCH:--jar $JAR simulate}"
RAMP_DELAY_S=8   # the simulator waits this long before its first connection: the "before" reading

if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi
[[ -f "$JAR" ]] || { echo "missing $JAR: build it with (cd $root && mvn -B -q -DskipTests install)" >&2; exit 1; }

stamp="$(date -u +%Y-%m-%d-%H%M)"
out="$here/results/simulator-capacity-$stamp"
work="$(mktemp -d /tmp/simulator-capacity.XXXXXX)"
mkdir -p "$here/results"
pids=()

stop_all() {
  # every process this script started, by PID: SIGTERM (a node drains), then SIGKILL after 30 s
  for pid in "${pids[@]+"${pids[@]}"}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]+"${pids[@]}"}"; do
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
}
trap stop_all EXIT

port_free() { ! ss -Hltn "sport = :$1" | grep -q .; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
heap_used_kib() { # live heap after a full GC, in KiB
  jcmd "$1" GC.run >/dev/null
  jcmd "$1" GC.heap_info | python3 -c '
import re, sys
text = sys.stdin.read()
m = re.search(r"total \d+K, used (\d+)K", text)
print(sum(int(x) for x in re.findall(r"total \d+K, used (\d+)K", text)) if m else -1)'
}
wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...: polls every 0.2 s, fails at the deadline
  local deadline=$(( $(date +%s) + $1 )); local what="$2"; shift 2
  until "$@"; do
    if (( $(date +%s) > deadline )); then echo "timed out waiting for $what" >&2; exit 1; fi
    sleep 0.2
  done
}
status() { curl -fsS "http://127.0.0.1:$SIM_ADMIN_PORT/status" 2>/dev/null; }
json_get() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval('d'+sys.argv[1]))" "$1"; }

# ---- the machine, and what else runs on it (a shared host skews every figure)
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
estab_before="$(ss -Htn state established | wc -l)"

# ---- echo nodes
per_node=$(( (CONNECTIONS + NODES - 1) / NODES ))
targets=()
status_urls=()
for i in $(seq 0 $((NODES - 1))); do
  p=$((NODE_PORT + i)); a=$((NODE_ADMIN_PORT + i))
  port_free "$p" && port_free "$a" || { echo "port $p or $a is in use" >&2; exit 1; }
  # shellcheck disable=SC2086
  java $NODE_JVM_OPTS -jar "$JAR" node --standalone --port "$p" --admin-port "$a" --instances 2 \
    --node-id "bench-node-$i" >"$work/node-$i.log" 2>&1 &
  pids+=("$!")
  targets+=("\"ws://127.0.0.1:$p/ws\"")
  status_urls+=("\"http://127.0.0.1:$a/status\"")
done
for i in $(seq 0 $((NODES - 1))); do
  wait_for 60 "node $i" curl -fsS -o /dev/null "http://127.0.0.1:$((NODE_ADMIN_PORT + i))/ready"
done

# ---- the simulator
port_free "$SIM_ADMIN_PORT" || { echo "port $SIM_ADMIN_PORT is in use" >&2; exit 1; }
sources_json="$(printf '"%s",' $SOURCES)"; sources_json="[${sources_json%,}]"
cat >"$work/sim.json" <<EOF
{"nodeId": "bench-sim", "targets": [$(IFS=,; echo "${targets[*]}")], "population": $CONNECTIONS,
 "tolerance": 0.01, "instances": 2,
 "ramp": {"perSecond": $RAMP_PER_SECOND, "inFlight": $IN_FLIGHT, "delay": "${RAMP_DELAY_S}s"},
 "churn": {"fraction": 0}, "messages": {"interval": "$INTERVAL", "payloadBytes": 64},
 "sourceAddresses": $sources_json, "duration": "$HOLD", "progressInterval": "5s",
 "adminPort": $SIM_ADMIN_PORT, "openFileReserve": 300,
 "nodeStatusUrls": [$(IFS=,; echo "${status_urls[*]}")],
 "cluster": {"enabled": false},
 "report": {"json": "$out-report.json", "html": "$out-report.html"}}
EOF
# shellcheck disable=SC2086
java $SIM_JVM_OPTS $SIM_LAUNCH --config "$work/sim.json" >"$work/sim.log" 2>&1 &
sim=$!
pids+=("$sim")
start_ns=$(date +%s%N)
wait_for 30 "the simulator's admin port" status

# before: started, nothing connected yet (the ramp waits RAMP_DELAY_S), after a full GC
jcmd "$sim" GC.class_histogram >"$work/histo-before.txt" 2>/dev/null || true
heap_before=$(heap_used_kib "$sim")
rss_before=$(rss_kib "$sim")
held=$(status | json_get '["population"]["held"]')
[[ "$held" == "0" ]] || { echo "the ramp began before the baseline reading (held $held)" >&2; exit 1; }

# ramp: watch the held count twice a second
ramp_start_ns=""; ramp_done_ns=""; peak_rss=0
while :; do
  s="$(status)" || break
  held=$(echo "$s" | json_get '["population"]["held"]')
  now=$(date +%s%N)
  [[ -z "$ramp_start_ns" && "$held" -gt 0 ]] && ramp_start_ns=$now
  if [[ -z "$ramp_done_ns" && "$held" -ge $(( CONNECTIONS * 99 / 100 )) ]]; then ramp_done_ns=$now; break; fi
  (( (now - start_ns) / 1000000000 > ${HOLD%s} )) && break
  sleep 0.5
done
[[ -n "$ramp_done_ns" ]] || { echo "the simulator never held 99% of $CONNECTIONS; see $work/sim.log" >&2; exit 1; }

# full hold: three message intervals after the ramp, read RSS, then the live heap after a full GC
sleep $(( 3 * ${INTERVAL%s} ))
s="$(status)"
held_full=$(echo "$s" | json_get '["population"]["held"]')
os_full=$(echo "$s" | json_get '["counts"]["os"]')
rss_full=$(rss_kib "$sim")
jcmd "$sim" GC.class_histogram >"$work/histo-full.txt" 2>/dev/null || true
heap_full=$(heap_used_kib "$sim")
rss_after_gc=$(rss_kib "$sim")
fds=$(ls "/proc/$sim/fd" | wc -l)
load_during="$(cut -d' ' -f1-3 /proc/loadavg)"

# the simulator stops by itself after HOLD, settles, closes everything and writes its report
for _ in $(seq 1 1200); do kill -0 "$sim" 2>/dev/null || break; sleep 0.1; done
wait "$sim" && sim_exit=0 || sim_exit=$?
cp "$work/sim.log" "$out-simulator.log"

# ---- results
python3 - "$out" <<PY
import json, os, platform, subprocess, sys
out = sys.argv[1]
kib = 1024
held = $held_full
native = ($rss_full - $rss_before) * kib
heap = ($heap_full - $heap_before) * kib
ramp_s = ($ramp_done_ns - $ramp_start_ns) / 1e9
report = json.load(open(out + "-report.json")) if os.path.exists(out + "-report.json") else {}
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[1]
r = {
  "benchmark": "simulator-capacity",
  "date": "$stamp",
  "machine": {"cpu": cpu, "cores": os.cpu_count(), "memGiB": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
              "kernel": platform.release(), "java": java, "openFileLimit": int(subprocess.run(["sh", "-c", "ulimit -n"], capture_output=True, text=True).stdout),
              "loadBefore": "$load_before", "loadDuring": "$load_during", "establishedOnHostBefore": $estab_before},
  "setup": {"connections": $CONNECTIONS, "nodes": $NODES, "hold": "$HOLD", "interval": "$INTERVAL", "sources": "$SOURCES".split(),
            "rampPerSecondAsked": $RAMP_PER_SECOND, "inFlight": $IN_FLIGHT,
            "simulatorJvm": "$SIM_JVM_OPTS", "nodeJvm": "$NODE_JVM_OPTS", "simulatorLaunch": "$SIM_LAUNCH"},
  "heldAtFullHold": held, "osCountAtFullHold": $os_full, "simulatorOpenFiles": $fds,
  "rssKiB": {"before": $rss_before, "fullHold": $rss_full, "afterFullGc": $rss_after_gc},
  "liveHeapKiB": {"before": $heap_before, "fullHold": $heap_full},
  "perConnectionBytes": {"nativeRssGrowth": round(native / held), "liveHeapGrowth": round(heap / held),
                         "total": round((native + heap) / held)},
  "handshakesPerSecond": {"byStatusPolling": round(held / ramp_s) if ramp_s > 0 else None,
                          "simulatorReport": report.get("ramp", {}).get("handshakesPerSecond"),
                          "rampSeconds": round(ramp_s, 2)},
  "simulatorExit": $sim_exit,
  "simulatorVerdict": report.get("verdict"),
  "latencyMs": report.get("latencyMs"), "latencyMsAfterRamp": report.get("latencyMsAfterRamp"),
  "sendLagMs": report.get("sendLagMs"),
  "messages": report.get("messages"), "errors": report.get("errors"), "counts": report.get("counts"),
}
def histogram(path):
    classes = {}
    for line in open(path):
        p = line.split()
        if len(p) >= 4 and p[0].rstrip(":").isdigit():
            classes[p[3]] = int(p[2])
    return classes
before, full = histogram("$work/histo-before.txt"), histogram("$work/histo-full.txt")
growth = sorted(((full[c] - before.get(c, 0), c) for c in full), reverse=True)[:12]
r["heapTopClassesBytesPerConnection"] = {c: round(b / held) for b, c in growth}
json.dump(r, open(out + ".json", "w"), indent=2)
pc = r["perConnectionBytes"]; hs = r["handshakesPerSecond"]; m = r["machine"]
lines = [
  f"# Simulator capacity ({r['date']})", "",
  f"One simulator process holding {held:,} connections to {$NODES} holdfast echo nodes over {len(r['setup']['sources'])} source addresses, "
  f"one 64-byte message per connection every {r['setup']['interval']} (phase-spread), no churn.", "",
  f"Machine: {m['cpu']}, {m['cores']} cores, {m['memGiB']} GiB, Linux {m['kernel']}, {m['java']}, open-file limit {m['openFileLimit']}. "
  f"Load average before {m['loadBefore']}, during {m['loadDuring']}; {m['establishedOnHostBefore']:,} TCP connections already established on the host (other work).", "",
  f"Simulator JVM: \`{r['setup']['simulatorJvm']}\`; nodes: \`{r['setup']['nodeJvm']}\`. Command: \`bench/simulator-capacity.sh\`.", "",
  "| measure | value |", "|---|---|",
  f"| held at full hold (simulator / kernel) | {held:,} / {r['osCountAtFullHold']:,} |",
  f"| memory per connection (native RSS growth + live heap growth) | **{pc['total']/1024:.2f} KiB** ({pc['total']:,} B; target ≤ 6 KB) |",
  f"| native RSS growth per connection | {pc['nativeRssGrowth']/1024:.2f} KiB |",
  f"| live heap growth per connection | {pc['liveHeapGrowth']/1024:.2f} KiB |",
  f"| RSS before / at full hold / after full GC | {r['rssKiB']['before']/1024:.0f} / {r['rssKiB']['fullHold']/1024:.0f} / {r['rssKiB']['afterFullGc']/1024:.0f} MiB |",
  f"| handshakes per second during the ramp | {hs['simulatorReport']} (simulator's report); {hs['byStatusPolling']} by polling (ramp {hs['rampSeconds']} s) |",
  f"| echo latency p50 / p99 / max, whole run (ramp included) | {(r['latencyMs'] or {}).get('p50')} / {(r['latencyMs'] or {}).get('p99')} / {(r['latencyMs'] or {}).get('max')} ms |",
  f"| echo latency p50 / p99 / max, after the ramp | {(r['latencyMsAfterRamp'] or {}).get('p50')} / {(r['latencyMsAfterRamp'] or {}).get('p99')} / {(r['latencyMsAfterRamp'] or {}).get('max')} ms |",
  f"| simulator send lag p50 / p99 | {(r['sendLagMs'] or {}).get('p50')} / {(r['sendLagMs'] or {}).get('p99')} ms |",
  f"| verdict | {r['simulatorVerdict']} (exit {r['simulatorExit']}) |", "",
  "Comparisons quoted by the issue (not measured here): Node.js ws client ~12.7 KB, Tsung ~35 KB per connection.", "",
  "Live heap growth by class, before to full hold (jcmd GC.class_histogram; bytes per connection, top 12):", "",
  "| class | B / conn |", "|---|---|",
] + [f"| {k} | {v} |" for k, v in r["heapTopClassesBytesPerConnection"].items()]
open(out + ".md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
echo "results: $out.{md,json}  simulator report: $out-report.{json,html}"
