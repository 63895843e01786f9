#!/usr/bin/env bash
# Installs and starts what the tests and benchmarks need beyond Node: PostgreSQL (store tests run
# on it as well as on PGlite), wrk and Prometheus Alertmanager (the ingest benchmark's reference; with
# Prometheus, the alert-source tests), nginx (the Docker executor's load balancer), Chromium (cockpit
# end-to-end tests, PDF reports), Docker's engine (the Docker executor's tests; dockerd is started as root) and
# python3 (the Python SDK's tests).
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
as_postgres() { if command -v runuser >/dev/null 2>&1 && [ -z "$SUDO" ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
need=()
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v prometheus-alertmanager >/dev/null 2>&1 || need+=(prometheus-alertmanager)
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
[ -x /usr/sbin/nginx ] || need+=(nginx)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/sbin/dockerd ] || need+=(docker.io)
# The Python SDK's example and unittest suite run against the server (sdk/python; standard library only).
command -v python3 >/dev/null 2>&1 || need+=(python3)

# Debian's Alertmanager package starts a service on :9093; the benchmark runs its own instance. While apt-get
# installs, a policy-rc.d answering 101 ("not allowed") keeps every package's service from starting (PostgreSQL
# is started below); the machine's own policy-rc.d, if it has one, is put back afterwards, even on failure.
POLICY=/usr/sbin/policy-rc.d
policy_saved=""
hold_services() {
  if [ -e "$POLICY" ]; then
    policy_saved=$($SUDO mktemp)
    $SUDO cp -p "$POLICY" "$policy_saved"
  fi
  trap release_services EXIT
  printf '#!/bin/sh\n# Written by .ci/setup-services.sh during apt-get install; removed after it.\nexit 101\n' |
    $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod 0755 "$POLICY"
}
release_services() {
  if [ -n "$policy_saved" ]; then $SUDO mv -f "$policy_saved" "$POLICY"; else $SUDO rm -f "$POLICY"; fi
  policy_saved=""
  trap - EXIT
}
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  hold_services
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  release_services
fi
# Installed earlier, the service may be running: its init script stops it by its PID file
# (/run/prometheus/prometheus-alertmanager.pid), or through systemd where systemd runs; stopped already is fine.
for svc in prometheus-alertmanager prometheus nginx; do
  if [ -x /etc/init.d/$svc ]; then
    $SUDO /etc/init.d/$svc stop >/dev/null 2>&1 || true
  fi
done
# Docker's engine, for the Docker executor's tests: started once, as root, in the background.
if [ -x /usr/sbin/dockerd ] && ! $SUDO docker info >/dev/null 2>&1; then
  $SUDO sh -c 'nohup /usr/sbin/dockerd >/var/log/aegis-dockerd.log 2>&1 &'
  for i in $(seq 1 30); do
    $SUDO docker info >/dev/null 2>&1 && break
    sleep 1
  done
fi
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
