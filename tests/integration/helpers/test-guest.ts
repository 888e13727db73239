// Where tests/env/guest.sh puts the tiny VM test guest (Debian kernel + busybox initramfs), the marker it prints on
// ttyS0 when ready, and the kernel release it must report. Test-only; imports no product code.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const testGuestDir = process.env.ISOLAB_TEST_GUEST_DIR ?? '/var/lib/isolab-test/guest';
export const testGuestKernel = path.join(testGuestDir, 'vmlinuz');
export const testGuestInitrd = path.join(testGuestDir, 'initrd.img');
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
