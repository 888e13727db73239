#!/usr/bin/env bash
# Builds the tiny VM test guest: a Debian kernel (apt-get download) and a busybox initramfs that loads the virtio
# modules, powers off on the ACPI button, starts qemu-guest-agent when the VM has its channel, takes a DHCP lease and
# runs dropbear (root logs in with the test key) when it has a NIC, and prints a ready marker on ttyS0; and an
# isolinux ISO that boots the same kernel and initramfs (the installer-ISO source). Sourced by setup.sh; also a
# command: guest.sh build|check.
set -euo pipefail

GUEST_DIR=${ISOLAB_TEST_GUEST_DIR:-/var/lib/isolab-test/guest}
# Load order matters: each module needs the ones before it.
GUEST_MODULES=(
  drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_pci_modern_dev
  drivers/virtio/virtio_pci_legacy_dev drivers/virtio/virtio_pci drivers/block/virtio_blk
  drivers/virtio/virtio_balloon drivers/input/evdev drivers/acpi/button
  net/core/failover drivers/net/net_failover drivers/net/virtio_net drivers/char/virtio_console
)
# Bumped whenever the initramfs changes, so a guest built by an older guest.sh is built again.
GUEST_BUILD_VERSION=3
# The key pair root logs in to the guest with over SSH (its public half is baked into the initramfs); root-only.
GUEST_SSH_KEY=$GUEST_DIR/ssh/id_ed25519

guest_log() { echo "tests/env: $*" >&2; }

GUEST_CMDLINE='console=ttyS0 panic=-1 quiet'
# From the Debian packages isolinux and syslinux-common.
ISOLINUX_BIN=/usr/lib/ISOLINUX/isolinux.bin
LDLINUX_C32=/usr/lib/syslinux/modules/bios/ldlinux.c32

guest_kernel_built() {
  [ -s "$GUEST_DIR/vmlinuz" ] && [ -s "$GUEST_DIR/initrd.img" ] && [ -s "$GUEST_DIR/kernel-release" ] &&
    [ "$(cat "$GUEST_DIR/build-version" 2>/dev/null)" = "$GUEST_BUILD_VERSION" ] && [ -s "$GUEST_SSH_KEY" ]
}

guest_iso_built() {
  [ -s "$GUEST_DIR/test-guest.iso" ]
}

guest_built() {
  guest_kernel_built && guest_iso_built
}

# The kernel package linux-image-amd64 points at now: the one apt offers.
guest_kernel_package() {
  apt-cache depends linux-image-amd64 2>/dev/null |
    sed -n 's/^ *Depends: \(linux-image-6\.1\.0-[0-9]*-amd64\)$/\1/p' | head -n 1
}

guest_init_script() {
  cat <<'INIT'
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for module in /lib/modules/*.ko; do insmod "$module"; done
# acpid exits at once without its log directory.
mkdir -p /etc/acpi/PWRF /var/log /var/run
printf '#!/bin/sh\npoweroff -f\n' >/etc/acpi/PWRF/00000080
chmod +x /etc/acpi/PWRF/00000080
acpid
# qemu-guest-agent on the virtio-serial port libvirt names for it, when the VM has that channel. Ports appear a moment
# after virtio_console loads, so look in the background for a few seconds (there is no udev to wait for).
(
  [ -d /sys/bus/virtio/drivers/virtio_console ] || exit 0
  for attempt in $(seq 50); do
    for port in /sys/class/virtio-ports/*; do
      [ "$(cat "$port/name" 2>/dev/null)" = org.qemu.guest_agent.0 ] &&
        exec qemu-ga --method=virtio-serial --path="/dev/${port##*/}" --logfile=/var/log/qemu-ga.log
    done
    sleep 0.1
  done
) &
# With a NIC: a DHCP lease for eth0 (udhcpc keeps renewing it) and dropbear on port 22, in the background so the
# ready line does not wait for the network.
if [ -e /sys/class/net/eth0 ]; then
  ip link set lo up
  ip link set eth0 up
  udhcpc -f -i eth0 -s /etc/udhcpc.script >/var/log/udhcpc.log 2>&1 &
  dropbear -F -E -s -r /etc/dropbear/dropbear_ed25519_host_key >/var/log/dropbear.log 2>&1 &
