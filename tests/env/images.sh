#!/usr/bin/env bash
# Builds the local test images (no registry is reachable here) and runs a real registry on 127.0.0.1 for pull
# tests. Sourced by setup.sh; also a command: images.sh busybox|registry.
set -euo pipefail

BUSYBOX_IMAGE=local/busybox:latest
REGISTRY_ADDRESS=${ISOLAB_TEST_REGISTRY:-127.0.0.1:5000}
REGISTRY_DIR=/var/lib/isolab-test/registry
REGISTRY_LOG_DIR=${ISOLAB_ENGINE_LOGS:-/var/log/isolab-test}

images_log() { echo "tests/env: $*" >&2; }

# A busybox rootfs (static binary + one symlink per applet), imported as an image: 2 MB, under a second.
build_busybox_image() {
  docker image inspect "$BUSYBOX_IMAGE" >/dev/null 2>&1 && return 0
  images_log "building $BUSYBOX_IMAGE from busybox-static"
  local root
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root" "$root/proc" "$root/sys" "$root/dev"
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  local applet
  for applet in $("$root/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  tar -C "$root" --numeric-owner --owner=0 --group=0 -c . |
    docker import --change 'ENV PATH=/bin' --change 'CMD ["/bin/sh"]' - "$BUSYBOX_IMAGE" >/dev/null
  rm -rf "$root"
}

registry_answers() { curl -fsS "http://$REGISTRY_ADDRESS/v2/" >/dev/null 2>&1; }

# Debian's docker-registry is the real distribution registry; dockerd trusts 127.0.0.0/8 as insecure by default.
start_registry() {
  registry_answers && return 0
  images_log "starting a registry on $REGISTRY_ADDRESS"
  mkdir -p "$REGISTRY_DIR" "$REGISTRY_LOG_DIR"
  local config=/var/lib/isolab-test/registry.yml
  cat >"$config" <<YAML
version: 0.1
storage:
  filesystem:
    rootdirectory: $REGISTRY_DIR
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDRESS
YAML
  setsid docker-registry serve "$config" >>"$REGISTRY_LOG_DIR/registry.log" 2>&1 </dev/null &
  local deadline=$((SECONDS + 30))
  until registry_answers; do
    [ $SECONDS -lt $deadline ] || { images_log "the registry did not answer within 30s"; tail -n 20 "$REGISTRY_LOG_DIR/registry.log" >&2; return 1; }
    sleep 0.2
  done
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-}" in
    busybox) build_busybox_image ;;
    registry) start_registry ;;
    *) echo "usage: $0 busybox|registry" >&2; exit 2 ;;
  esac
fi
