#!/usr/bin/env bash
# Starts, stops and probes the test engines (dockerd, libvirtd) with or without systemd.
# Sourced by setup.sh; also a command for tests: engines.sh start-docker|stop-docker|start-libvirt|stop-libvirt.
set -euo pipefail

ISOLAB_TEST_USER=${ISOLAB_TEST_USER:-isolab-test}
CHROMIUM=${ISOLAB_CHROMIUM:-/usr/bin/chromium}
DOCKER_SOCKET=/var/run/docker.sock
LOG_DIR=${ISOLAB_ENGINE_LOGS:-/var/log/isolab-test}

log() { echo "tests/env: $*" >&2; }

has_systemd() { [ -d /run/systemd/system ]; }

wait_until() {
  local what=$1 seconds=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      log "$what did not answer within ${seconds}s"
      return 1
    fi
    sleep 0.2
  done
}

docker_answers() { timeout 20 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
libvirt_answers() { timeout 20 virsh -c qemu:///system version --daemon >/dev/null 2>&1; }

start_docker() {
  docker_answers && return 0
  log "starting dockerd"
  if has_systemd; then
    systemctl start docker
  else
    mkdir -p "$LOG_DIR"
    # A killed daemon leaves its socket and pid file behind, and dockerd refuses to start over them.
    rm -f "$DOCKER_SOCKET" /var/run/docker.pid
    setsid dockerd --host "unix://$DOCKER_SOCKET" >>"$LOG_DIR/dockerd.log" 2>&1 </dev/null &
  fi
  wait_until dockerd 60 docker_answers || { tail -n 20 "$LOG_DIR/dockerd.log" >&2 || true; return 1; }
}

stop_docker() {
  if has_systemd; then
    systemctl stop docker docker.socket
    return 0
  fi
  local pid
  pid=$(cat /var/run/docker.pid 2>/dev/null || true)
  [ -n "$pid" ] || pid=$(pgrep -x -u 0 dockerd || true)
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { kill -9 "$pid" 2>/dev/null || true; break; }
    sleep 0.2
  done
}

start_libvirt() {
  libvirt_answers && return 0
  log "starting libvirtd"
  if has_systemd; then
    systemctl start libvirtd
  else
    # Both daemons exit at once when their log folder is missing.
    mkdir -p /var/log/libvirt "$LOG_DIR"
    # Only root's daemons count: an unprivileged user's qemu:///session starts its own libvirtd.
    pgrep -x -u 0 virtlogd >/dev/null || virtlogd -d
    pgrep -x -u 0 libvirtd >/dev/null || libvirtd -d
  fi
  wait_until libvirtd 120 libvirt_answers
}

stop_libvirt() {
  if has_systemd; then
    systemctl stop libvirtd
    return 0
  fi
  pkill -x -u 0 libvirtd || true
  wait_until "libvirtd exit" 30 bash -c '! pgrep -x -u 0 libvirtd'
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-}" in
    start-docker) start_docker ;;
    stop-docker) stop_docker ;;
    start-libvirt) start_libvirt ;;
    stop-libvirt) stop_libvirt ;;
    *) echo "usage: $0 start-docker|stop-docker|start-libvirt|stop-libvirt" >&2; exit 2 ;;
  esac
fi
