// The commands users of common distributions type to fix what the doctor finds: package installs, service
// starts, group changes; with sudo only when not root. Pure functions; no I/O, no electron.
import type { DistroFamily } from './parsers';

export interface FixContext {
  distro: DistroFamily;
  systemd: boolean;
  isRoot: boolean;
  user: string;
}

export type PackageNames = Record<Exclude<DistroFamily, 'unknown'>, string>;

export function asAdmin(context: FixContext, command: string): string {
  return context.isRoot ? command : `sudo ${command}`;
}

/** Joins commands that must all succeed, each run as admin. */
export function asAdminAll(context: FixContext, commands: string[]): string {
  return commands.map((command) => asAdmin(context, command)).join(' && ');
}

export function installCommand(context: FixContext, packages: PackageNames): string {
  switch (context.distro) {
    case 'fedora':
      return asAdmin(context, `dnf install ${packages.fedora}`);
    case 'arch':
      return asAdmin(context, `pacman -S ${packages.arch}`);
    case 'suse':
      return asAdmin(context, `zypper install ${packages.suse}`);
    case 'debian':
    case 'unknown':
      return asAdmin(context, `apt install ${packages.debian}`);
  }
}

/** With systemd: enable and start the units; without it, the distribution's own start command. */
export function startServiceCommand(context: FixContext, units: string[], withoutSystemd: string): string {
  return context.systemd ? asAdmin(context, `systemctl enable --now ${units.join(' ')}`) : withoutSystemd;
}

export function restartServiceCommand(context: FixContext, unit: string, withoutSystemd: string): string {
  return context.systemd ? asAdmin(context, `systemctl restart ${unit}`) : withoutSystemd;
}

export function addToGroupCommand(context: FixContext, group: string): string {
  return asAdmin(context, `usermod -aG ${group} ${context.user}`);
}

export const reloginAdvice = 'then log out and back in (a running session keeps its old groups)';

export const packages = {
  docker: { debian: 'docker.io', fedora: 'moby-engine', arch: 'docker', suse: 'docker' },
  virsh: { debian: 'libvirt-clients', fedora: 'libvirt-client', arch: 'libvirt', suse: 'libvirt-client' },
  libvirtDaemon: {
    debian: 'libvirt-daemon-system qemu-system-x86',
    fedora: 'libvirt-daemon-kvm qemu-kvm',
    arch: 'libvirt qemu-full dnsmasq',
    suse: 'libvirt-daemon-qemu qemu-x86',
  },
} satisfies Record<string, PackageNames>;
