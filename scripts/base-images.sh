#!/usr/bin/env bash
# Builds the jib builder's base images offline from Debian's busybox-static and pushes them to a
# registry (default 127.0.0.1:5000): slipway/base-busybox:1, for static sites and Procfile apps, and
# slipway/base-jvm:1 (busybox, a jlink runtime of this JDK and the glibc libraries it links), for jars.
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
