#!/usr/bin/env bash
# The kernel-count benchmark: what one count of a node's own sockets costs (CPU and wall time, medians
# of several reads) as the machine's other sockets grow, old reader (/proc/net/tcp*) against the new
# (netlink sock_diag, /proc/self/fd). Helper processes hold the machine's sockets (<= 9,000 loopback
# pairs each). Writes bench/results/kernel-count-<date>.{md,json,svg}. Flags: --machine-sockets
# 10000,50000,100000  --own 5000  --reads 7; see --help.
set -euo pipefail
source "$(dirname "$0")/bench-jar.sh" # here, root, jar: the bench jar, built when stale
exec java -cp "$jar" dev.holdfast.bench.KernelCountBench --out-dir "$here/results" \
  --command "bench/kernel-count.sh $*" "$@"
