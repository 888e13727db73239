// What the integration and e2e tests ask the real engines directly, to compare with what Isolab reports,
// and the tests/env commands that stop and start them.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const enginesScript = fileURLToPath(new URL('../../env/engines.sh', import.meta.url));

export function dockerServerVersion(): string {
  return execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).trim();
}

export function libvirtDaemonVersion(uri = 'qemu:///system'): string {
  const output = execFileSync('virsh', ['-c', uri, 'version', '--daemon'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  const version = /^Running against daemon: (.+)$/m.exec(output)?.[1];
  if (!version) throw new Error(`virsh version printed no daemon version:\n${output}`);
  return version.trim();
}

export function engines(command: 'start-docker' | 'stop-docker' | 'start-libvirt' | 'stop-libvirt'): void {
  execFileSync('bash', [enginesScript, command], { stdio: 'inherit' });
}

/**
 * The pid of root's daemon, found by its exact command name: an unprivileged test user's
 * qemu:///session runs a libvirtd of its own, which must never be taken for the system daemon.
 */
export function daemonPid(name: 'dockerd' | 'libvirtd'): number {
  const pids = execFileSync('pgrep', ['-x', '-u', '0', '-o', name], { encoding: 'utf8' }).trim().split('\n');
  if (pids.length !== 1 || !pids[0]) throw new Error(`expected one ${name} owned by root, found: ${pids.join(' ')}`);
  return Number(pids[0]);
}
