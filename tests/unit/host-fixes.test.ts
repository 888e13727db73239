// The fix commands the doctor shows: sudo only when not root, each distribution's package manager,
// systemd units or the distribution's own start command, and group changes.
import { describe, expect, it } from 'vitest';
import {
  addToGroupCommand,
  asAdmin,
  asAdminAll,
  installCommand,
  packages,
  restartServiceCommand,
  startServiceCommand,
} from '../../electron/backend/host/fixes';
import { fixContext } from './host-fixture-support';

describe('asAdmin', () => {
  it('prefixes sudo for a user and not for root', () => {
    expect(asAdmin(fixContext(), 'modprobe kvm_intel')).toBe('sudo modprobe kvm_intel');
    expect(asAdmin(fixContext({ isRoot: true }), 'modprobe kvm_intel')).toBe('modprobe kvm_intel');
  });

  it('joins several commands, each as admin', () => {
    expect(asAdminAll(fixContext(), ['chown root:kvm /dev/kvm', 'chmod 0660 /dev/kvm'])).toBe(
      'sudo chown root:kvm /dev/kvm && sudo chmod 0660 /dev/kvm',
    );
    expect(asAdminAll(fixContext({ isRoot: true }), ['virtlogd -d', 'libvirtd -d'])).toBe('virtlogd -d && libvirtd -d');
  });
});

describe('installCommand', () => {
  it.each([
    ['debian', 'sudo apt install docker.io'],
    ['fedora', 'sudo dnf install moby-engine'],
    ['arch', 'sudo pacman -S docker'],
    ['suse', 'sudo zypper install docker'],
    ['unknown', 'sudo apt install docker.io'],
  ] as const)('installs Docker on %s with: %s', (distro, command) => {
    expect(installCommand(fixContext({ distro }), packages.docker)).toBe(command);
  });

  it.each([
    ['debian', 'apt install libvirt-daemon-system qemu-system-x86'],
    ['fedora', 'dnf install libvirt-daemon-kvm qemu-kvm'],
    ['arch', 'pacman -S libvirt qemu-full dnsmasq'],
    ['suse', 'zypper install libvirt-daemon-qemu qemu-x86'],
  ] as const)('installs the libvirt daemon on %s as root with: %s', (distro, command) => {
    expect(installCommand(fixContext({ distro, isRoot: true }), packages.libvirtDaemon)).toBe(command);
  });

  it('names the libvirt client package of each family', () => {
    expect(installCommand(fixContext({ distro: 'debian' }), packages.virsh)).toBe('sudo apt install libvirt-clients');
    expect(installCommand(fixContext({ distro: 'fedora' }), packages.virsh)).toBe('sudo dnf install libvirt-client');
  });
});

describe('service commands', () => {
  it('enables and starts units with systemd, and uses the given command without it', () => {
    expect(startServiceCommand(fixContext({ systemd: true }), ['docker'], 'sudo service docker start')).toBe('sudo systemctl enable --now docker');
    expect(startServiceCommand(fixContext({ systemd: true, isRoot: true }), ['a.socket', 'b.socket'], 'x')).toBe(
      'systemctl enable --now a.socket b.socket',
    );
    expect(startServiceCommand(fixContext({ systemd: false }), ['docker'], 'sudo service docker start')).toBe('sudo service docker start');
  });

  it('restarts a unit with systemd, and uses the given command without it', () => {
    expect(restartServiceCommand(fixContext({ systemd: true }), 'libvirtd', 'x')).toBe('sudo systemctl restart libvirtd');
    expect(restartServiceCommand(fixContext({ systemd: false }), 'libvirtd', 'sudo libvirtd -d')).toBe('sudo libvirtd -d');
  });

  it('adds the user of the context to a group', () => {
    expect(addToGroupCommand(fixContext({ user: 'alice' }), 'kvm')).toBe('sudo usermod -aG kvm alice');
    expect(addToGroupCommand(fixContext({ user: 'root', isRoot: true }), 'docker')).toBe('usermod -aG docker root');
  });
});
