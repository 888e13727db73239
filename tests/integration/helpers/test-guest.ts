// Where tests/env/guest.sh puts the tiny VM test guest (Debian kernel + busybox initramfs), the marker it prints on
// ttyS0 when ready, the kernel release it must report; the domain XML around it (XMLBuilder) and the virsh CLI.
// Test-only; imports no product code.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLBuilder } from 'fast-xml-parser';

export const testGuestDir = process.env.ISOLAB_TEST_GUEST_DIR ?? '/var/lib/isolab-test/guest';
export const testGuestKernel = path.join(testGuestDir, 'vmlinuz');
export const testGuestInitrd = path.join(testGuestDir, 'initrd.img');
/** A BIOS-bootable CD (isolinux) that boots the same kernel and initramfs with testGuestCmdline. */
export const testGuestIso = path.join(testGuestDir, 'test-guest.iso');
/** The private key root logs in to the guest with over SSH (dropbear, when the guest has a NIC); root-only, 0600. */
export const testGuestSshKey = path.join(testGuestDir, 'ssh', 'id_ed25519');
/** Kernel command line that puts the console (and the ready marker) on the first serial port. */
export const testGuestCmdline = 'console=ttyS0 panic=-1 quiet';
/** Printed on /dev/ttyS0 followed by a space and `uname -r`, once /init has loaded its modules and started acpid. */
export const testGuestReadyMarker = 'ISOLAB-GUEST-READY';

/** The `uname -r` the guest prints: the kernel release guest.sh extracted. */
export function testGuestKernelRelease(): string {
  const file = path.join(testGuestDir, 'kernel-release');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new Error(`the VM test guest is missing (${file}): run tests/env/guest.sh build`, { cause: error });
  }
}

/** The whole ready line, e.g. `ISOLAB-GUEST-READY 6.1.0-56-amd64`. */
export function testGuestReadyLine(): string {
  return `${testGuestReadyMarker} ${testGuestKernelRelease()}`;
}

export const systemUri = 'qemu:///system';

/** The virsh CLI on qemu:///system (LC_ALL=C), for tests to set up, check and clean up with. */
export function virsh(...args: string[]): string {
  return execFileSync('virsh', ['--connect', systemUri, ...args], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

const machineType = { '@_arch': 'x86_64', '@_machine': 'q35', '#text': 'hvm' };

/** The <os> of a guest that boots the test kernel directly, with `cmdline` (the serial console by default). */
export function kernelBootOs(cmdline = testGuestCmdline): Record<string, unknown> {
  return { type: machineType, kernel: testGuestKernel, initrd: testGuestInitrd, cmdline };
}

/** The <os> of a guest that boots from the network (iPXE) instead. */
export function networkBootOs(): Record<string, unknown> {
  return { type: machineType, boot: { '@_dev': 'network' } };
}

/** A domain of the test guest's size (software-emulated QEMU, 1 vCPU, 256 MiB, ACPI); `extra` goes before <devices>. */
export function testDomainXml(name: string, os: Record<string, unknown>, devices: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const domain = {
    domain: { '@_type': 'qemu', name, memory: { '@_unit': 'MiB', '#text': '256' }, vcpu: '1', os, features: { acpi: '' }, ...extra, devices },
  };
  return new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true }).build(domain) as string;
}
