#!/usr/bin/env bash
# The lean-node benchmark in one command: plain-Netty baseline, stock Vert.x and the holdfast node,
# each under the same load from a separate driver process, then the node under other JVM settings.
# Writes bench/results/lean-node-<date>.{md,json,svg}.  Flags: --quick (smoke test, under a minute),
# --connections N, --hold 60s, --sources K, --servers netty,vertx,holdfast, --no-tuning; see --help.
# --tls: every server and the driver speak wss:// (a self-signed EC P-256 certificate made here with
# openssl); the vertx baseline has no TLS, so use e.g. --tls --servers netty,holdfast.
set -euo pipefail
source "$(dirname "$0")/bench-jar.sh" # here, root, jar: the bench jar, built when stale
if [[ ! -f "$root/app/target/holdfast.jar" ]]; then
  echo "app/target/holdfast.jar is missing: build it first with (cd $root && mvn -B -q -DskipTests install)" >&2
  exit 1
fi

args=()
for a in "$@"; do
  if [[ "$a" == "--no-tuning" ]]; then
    args+=("--tuning=false")
  elif [[ "$a" == "--tls" ]]; then
    tls_dir="$here/target/tls"
    mkdir -p "$tls_dir"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=127.0.0.1" \
      -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout "$tls_dir/key.pem" -out "$tls_dir/cert.pem" 2>/dev/null
    args+=("--tls-cert" "$tls_dir/cert.pem" "--tls-key" "$tls_dir/key.pem")
  else
    args+=("$a")
  fi
done
export LEAN_NODE_COMMAND="bench/lean-node.sh $*"
exec java -jar "$jar" lean-node --holdfast-jar "$root/app/target/holdfast.jar" --out-dir "$here/results" "${args[@]+"${args[@]}"}"
