#!/usr/bin/env bash
# Prepares the real engines the tests use: on Debian 12 as root it installs and starts them; elsewhere it
# only checks, and fails naming what is missing and how to get it. Idempotent; `npm test` runs it first.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/env/engines.sh
source "$here/engines.sh"
# shellcheck source=tests/env/images.sh
source "$here/images.sh"
# shellcheck source=tests/env/guest.sh
source "$here/guest.sh"
# shellcheck source=tests/env/vm-network.sh
source "$here/vm-network.sh"

debian_packages=(
  docker.io containerd runc iptables busybox-static
  libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils dnsmasq-base
  docker-registry curl
  chromium fonts-dejavu-core
  libxml2-utils genisoimage libosinfo-bin ovmf isolinux syslinux-common
  openssh-client dropbear-bin
)

is_debian_root() {
  [ "$(id -u)" = 0 ] && [ -r /etc/os-release ] && grep -qE '^(ID|ID_LIKE)=.*debian' /etc/os-release
}

install_debian_packages() {
  local missing=()
  for pkg in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} = 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Without systemd the packages' own service starts fail harmlessly; engines.sh starts the daemons.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Without udev (containers, microVMs) /dev/kvm keeps the kernel's 0600 root:root, and libvirt's QEMU user
# cannot open it; udev on a normal host gives it to the kvm group. Do what udev would.
give_kvm_to_group() {
  [ -c /dev/kvm ] && getent group kvm >/dev/null || return 0
  [ "$(stat -c %G /dev/kvm)" = kvm ] && return 0
  log "giving /dev/kvm to the kvm group (0660), as udev would"
  chgrp kvm /dev/kvm
  chmod 0660 /dev/kvm
}

ensure_test_user() {
  id -u "$ISOLAB_TEST_USER" >/dev/null 2>&1 && return 0
  log "creating the unprivileged test user $ISOLAB_TEST_USER"
  useradd --create-home --shell /bin/bash "$ISOLAB_TEST_USER"
}

check_only() {
  local problems=()
  command -v docker >/dev/null || problems+=("docker CLI: install Docker Engine (Debian/Ubuntu: sudo apt install docker.io; Fedora: sudo dnf install moby-engine)")
  docker_answers || problems+=("Docker daemon not answering on ${DOCKER_HOST:-/var/run/docker.sock}: start it (sudo systemctl start docker) and make sure this user may use it (sudo usermod -aG docker \$USER, then log in again)")
  command -v virsh >/dev/null || problems+=("virsh: install libvirt (Debian/Ubuntu: sudo apt install libvirt-daemon-system libvirt-clients qemu-system-x86; Fedora: sudo dnf install libvirt qemu-kvm)")
  libvirt_answers || problems+=("libvirt daemon not answering on qemu:///system: sudo systemctl start libvirtd (or virtqemud.socket), and add this user to the libvirt group")
  [ -x "$CHROMIUM" ] || problems+=("Chromium at $CHROMIUM: install it (Debian/Ubuntu: sudo apt install chromium) or set ISOLAB_CHROMIUM to its path")
  docker image inspect "$BUSYBOX_IMAGE" >/dev/null 2>&1 || problems+=("the test image $BUSYBOX_IMAGE: run tests/env/images.sh busybox (needs busybox-static)")
  registry_answers || problems+=("a registry on $REGISTRY_ADDRESS for pull tests: install docker-registry and run tests/env/images.sh registry")
  guest_built || problems+=("the VM test guest (kernel, initramfs and ISO) in $GUEST_DIR: run tests/env/guest.sh build (needs apt-get download of a Debian kernel, busybox-static, dropbear-bin, openssh-client, genisoimage, isolinux and syslinux-common)")
  id -u "$ISOLAB_TEST_USER" >/dev/null 2>&1 || problems+=("the unprivileged test user $ISOLAB_TEST_USER: sudo useradd --create-home $ISOLAB_TEST_USER")
  if [ ${#problems[@]} -gt 0 ]; then
    echo "tests/env: this machine is not Debian as root, so nothing was installed; these are missing:" >&2
    printf '  - %s\n' "${problems[@]}" >&2
    exit 1
  fi
}

main() {
  if is_debian_root; then
    install_debian_packages
    ensure_test_user
    give_kvm_to_group
    start_docker
    start_libvirt
    start_registry
    build_busybox_image
    build_test_guest
    start_default_network
  fi
  check_only
  log "engines ready: docker $(docker version --format '{{.Server.Version}}'), libvirt $(virsh -c qemu:///system version --daemon | sed -n 's/^Running against daemon: //p')"
}

main "$@"