fi
hostname isolab-guest
echo "ISOLAB-GUEST-READY $(uname -r)" >/dev/ttyS0
while true; do setsid cttyhack sh </dev/ttyS0 >/dev/ttyS0 2>&1; done
INIT
}

# busybox udhcpc runs this on each lease event: the leased address, the default route and the DNS servers.
guest_udhcpc_script() {
  cat <<'SCRIPT'
#!/bin/sh
case "$1" in
  deconfig) ifconfig "$interface" 0.0.0.0 ;;
  bound | renew)
    ifconfig "$interface" "$ip" netmask "${subnet:-255.255.255.0}"
    for gateway in $router; do
      route add default gw "$gateway" dev "$interface" 2>/dev/null
      break
    done
    for server in $dns; do echo "nameserver $server"; done >/etc/resolv.conf
    ;;
esac
exit 0
SCRIPT
}

# The SSH key pair the tests log in to the guest with, made once (root-only, as ssh requires of a private key).
ensure_guest_ssh_key() {
  [ -s "$GUEST_SSH_KEY" ] && [ -s "$GUEST_SSH_KEY.pub" ] && return 0
  mkdir -p "$(dirname "$GUEST_SSH_KEY")"
  chmod 0700 "$(dirname "$GUEST_SSH_KEY")"
  rm -f "$GUEST_SSH_KEY" "$GUEST_SSH_KEY.pub"
  ssh-keygen -q -t ed25519 -N '' -C isolab-test-guest -f "$GUEST_SSH_KEY"
  chmod 0600 "$GUEST_SSH_KEY"
}

# dropbear (from dropbear-bin, installed on this host for its libraries) with a host key made now, root with /bin/sh
# as its shell and the test key as its only way in (dropbear refuses group- or world-writable ~/.ssh files).
install_guest_sshd() {
  local root=$1
  copy_with_libraries /usr/sbin/dropbear "$root/bin/dropbear" "$root" dropbear-bin
  mkdir -p "$root/etc/dropbear" "$root/root/.ssh"
  dropbearkey -t ed25519 -f "$root/etc/dropbear/dropbear_ed25519_host_key" >/dev/null 2>&1
  printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\n' >"$root/etc/group"
  printf '/bin/sh\n' >"$root/etc/shells"
  printf 'passwd: files\ngroup: files\nshadow: files\n' >"$root/etc/nsswitch.conf"
  cp "$GUEST_SSH_KEY.pub" "$root/root/.ssh/authorized_keys"
  chmod 0700 "$root/root" "$root/root/.ssh"
  chmod 0600 "$root/root/.ssh/authorized_keys"
  guest_udhcpc_script >"$root/etc/udhcpc.script"
  chmod +x "$root/etc/udhcpc.script"
}

# Copies a dynamically linked program into the initramfs at `root` with the shared libraries and the loader it needs,
# taken from this host (Debian 12, where qemu-system-x86 already depends on them) at the same paths.
copy_with_libraries() {
  local program=$1 target=$2 root=$3 package=$4 libraries
  libraries=$(ldd "$program")
  if grep -q 'not found' <<<"$libraries"; then
    guest_log "$(basename "$program") needs libraries this host lacks (apt-get install $package pulls them in):"
    grep 'not found' <<<"$libraries" >&2
    return 1
  fi
  cp "$program" "$target"
  local library
  for library in $(grep -o '/[^ ]*' <<<"$libraries"); do
    mkdir -p "$root$(dirname "$library")"
    cp -L "$library" "$root$library"
  done
}

