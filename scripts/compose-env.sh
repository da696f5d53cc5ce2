#!/usr/bin/env bash
# Writes the .env that docker-compose.yml requires: random API, secrets and S3 keys, and the admin's
# bcrypt password hash. Never overwrites an .env: its keys seal the apps' secrets already stored.
# Usage: scripts/compose-env.sh [admin-password]   (asked for when not given; htpasswd: apache2-utils)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -e .env ]; then
  echo ".env exists: keep it (its keys open what is already stored), or remove it to start afresh" >&2
  exit 1
fi
if ! command -v htpasswd >/dev/null 2>&1; then
  echo "htpasswd is missing: apt-get install apache2-utils" >&2
  exit 1
fi
password="${1:-}"
if [ -z "$password" ]; then
  read -r -s -p "admin password: " password
  echo
fi
if [ "${#password}" -lt 8 ]; then
  echo "choose an admin password of 8 characters or more" >&2
  exit 1
fi

random_key() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
hash=$(htpasswd -nbBC 10 admin "$password" | cut -d: -f2)

umask 077
{
  echo "# made by scripts/compose-env.sh; keep it private and keep it: the keys open what is stored"
  echo "SLIPWAY_TOKEN_KEY=$(random_key)"
  echo "SLIPWAY_SECRETS_KEY=$(random_key)"
  echo "SLIPWAY_S3_SECRET_KEY=$(random_key)"
  # single quotes keep the hash's $ signs from interpolation
  echo "SLIPWAY_ADMIN_PASSWORD_HASH='$hash'"
} > .env
echo "wrote .env (mode 0600): log in as admin with the password you chose"
