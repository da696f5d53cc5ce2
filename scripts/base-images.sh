#!/usr/bin/env bash
# Builds the jib builder's base images offline from Debian's files and pushes them to a registry
# (default 127.0.0.1:5000): slipway/base-busybox:1 (busybox-static), for static sites, Procfile and Go
# apps; slipway/base-jvm:1 (busybox, a jlink runtime of this JDK and the glibc libraries it links), for
# jars and Maven/Gradle apps; slipway/base-node:1 and slipway/base-python:1 (busybox with this
# machine's node, or python3 and its standard library, and the libraries they link), skipped when
# node or python3 is not installed.
# Usage: scripts/base-images.sh [registry] [username] [password]
set -euo pipefail
cd "$(dirname "$0")/.."
jar=$(ls staging-service/target/staging-service-*-exec.jar 2>/dev/null | head -n 1 || true)
if [ -z "$jar" ]; then
  ./mvnw -B -q -pl staging-service -am package -DskipTests
  jar=$(ls staging-service/target/staging-service-*-exec.jar | head -n 1)
fi
exec java -cp "$jar" -Dloader.main=dev.slipway.staging.build.BaseImages \
  org.springframework.boot.loader.launch.PropertiesLauncher "$@"
