// Remote libvirt connections: the fix shown when one does not answer is the SSH check a user can run (with the
// URI's user, port, key file and /system or /session), never one of the doctor's local fixes.
import { describe, expect, it } from 'vitest';
import { connectionKind, remoteFix } from '../../electron/backend/libvirt/connections';
import { withoutTty } from '../../electron/backend/libvirt/vm-handlers';
import type { Virsh } from '../../electron/backend/libvirt/virsh';

describe('remote connections', () => {
  it('says how to check SSH and the remote daemon', () => {
    expect(remoteFix('qemu+ssh://me@lab.example.org/system').command).toBe('ssh -o BatchMode=yes me@lab.example.org virsh --connect qemu:///system version --daemon');
    expect(remoteFix('qemu+ssh://root@[fd00::1]:2222/session?keyfile=/home/me/.ssh/lab').command).toBe(
      'ssh -o BatchMode=yes -p 2222 -i /home/me/.ssh/lab root@fd00::1 virsh --connect qemu:///session version --daemon',
    );
    expect(remoteFix('qemu+ssh://host/system').text).toMatch(/without a password prompt/);
  });

  it('tells local connections from remote ones', () => {
    expect(connectionKind('qemu:///system')).toBe('system');
    expect(connectionKind('qemu:///session')).toBe('session');
    expect(connectionKind('qemu+ssh://host/system')).toBe('remote');
  });

  it('runs remote connections with no_tty, so ssh never waits for a password', async () => {
    const seen: string[] = [];
    const virsh: Virsh = {
      run: (uri) => {
        seen.push(uri);
        return Promise.resolve('');
      },
      version: () => Promise.resolve('9.0.0'),
    };
    const wrapped = withoutTty(virsh);
    for (const uri of ['qemu:///system', 'qemu+ssh://host/system', 'qemu+ssh://host/system?keyfile=/k', 'qemu+ssh://host/system?no_tty=0']) await wrapped.run(uri, ['list']);
    expect(seen).toEqual(['qemu:///system', 'qemu+ssh://host/system?no_tty=1', 'qemu+ssh://host/system?keyfile=/k&no_tty=1', 'qemu+ssh://host/system?no_tty=0']);
  });
});
