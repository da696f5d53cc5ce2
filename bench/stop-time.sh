#!/bin/bash
# How long bin/slipway-local takes to stop after Ctrl-C (SIGINT to its process group, as a terminal
# sends it) or SIGTERM, in four states: idle, after a failed stage (a tar.gz with ../../etc/x pushed
# with bin/slipway push), during a push (Ctrl-C as staging starts) and with an app running. With
# --baseline JAR it measures that jar too (say, one built from main before a change) and prints the
# ratio. The time runs from the signal to the exit of the JVM, which this script waits for as its
# parent.
#
#   bench/stop-time.sh [--baseline JAR] [--jar JAR] [--signal INT|TERM] [--states "idle failed-stage during-push app-running"]
#
# Local mode listens on fixed ports (Kafka 19092, S3 19000, registry 15000, API 8080, router 8888).
# Run as root, each run gets a network namespace of its own (unshare -n), so a local mode already
# running on this machine is not in the way; otherwise those ports must be free.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jar=$(ls "$root"/local/target/local-*-exec.jar 2>/dev/null | head -n 1 || true)
baseline=""
signal=INT
states="idle failed-stage during-push app-running"
while [ $# -gt 0 ]; do
  case $1 in
    --baseline) baseline=$2; shift 2;;
    --jar) jar=$2; shift 2;;
    --signal) signal=$2; shift 2;;
    --states) states=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
[ -n "$jar" ] || { echo "build first: ./mvnw -B -q -pl local -am package -DskipTests" >&2; exit 2; }
cli=$(ls "$root"/cli/target/cli-*-exec.jar 2>/dev/null | head -n 1 || true)
[ -n "$cli" ] || { echo "build the CLI first: ./mvnw -B -q -pl cli -am package -DskipTests" >&2; exit 2; }
work=$(mktemp -d /tmp/slipway-stop-bench.XXXXXX)
python3 - "$work/broken.tar.gz" <<'EOF'
import io, sys, tarfile
with tarfile.open(sys.argv[1], 'w:gz') as archive:
    entry = tarfile.TarInfo('../../etc/x'); entry.size = 1
    archive.addfile(entry, io.BytesIO(b'x'))
EOF
isolate=""
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
  isolate=yes
fi

# start JAR DATA LOG [args]: local mode in a session of its own (its process group is what Ctrl-C
# signals), with SIGINT at its default action, as a shell without job control would ignore it
start() {
  local jar=$1 data=$2 log=$3; shift 3
  local java="java -Xmx640m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -jar $jar --data $data $*"
  if [ -n "$isolate" ]; then java="unshare -n sh -c 'ip link set lo up && exec $java'"; fi
  python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.setsid(); os.execvp("sh", ["sh", "-c", sys.argv[1]])' \
    "exec $java" > "$log" 2>&1 < /dev/null &
  pid=$!
}

# until LOG has a line matching PATTERN, or the process has ended
await() {
  local log=$1 pattern=$2
  until grep -qs "$pattern" "$log"; do
    kill -0 "$pid" 2>/dev/null || { echo "local mode ended early; its output:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.1
  done
}

# the CLI, in local mode's network namespace when it has one
slipway() {
  local config=$1; shift
  if [ -n "$isolate" ]; then
    SLIPWAY_CONFIG=$config nsenter --net=/proc/$pid/ns/net java -XX:TieredStopAtLevel=1 -jar "$cli" "$@"
  else
    SLIPWAY_CONFIG=$config java -XX:TieredStopAtLevel=1 -jar "$cli" "$@"
  fi
}

# signals the running local mode and prints the milliseconds until its JVM has exited (killed
# after 5 minutes, so a hang shows as about 300000)
stop() {
  local started=$(date +%s%N)
  if [ "$signal" = INT ]; then kill -s INT -- "-$pid"; else kill -s "$signal" "$pid"; fi
  # (its output away from the caller's $(...), which would wait for it otherwise)
  ( trap exit TERM; sleep 300 & wait; kill -s KILL -- "-$pid" ) > /dev/null 2>&1 & local killer=$!
  wait "$pid" || true
  kill "$killer" 2>/dev/null || true
  echo $(( ($(date +%s%N) - started) / 1000000 ))
}

# measure JAR DATA STATE: starts local mode, brings it into STATE, stops it; prints the milliseconds
measure() {
  local jar=$1 data=$2 state=$3
  local log=$work/$state.$(basename "$data").log
  case $state in
    idle|failed-stage|app-running) start "$jar" "$data" "$log" --no-push; await "$log" "Slipway is running";;
    during-push) start "$jar" "$data" "$log" --push "$root/examples/procfile-app"; await "$log" "staging    started";;
  esac
  case $state in
    failed-stage) slipway "$data/cli.json" push "$work/broken.tar.gz" --name broken > "$log.push" 2>&1 || true
                  grep -q "ARCHIVE_UNSAFE_PATH" "$log.push" || { echo "the broken push did not fail as expected:" >&2; cat "$log.push" >&2; };;
    app-running) slipway "$data/cli.json" push "$root/examples/static-site" > "$log.push" 2>&1
                 grep -q "is online at" "$log.push" || { echo "the app did not come online:" >&2; cat "$log.push" >&2; };;
  esac
  stop
}

# removes the containers of the installation whose data folder is DATA
remove_apps() {
  local installation
  installation=$(grep '^token-key=' "$1/secrets.properties" 2>/dev/null | cut -d= -f2 | cut -c1-8) || return 0
  [ -n "$installation" ] || return 0
  podman ps -a -q --filter "label=slipway.dev/installation=$installation" | while read -r id; do
    podman --runtime runc rm -f -t 0 "$id" > /dev/null
  done
}

declare -A after before
echo "stop time after SIG$signal (ms), $( [ -n "$isolate" ] && echo "each run in its own network namespace" || echo "on the default ports")"
for state in $states; do
  after[$state]=$(measure "$jar" "$work/data" "$state")
  if [ -n "$baseline" ]; then before[$state]=$(measure "$baseline" "$work/baseline-data" "$state"); fi
done
remove_apps "$work/data"
[ -n "$baseline" ] && remove_apps "$work/baseline-data"
if [ -n "$baseline" ]; then
  printf '%-14s %10s %10s %8s\n' state baseline this ratio
  for state in $states; do
    printf '%-14s %10s %10s %8s\n' "$state" "${before[$state]}" "${after[$state]}" \
      "$(python3 -c "print(f'{${before[$state]} / max(1, ${after[$state]}):.1f}x')")"
  done
else
  printf '%-14s %10s\n' state this
  for state in $states; do printf '%-14s %10s\n' "$state" "${after[$state]}"; done
fi
echo "logs in $work"
