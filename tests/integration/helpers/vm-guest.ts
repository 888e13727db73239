// The VM tests' own domains: the tiny test guest (tests/env/guest.sh) with a serial console logged to a file,
// optional qcow2/raw disks in a test folder and a NIC, its XML written with XMLBuilder; the virsh CLI to check and
// clean up with; and the backend's own `virsh event` children, found among this process's children.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kernelBootOs, networkBootOs, testDomainXml, testGuestReadyLine, virsh } from './test-guest';

export { systemUri, virsh } from './test-guest';

function virshQuiet(...args: string[]): void {
  try {
    virsh(...args);
  } catch {
    // Not there, or not running: nothing to clean.
  }
}

/** A folder QEMU (user libvirt-qemu) can reach, for the test's disks and console logs. */
export function makeTestFolder(prefix: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(folder, 0o755);
  return folder;
}

export function qemuImg(...args: string[]): string {
  return execFileSync('qemu-img', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface GuestOptions {
  name: string;
  /** Where the serial console is copied to. */
  serialLog: string;
  disks?: { file: string; format: 'qcow2' | 'raw'; target: string }[];
  /** A virtio NIC on this libvirt network, or with QEMU's user-mode networking (no libvirt network needed). */
  nic?: { network: string } | 'user';
  /** Boot from the network (iPXE asks the network's DHCP for an address) instead of the test kernel. */
  networkBoot?: boolean;
  /** The qemu-guest-agent channel (libvirt adds the virtio-serial controller); the guest's /init starts qemu-ga on it. */
  agent?: boolean;
}

function nicXml(nic: NonNullable<GuestOptions['nic']>) {
  if (nic === 'user') return { '@_type': 'user', model: { '@_type': 'virtio' } };
  return { '@_type': 'network', source: { '@_network': nic.network }, model: { '@_type': 'virtio' } };
}

export function guestXml(options: GuestOptions): string {
  return testDomainXml(options.name, options.networkBoot ? networkBootOs() : kernelBootOs(), {
    disk: (options.disks ?? []).map((disk) => ({
      '@_type': 'file',
      '@_device': 'disk',
      driver: { '@_name': 'qemu', '@_type': disk.format },
      source: { '@_file': disk.file },
      target: { '@_dev': disk.target, '@_bus': 'virtio' },
    })),
    ...(options.nic ? { interface: nicXml(options.nic) } : {}),
    serial: { '@_type': 'pty', log: { '@_file': options.serialLog, '@_append': 'off' } },
    console: { '@_type': 'pty' },
    ...(options.agent ? { channel: { '@_type': 'unix', target: { '@_type': 'virtio', '@_name': 'org.qemu.guest_agent.0' } } } : {}),
    memballoon: { '@_model': 'none' },
  });
}

/** `virt-xml-validate` (libvirt's own RelaxNG schemas) on XML Isolab wrote; throws with its complaint when invalid. */
export function validateXml(xml: string, schema: 'domain' | 'network', folder: string): string {
  const file = path.join(folder, `validate-${schema}.xml`);
  fs.writeFileSync(file, xml);
  try {
    const result = spawnSync('virt-xml-validate', [file, schema], { encoding: 'utf8' });
    const said = `${result.stdout}${result.stderr}`.trim();
    if (result.status !== 0) throw new Error(`virt-xml-validate refused the ${schema} XML:\n${said}\n${xml}`);
    return said;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

export function defineGuest(options: GuestOptions): void {
  const file = path.join(path.dirname(options.serialLog), `${options.name}.xml`);
  fs.writeFileSync(file, guestXml(options));
  try {
    virsh('define', file);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** Every domain whose name starts with `prefix`. */
export function domainsNamed(prefix: string): string[] {
  return virsh('list', '--all', '--name')
    .split('\n')
    .map((line) => line.trim())
    .filter((name) => name.startsWith(prefix));
}

export function removeDomains(prefix: string): void {
  for (const name of domainsNamed(prefix)) {
    virshQuiet('destroy', name);
    virshQuiet('undefine', '--snapshots-metadata', '--nvram', name);
  }
}

export function domainState(name: string): string {
  return virsh('domstate', name).trim();
}

/** How many times the guest printed its ready line on the serial console so far. */
export function readyCount(serialLog: string): number {
  let text: string;
  try {
    text = fs.readFileSync(serialLog, 'utf8');
  } catch {
    return 0;
  }
  return text.split(testGuestReadyLine()).length - 1;
}

/** Pids of this process's `virsh event --loop` (or `net-event`) children (the backend's event loops), from /proc. */
export function ownEventChildren(command: 'event' | 'net-event' = 'event'): number[] {
  return fs.readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== process.pid) return [];
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      return path.basename(args[0] ?? '') === 'virsh' && args.includes(command) && args.includes('--loop') ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

/** Whether the guest's qemu-guest-agent answers a ping now (the test guest starts it just after its ready line). */
export function agentAnswers(name: string): boolean {
  try {
    virsh('qemu-agent-command', name, '{"execute":"guest-ping"}');
    return true;
  } catch {
    return false;
  }
}
