# Sourced by the bench scripts: sets here (bench/), root (the repository) and jar
# (bench/target/holdfast-bench.jar), and builds the jar when it is missing or older than its sources
# or core's (offline first, as CI caches ~/.m2; tests are skipped: they run in mvn verify).
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
jar="$here/target/holdfast-bench.jar"
if [[ ! -f "$jar" || -n "$(find "$here/src" "$here/pom.xml" "$root/core/src/main" -newer "$jar" -print -quit)" ]]; then
  echo "building $jar"
  (cd "$root" && { mvn -B -q -o -pl bench -am package -DskipTests || mvn -B -q -pl bench -am package -DskipTests; })
fi
