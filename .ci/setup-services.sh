#!/usr/bin/env bash
# Installs and starts what the tests and benchmarks need beyond Node: PostgreSQL (store tests run
# on it as well as on PGlite), wrk and Prometheus Alertmanager (the ingest benchmark's reference).
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
as_postgres() { if command -v runuser >/dev/null 2>&1 && [ -z "$SUDO" ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
need=()
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v prometheus-alertmanager >/dev/null 2>&1 || need+=(prometheus-alertmanager)
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Debian's Alertmanager package starts a service on :9093; the benchmark runs its own instance.
$SUDO systemctl stop prometheus-alertmanager >/dev/null 2>&1 || $SUDO pkill -f '^/usr/bin/prometheus-alertmanager' || true
ver=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! $SUDO pg_lsclusters -h | grep -q online; then
  $SUDO pg_ctlcluster "$ver" main start || $SUDO service postgresql start
fi
for i in $(seq 1 30); do
  as_postgres psql -qtAc 'select 1' >/dev/null 2>&1 && break
  sleep 1
done
as_postgres psql -qtAc "alter user postgres password 'aegis'" >/dev/null
echo "postgres://postgres:aegis@127.0.0.1:5432/postgres"
