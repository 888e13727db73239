// The test guest's SSH side: its DHCP lease on libvirt's default network and dropbear letting root in with the test
// key, waited for with the ssh CLI (no known_hosts kept). Test-only; imports no product code.
import { execFileSync } from 'node:child_process';
import { waitFor } from './docker-cli';
import { testGuestSshKey, virsh } from './test-guest';

function leasedAddress(name: string): string | undefined {
  return /\s(\d+\.\d+\.\d+\.\d+)\/\d+/.exec(virsh('domifaddr', name))?.[1];
}

function dropbearAnswers(host: string): true | undefined {
  const options = ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=3', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR'];
  try {
    execFileSync('ssh', [...options, '-i', testGuestSshKey, `root@${host}`, 'true'], { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return undefined;
  }
}

/** The guest's leased IPv4 address, once root can log in there (dropbear first waits for the guest kernel's entropy). */
export async function waitForGuestSsh(name: string): Promise<string> {
  const address = await waitFor(`a DHCP lease for ${name}`, () => leasedAddress(name), 60_000);
  await waitFor(`dropbear in ${name}`, () => dropbearAnswers(address), 90_000);
  return address;
}