build_guest_kernel() {
  local package
  package=$(guest_kernel_package)
  # Package lists may be missing (a fresh container) or older than the mirror's kernels.
  [ -n "$package" ] || { apt-get update -qq && package=$(guest_kernel_package); }
  [ -n "$package" ] || { guest_log "apt offers no linux-image-6.1.0-*-amd64 (is a Debian 12 mirror in sources.list?)"; return 1; }
  guest_log "building the test guest from $package"
  rm -f "$GUEST_DIR/build-version"
  local work
  work=$(mktemp -d)
  (
    cd "$work"
    # As root, apt warns that its _apt user cannot write here; only a failure matters.
    apt-get download -qq "$package" 2>download.log || { cat download.log >&2; exit 1; }
    mkdir extracted
    dpkg-deb --fsys-tarfile ./linux-image-*.deb | tar -x -C extracted --wildcards './boot/vmlinuz-*' './lib/modules/*/kernel/*'
    apt-get download -qq qemu-guest-agent 2>download.log || { cat download.log >&2; exit 1; }
    dpkg-deb --fsys-tarfile ./qemu-guest-agent_*.deb | tar -x -C extracted ./usr/sbin/qemu-ga
  )
  local release
  release=$(basename "$(ls -d "$work"/extracted/lib/modules/*)")
  local root=$work/initramfs
  mkdir -p "$root"/{bin,dev,proc,sys,tmp,etc,lib/modules}
  cp /bin/busybox "$root/bin/busybox"
  local applet
  for applet in $("$root/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  local index=10 module
  for module in "${GUEST_MODULES[@]}"; do
    cp "$work/extracted/lib/modules/$release/kernel/$module.ko" "$root/lib/modules/$index-$(basename "$module").ko"
    index=$((index + 1))
  done
  copy_with_libraries "$work/extracted/usr/sbin/qemu-ga" "$root/bin/qemu-ga" "$root" qemu-guest-agent
  ensure_guest_ssh_key
  install_guest_sshd "$root"
  guest_init_script >"$root/init"
  chmod +x "$root/init"
  mkdir -p "$GUEST_DIR"
  (cd "$root" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -9) >"$GUEST_DIR/initrd.img.new"
  cp "$work/extracted/boot/vmlinuz-$release" "$GUEST_DIR/vmlinuz.new"
  mv "$GUEST_DIR/initrd.img.new" "$GUEST_DIR/initrd.img"
  mv "$GUEST_DIR/vmlinuz.new" "$GUEST_DIR/vmlinuz"
  # Written last: their presence means the build finished.
  echo "$release" >"$GUEST_DIR/kernel-release"
  echo "$GUEST_BUILD_VERSION" >"$GUEST_DIR/build-version"
  find "$GUEST_DIR" -maxdepth 1 -type f -exec chmod 0644 {} +
  chmod 0755 "$GUEST_DIR"
  rm -rf "$work"
}

# A BIOS-bootable CD (El Torito, isolinux) with the guest's kernel and initramfs, booting straight to the serial console.
build_guest_iso() {
  local missing
  for missing in "$ISOLINUX_BIN" "$LDLINUX_C32"; do
    [ -s "$missing" ] || { guest_log "$missing is missing: apt-get install isolinux syslinux-common"; return 1; }
  done
  guest_log "building the test guest ISO"
  local work
  work=$(mktemp -d)
  chmod 0755 "$work"
  mkdir -p "$work/isolinux"
  cp "$ISOLINUX_BIN" "$LDLINUX_C32" "$work/isolinux/"
  cp "$GUEST_DIR/vmlinuz" "$GUEST_DIR/initrd.img" "$work/"
  printf 'serial 0 115200\ndefault guest\nprompt 0\ntimeout 0\nlabel guest\n  kernel /vmlinuz\n  append initrd=/initrd.img %s\n' "$GUEST_CMDLINE" >"$work/isolinux/isolinux.cfg"
  genisoimage -quiet -o "$GUEST_DIR/test-guest.iso.new" -V ISOLAB-GUEST -b isolinux/isolinux.bin -c isolinux/boot.cat \
    -no-emul-boot -boot-load-size 4 -boot-info-table -J -R "$work"
  chmod 0644 "$GUEST_DIR/test-guest.iso.new"
  mv "$GUEST_DIR/test-guest.iso.new" "$GUEST_DIR/test-guest.iso"
  rm -rf "$work"
}

build_test_guest() {
  if ! guest_kernel_built; then
    build_guest_kernel
    # The ISO carries the kernel: a new kernel needs a new ISO.
    rm -f "$GUEST_DIR/test-guest.iso"
  fi
  guest_iso_built || build_guest_iso
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-}" in
    build) build_test_guest ;;
    check) guest_built || { echo "the test guest is missing in $GUEST_DIR: run tests/env/guest.sh build" >&2; exit 1; } ;;
    *) echo "usage: $0 build|check" >&2; exit 2 ;;
  esac
fi
