#!/usr/bin/env bash
# Loads the service images that `./mvnw -B package -DskipTests` wrote (<service>/target/jib-image.tar,
# tagged slipway/<service>:<version>) into docker, or into podman when docker has no engine to talk to.
# Usage: scripts/load-images.sh [docker|podman]
set -euo pipefail
cd "$(dirname "$0")/.."
engine=${1:-}
if [ -z "$engine" ]; then
  if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then engine=docker; else engine=podman; fi
fi
for service in upload-service staging-service deploy-service routing-service; do
  tar="$service/target/jib-image.tar"
  if [ ! -f "$tar" ]; then
    echo "$tar is missing: build the images first with ./mvnw -B package -DskipTests" >&2
    exit 1
  fi
  "$engine" load -i "$tar"
done
