#!/usr/bin/env bash
# Cold start of an echo node against plain Netty in the same run: for each server, start it, time
# it to ready, count its threads at rest (by name), then make its FIRST --connections handshakes
# (no driver warm-up) and count its CPU over them, split by thread kind (event loops, JIT, GC,
# Hazelcast, the rest): where a fresh node's CPU goes in its first reconnect storm.
#
#   bench/cold-start.sh [--connections 15000] [--runs 1] [--busy] [--servers LIST] [--out FILE]
#
# LIST: comma-separated, each one of
#   netty                        the plain-Netty baseline (holdfast-bench.jar netty-echo)
#   NAME=ARGS                    a node started by bin/holdfast with ARGS after `node`, e.g.
#                                  "cold=--standalone --no-warmup", "clustered=--cluster-name x"
# Environment for the node rows: HOLDFAST_JAR (default app/target/holdfast.jar), HOLDFAST_CDS
# (off to start without the class-data archive; a row may set it: "nocds=HOLDFAST_CDS=off --standalone").
# --busy keeps two CPU-bound shell loops running (bounded by the run) while each server starts and
# takes its handshakes: a node starting on a machine that is already busy.
# Needs bench/target/holdfast-bench.jar (bench/lean-node.sh builds it) and curl.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
bench_jar="$here/target/holdfast-bench.jar"
connections=15000 runs=1 busy=0 out=""
servers='netty,warm=--standalone,cold=--standalone --no-warmup'
while [ $# -gt 0 ]; do
  case "$1" in
    --connections) connections=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --busy) busy=1; shift ;;
    --servers) servers=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "cold-start: unknown flag $1" >&2; exit 2 ;;
  esac
