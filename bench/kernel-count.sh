#!/usr/bin/env bash
# The kernel-count benchmark: what one count of a node's own sockets costs (CPU and wall time, medians
# of several reads) as the machine's other sockets grow, old reader (/proc/net/tcp*) against the new
# (netlink sock_diag, /proc/self/fd). Helper processes hold the machine's sockets (<= 9,000 loopback
# pairs each). Writes bench/results/kernel-count-<date>.{md,json,svg}. Flags: --machine-sockets
# 10000,50000,100000  --own 5000  --reads 7; see --help.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
jar="$here/target/holdfast-bench.jar"

# build the bench jar when it is missing or older than its sources (offline first, as CI caches ~/.m2)
if [[ ! -f "$jar" || -n "$(find "$here/src" "$here/pom.xml" "$root/core/src/main" -newer "$jar" -print -quit)" ]]; then
  echo "building $jar"
  (cd "$root" && { mvn -B -q -o -pl bench -am package -DskipTests || mvn -B -q -pl bench -am package -DskipTests; })
fi
exec java -cp "$jar" dev.holdfast.bench.KernelCountBench --out-dir "$here/results" \
  --command "bench/kernel-count.sh $*" "$@"
