#!/usr/bin/env bash
# Installs what Slipway's tests and local mode need on Debian 12 (bookworm): a JDK 17 for the Maven
# wrapper, the toolchains of language builds (Node.js and npm, Python with pip, Go, Maven), Debian's docker-registry (the real OCI registry images are pushed to), busybox-static
# (the base image of static sites and Procfile apps, see scripts/base-images.sh), and podman with
# runc (local mode runs the apps' containers with them; crun, podman's default, fails here), and
# podman-compose, which reads docker-compose.yml: the tests check the file with it (Docker's compose
# plugin needs a Docker engine, which Debian's podman machines lack), and it can start the stack there.
# Debian's chromium and the pinned playwright-core (npm ci in local/src/test/console) drive the web
# console in a headless browser for the local module's ConsoleEndToEndTest; Playwright never downloads
# a browser of its own.
# Safe to run again: apt-get skips what is installed.
set -euo pipefail

packages=(docker-registry busybox-static ca-certificates curl chromium fonts-liberation)
command -v javac >/dev/null 2>&1 || packages+=(openjdk-17-jdk-headless)
# The toolchains of language builds (they run in a build container with this machine's /usr mounted
# read-only) and the interpreters the Node.js and Python base images are made from. A node already
# installed (another distribution's package) is kept: Debian's would conflict with it.
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)
packages+=(python3 python3-pip python3-venv golang-go maven)

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${packages[@]}"
# podman with its recommended helpers (fuse-overlayfs, uidmap...), as tested; netavark (with iptables)
# named explicitly: apps run on isolated bridge networks, which the older CNI plugins cannot isolate;
# buildah, which Dockerfile builds read base images' ONBUILD triggers with
$sudo apt-get install -y -q podman runc netavark aardvark-dns iptables podman-compose buildah

# The package starts a registry on :5000 where systemd runs; Slipway starts its own on a free port.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker-registry 2>/dev/null; then
  $sudo systemctl disable --now docker-registry >/dev/null 2>&1 || true
fi
# the console test's packages, exactly as package-lock.json pins them
console_tests="$(cd "$(dirname "$0")/.." && pwd)/local/src/test/console"
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$console_tests" --no-audit --no-fund --loglevel=error

echo "ready: $(docker-registry --version 2>/dev/null || echo docker-registry), $(podman --version), runc $(runc --version | head -n 1 | awk '{print $3}') and $(java -version 2>&1 | head -n 1)"
echo "console tests: $(chromium --version 2>/dev/null || echo 'no chromium'), playwright-core $(node -p "require('$console_tests/node_modules/playwright-core/package.json').version")"
echo "builds: node $(node --version), $(python3 --version), $(go version | awk '{print $3}'), $(mvn -v 2>/dev/null | head -n 1)"
