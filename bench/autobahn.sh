#!/usr/bin/env bash
# Autobahn|Testsuite's full run against a real node: cases 1-10 (all of 9.x) with the limits
# raised, then all of 9.x at the default limits. `mvn verify` runs the same test with a 9.x subset
# (the full 9.x is some 350 s of Jython on 2 cores). Reports: verticles/target/autobahn/<run>/,
# summary: verticles/target/autobahn/summary.txt.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -B -q -o -pl verticles -am test -Dtest=AutobahnConformanceTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dautobahn.cases='1.*,2.*,3.*,4.*,5.*,6.*,7.*,8.*,9.*,10.*' -Dautobahn.limitCases='9.*' "$@"
cat verticles/target/autobahn/summary.txt
