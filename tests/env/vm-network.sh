#!/usr/bin/env bash
# Starts libvirt's default NAT network for the VM tests (a guest gets a DHCP lease from it), defining it from
# libvirt's own file when the package left none. Sourced by setup.sh; also a command: vm-network.sh start.
set -euo pipefail

start_default_network() {
  local virsh=(virsh --connect qemu:///system)
  if ! "${virsh[@]}" net-info default >/dev/null 2>&1; then
    echo "tests/env: defining libvirt's default network" >&2
    "${virsh[@]}" net-define /usr/share/libvirt/networks/default.xml >/dev/null
  fi
  local info
  info=$("${virsh[@]}" net-info default)
  if ! grep -Eq '^Active:[[:space:]]+yes$' <<<"$info"; then
    echo "tests/env: starting libvirt's default network" >&2
    "${virsh[@]}" net-start default >/dev/null
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-}" in
    start) start_default_network ;;
    *) echo "usage: $0 start" >&2; exit 2 ;;
  esac
fi
