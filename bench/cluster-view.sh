#!/usr/bin/env bash
# The cluster view at N = 10, 100, 300, 1,000 simulated nodes, by simulation: a few real Hazelcast
# members (separate JVMs) each host N/members publishers; today's design (every member reads every
# snapshot) against the summary design (one summarizer, everyone reads one entry).
# Writes bench/results/cluster-view-<date>.{json,md} and -exact.svg, -cpu.svg, -reads.svg.
# Flags: --n 10,100,300,1000 --designs all-read,summary --members 3 --interval 1s --warmup 5 --measure 10 --heap 384m
set -euo pipefail
source "$(dirname "$0")/bench-jar.sh" # here, root, jar: the bench jar, built when stale
export CLUSTER_VIEW_COMMAND="bench/cluster-view.sh $*"
exec java -Xmx256m -cp "$jar" dev.holdfast.bench.Bench cluster-view --out-dir "$here/results" "$@"
