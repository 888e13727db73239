// The terminal tests' own VM: the tiny test guest (tests/env/guest.sh) as a defined domain with a
// pty serial console and, when asked, a VGA device with a VNC display; domain XML written with XMLBuilder.
import fs from 'node:fs';
import { kernelBootOs, testDomainXml, testGuestCmdline, testGuestReadyLine, virsh } from './test-guest';

export { systemUri } from './test-guest';

export interface TerminalGuestOptions {
  name: string;
  /** A VGA device and a VNC display on 127.0.0.1 (autoport), with the kernel console on it too. */
  vnc?: boolean;
}

export const guestReadyMarker = testGuestReadyLine;

export function terminalGuestXml(options: TerminalGuestOptions): string {
  const devices: Record<string, unknown> = {
    serial: { '@_type': 'pty', target: { '@_port': '0' } },
    console: { '@_type': 'pty', target: { '@_type': 'serial', '@_port': '0' } },
    memballoon: { '@_model': 'none' },
    ...(options.vnc
      ? {
          graphics: { '@_type': 'vnc', '@_port': '-1', '@_autoport': 'yes', '@_listen': '127.0.0.1', listen: { '@_type': 'address', '@_address': '127.0.0.1' } },
          video: { model: { '@_type': 'vga', '@_vram': '16384', '@_heads': '1' } },
        }
      : {}),
  };
  // With a display the kernel also writes to the VGA console, so the screen shows the boot.
  const os = kernelBootOs(options.vnc ? `console=tty0 ${testGuestCmdline.replace(' quiet', '')}` : testGuestCmdline);
  return testDomainXml(options.name, os, devices, { on_reboot: 'restart' });
}

/** Defines and starts the guest; the caller removes it with removeGuests(). */
export function defineAndStartGuest(options: TerminalGuestOptions): void {
  const file = `/tmp/${options.name}.xml`;
  fs.writeFileSync(file, terminalGuestXml(options));
  try {
    virsh('define', file);
  } finally {
    fs.rmSync(file, { force: true });
  }
  virsh('start', options.name);
}

/** Destroys and undefines every domain whose name starts with `prefix`, whatever its state. */
export function removeGuests(prefix: string): void {
  const names = virsh('list', '--all', '--name').split('\n').map((line) => line.trim()).filter((name) => name.startsWith(prefix));
  for (const name of names) {
    try {
      virsh('destroy', name);
    } catch {
      // Not running.
    }
    virsh('undefine', name, '--nvram');
  }
}

export { virsh as virshCli };