done
[ -f "$bench_jar" ] || { echo "cold-start: $bench_jar missing: run bench/lean-node.sh --help once to build it" >&2; exit 2; }
work=$(mktemp -d /tmp/holdfast-cold-start.XXXXXX)
tick=$(getconf CLK_TCK)
pids=()
cleanup() {
  for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

free_port() { # a free loopback port above 21000, outside the ephemeral range
  local p
  for p in $(seq $((21000 + RANDOM % 2000)) 24999); do
    if ! ss -Htln "sport = :$p" | grep -q .; then echo "$p"; return; fi
  done
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# "kind ticks" per thread of PID: the thread's comm with its number dropped, then its CPU
thread_ticks() {
  local t
  for t in /proc/"$1"/task/*; do
    local stat comm
    stat=$(cat "$t/stat" 2>/dev/null) || continue
    comm=$(cat "$t/comm" 2>/dev/null) || continue
    echo "$(kind "$comm") $(awk '{print $12 + $13}' <<<"${stat##*) }")" # utime + stime, after the comm
  done
}
kind() {
  case "$1" in
    C1\ Compiler* | C2\ Compiler* | *CompilerThre*) echo jit ;;
    GC\ Thread* | G1* | VM\ Thread | VM\ Periodic*) echo gc+vm ;;
    vert.x-eventloo* | multiThreadIoEv* | nioEventLoopGr* | epollEventLoop* | vert.x-acceptor*) echo event-loops ;;
    hz.*) echo hazelcast ;;
    *) echo other ;;
  esac
}
by_kind() { awk '{t[$1] += $2} END {for (k in t) print k, t[k]}' | sort; }
threads_by_name() { cat /proc/"$1"/task/*/comm | sed -E 's/[-#]?[0-9]+$//' | sort | uniq -c | sort -rn | awk '{c=$1; $1=""; printf "%s%s x%d", sep, substr($0,2), c; sep=", "} END {print ""}'; }

burners=()
start_busy() {
  [ "$busy" = 1 ] || return 0
  for i in 1 2; do
    timeout 600 bash -c 'while :; do :; done' &
    burners+=($!)
  done
}
stop_busy() {
  for b in "${burners[@]+"${burners[@]}"}"; do kill "$b" 2>/dev/null || true; done
  burners=()
}

# one server: start, time to ready, threads at rest, first handshakes
measure() {
  local name=$1 spec=$2 run=$3 port admin pid t0 ready ready_ms cpu_ready log
  port=$(free_port)
  log=$work/$name-r$run.log
  start_busy
  t0=$(date +%s%N)
  if [ "$spec" = netty ]; then
    java -Xms256m -Xmx2g -XX:+UseG1GC -jar "$bench_jar" netty-echo --port "$port" --threads "$(nproc)" >"$log" 2>&1 &
    pid=$!
    pids+=("$pid")
    until ss -Htln "sport = :$port" | grep -q .; do sleep 0.02; done
  else
    admin=$(free_port)
    [ "$admin" = "$port" ] && admin=$((port + 1))
    local envs=() args=()
    for a in $spec; do
      if [[ "$a" == HOLDFAST_*=* ]]; then envs+=("$a"); else args+=("$a"); fi
    done
    env "${envs[@]+"${envs[@]}"}" "$root/bin/holdfast" node "${args[@]}" --port "$port" --admin-port "$admin" \
      --instances "$(nproc)" >"$log" 2>&1 &
    pid=$!
    pids+=("$pid")
    until curl -fs "http://127.0.0.1:$admin/ready" >/dev/null 2>&1; do
      kill -0 "$pid" 2>/dev/null || { echo "cold-start: $name died; see $log" >&2; tail -5 "$log" >&2; exit 1; }
      sleep 0.02
    done
  fi
  ready=$(date +%s%N)
  ready_ms=$(((ready - t0) / 1000000))
  cpu_ready=$(cpu_ticks "$pid")
  stop_busy
  sleep 10 # at rest: pools that start threads lazily have had their first tasks
  local threads names
  threads=$(ls /proc/"$pid"/task | wc -l)
  names=$(threads_by_name "$pid")
  # the first handshakes, no driver warm-up, with the machine as busy as at the start
  start_busy
  coproc DRIVER { exec java -Xms256m -Xmx1g -XX:+UseParallelGC -jar "$bench_jar" drive --port "$port" \
    --connections "$connections" --warmup 0 --sources 4 --in-flight 128 --hold 1s --interval 5s \
    --out "$work/$name-r$run-driver.json" 2>&1; }
  local dpid=$DRIVER_PID line before after c0 c1 connected=""
  pids+=("$dpid")
  while read -r line <&"${DRIVER[0]}"; do
    case "$line" in
      '@waiting {"for":"go"}')
        c0=$(cpu_ticks "$pid"); before=$(thread_ticks "$pid" | by_kind)
        echo go >&"${DRIVER[1]}" ;;
      '@connected '*)
        c1=$(cpu_ticks "$pid"); after=$(thread_ticks "$pid" | by_kind)
        connected=${line#@connected } ;;
      '@waiting {"for":"hold"}') stop_busy; echo hold >&"${DRIVER[1]}" ;;
      '@waiting {"for":"close"}') echo close >&"${DRIVER[1]}" ;;
      '@done '*) break ;;
    esac
  done
  wait "$dpid" 2>/dev/null || true
  stop_busy
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local opened failed hps split
  opened=$(sed -E 's/.*"opened":([0-9]+).*/\1/' <<<"$connected")
  failed=$(sed -E 's/.*"failed":([0-9]+).*/\1/' <<<"$connected")
  hps=$(sed -E 's/.*"handshakesPerSecond":([0-9.]+).*/\1/' <<<"$connected")
  split=$(join -a1 -a2 -e 0 -o 0,1.2,2.2 <(echo "$before") <(echo "$after") \
    | awk -v tick="$tick" -v n="$opened" '{d = ($3 - $2) * 1e6 / tick / n; if (d > 0) printf "%s%s %.0f", sep, $1, d; sep=", "} END {print ""}')
  printf '| %s | %d | %s | %d | %d | %s | %.0f | %d | %s | %s |\n' "$name" "$run" "$ready_ms" \
    "$((cpu_ready * 1000 / tick))" "$threads" "$opened" "$(awk -v d=$((c1 - c0)) -v t="$tick" -v n="$opened" 'BEGIN {print d * 1e6 / t / n}')" \
    "$failed" "$split" "${hps%.*}" | tee -a "$work/rows.md"
  echo "$name threads at rest: $names" >>"$work/threads.txt"
}

{
  echo "cold start, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
  echo "command: bench/cold-start.sh --connections $connections --runs $runs$([ "$busy" = 1 ] && echo ' --busy') --servers '$servers'"
  echo "node jar: ${HOLDFAST_JAR:-$root/app/target/holdfast.jar} unless a row sets HOLDFAST_JAR"
  echo
  echo "| server | run | start to ready (ms) | CPU to ready (ms) | threads at rest | handshakes | CPU per handshake (µs), first $connections | failed | µs per handshake by thread kind | handshakes/s |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
} | tee "$work/head.md"
IFS=',' read -r -a list <<<"$servers"
for run in $(seq 1 "$runs"); do
  for s in "${list[@]}"; do
    if [ "$s" = netty ]; then measure netty netty "$run"; else measure "${s%%=*}" "${s#*=}" "$run"; fi
  done
done
echo
cat "$work/threads.txt"
if [ -n "$out" ]; then
  { cat "$work/head.md" "$work/rows.md"; echo; echo '```'; cat "$work/threads.txt"; echo '```'; } >"$out"
  echo "written: $out"
fi
echo "logs: $work"
