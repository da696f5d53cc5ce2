#!/bin/bash
# A new upload-service replica replaying the event log, this checkout against a baseline revision:
# catch-up time to ready, heap after GC, peak RSS, and push/audit read times (ReplayBenchmark).
#
#   bench/run-replay-bench.sh [baseline-rev] [events] [candidate-rev] [harness options...]
#
# baseline-rev   the revision to compare with (default: the last revision whose read models keep every
#                event in heap); built in a temporary git worktree, which is removed again
# events         events in the log, five per push (default 1000000)
# candidate-rev  measure this revision instead of the working tree (also built in a temporary worktree)
# harness options, passed on: --xmx 4g, --push-reads 2000, --audit-reads 200, --timeout-minutes 30, ...
#
# Builds offline with the Maven wrapper (package only, nothing is installed). The event log, the
# replicas' output and GC logs go to a new folder under ${TMPDIR:-/tmp}, printed at the end; a full
# run needs about 3 GB of disk there (the filled log and one copy of it), up to -Xmx plus off-heap
# memory for each replica, and takes minutes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# the last revision before the read models moved out of the heap (tracking/EventHistory, status/PushStates)
baseline_rev=${1:-c00c42bcc58b5c38f4527dc49282a70c055f8882}
events=${2:-1000000}
candidate_rev=${3:-}
shift $(( $# < 3 ? $# : 3 ))

work=$(mktemp -d "${TMPDIR:-/tmp}/slipway-replay-bench.XXXXXX")
worktrees=()
cleanup() {
  for tree in "${worktrees[@]}"; do git -C "$root" worktree remove --force "$tree" > /dev/null 2>&1 || true; done
}
trap cleanup EXIT

# jar REV NAME: builds upload-service at REV in a temporary worktree, copies its runnable jar to $work/NAME.jar
jar_of() {
  local rev=$1 name=$2 tree=$work/src-$2
  git -C "$root" worktree add --detach "$tree" "$rev" > /dev/null
  worktrees+=("$tree")
  echo "building upload-service at $rev ($(git -C "$root" rev-parse --short "$rev"))" >&2
  (cd "$tree" && ./mvnw -o -q -B -pl upload-service -am package -DskipTests -Djib.skip)
  cp "$tree"/upload-service/target/upload-service-*-exec.jar "$work/$name.jar"
  git -C "$root" worktree remove --force "$tree"
}

echo "building the harness and this checkout's upload-service" >&2
(cd "$root" && ./mvnw -o -q -B -pl bench -am package -DskipTests -Djib.skip \
    dependency:build-classpath -Dmdep.outputFile=target/replay.classpath)
# the harness runs from its own copy: a build in this checkout meanwhile must not change it under the run
cp -r "$root/bench/target/classes" "$work/harness-classes"
classpath="$work/harness-classes:$(cat "$root/bench/target/replay.classpath")"

if [ -n "$candidate_rev" ]; then
  jar_of "$candidate_rev" candidate
  label=$(git -C "$root" rev-parse --short "$candidate_rev")
else
  cp "$root"/upload-service/target/upload-service-*-exec.jar "$work/candidate.jar"
  label=$(git -C "$root" rev-parse --short HEAD)
  [ -z "$(git -C "$root" status --porcelain -- upload-service events-schema)" ] || label="$label+changes"
fi
jar_of "$baseline_rev" baseline

java -Xmx1g -cp "$classpath" dev.slipway.bench.replay.ReplayBenchmark --events "$events" \
  --jar "$work/candidate.jar" --label "$label" \
  --baseline "$work/baseline.jar" --baseline-label "$(git -C "$root" rev-parse --short "$baseline_rev")" \
  --work "$work" "$@"
