#!/usr/bin/env bash
# The sustained-churn benchmark in one command: plain Netty, stock Vert.x and the holdfast node
# (standalone and clustered) each hold 15,000 connections while a separate driver closes and reopens
# a steady stream of them at rising rates until the echo p99 passes a bound (50 ms); the first 15,000
# handshakes after each server's start are its cold row. Writes bench/results/churn-<date>.{md,json}
# and -p99.svg, -cpu.svg. The full run takes at most ~15 minutes on 2 cores; --quick (2,000
# connections, one round) 1-2 minutes. Flags: --rounds N, --servers LIST, --bound 50ms, --pin 0:1; see --help.
set -euo pipefail
source "$(dirname "$0")/bench-jar.sh" # here, root, jar: the bench jar, built when stale
if [[ ! -f "$root/app/target/holdfast.jar" ]]; then
  echo "app/target/holdfast.jar is missing: build it first with (cd $root && mvn -B -q -DskipTests package)" >&2
  exit 2
fi
export CHURN_COMMAND="bench/churn.sh $*"
exec java -jar "$jar" churn --holdfast-jar "$root/app/target/holdfast.jar" --out-dir "$here/results" "$@"
