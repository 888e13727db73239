// The Compare lab over SSH against the real libvirtd, QEMU (TCG) and the test guest's dropbear: a guest on the default
// network without a guest agent channel, whose serial console another `virsh console` holds, so SSH is the only way
// in. SSH settings checked and saved, probes through ssh, exit codes and stderr apart, a timed-out run killed in the
// guest, a wrong key and a closed port told in ssh's words, and the settings removed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeEvent, ProbeRun } from '@shared/compare-types';
import type { AppError } from '@shared/errors';
import type { SubjectShell } from '../../electron/backend/compare/subject-shell';
import { openVmShell } from '../../electron/backend/compare/vm-shell';
import { createVmSshSettings } from '../../electron/backend/compare/vm-ssh-settings';
import { loadConfig } from '../../electron/backend/config';
import { runCommand } from '../../electron/backend/exec';
import { createVirsh } from '../../electron/backend/libvirt/virsh';
import { createSettingsStore } from '../../electron/backend/settings';
import { startBackend, waitFor, type TestBackend } from './helpers/docker-cli';
import { waitForGuestSsh } from './helpers/guest-ssh';
import { streamToEnd } from './helpers/rpc-stream';
import { testGuestKernelRelease, testGuestSshKey } from './helpers/test-guest';
import { holdConsole, type HeldConsole } from './helpers/vm-console-hold';
import { defineGuest, makeTestFolder, readyCount, removeDomains, systemUri as uri, virsh } from './helpers/vm-guest';

const prefix = 'itest-cmpssh-';
const name = `${prefix}guest`;
const vm = { uri, name };
const bootMs = 120_000;
let folder: string;
let address: string;
let heldConsole: HeldConsole | undefined;
let test: TestBackend;

function vmSubject(events: ProbeEvent[]) {
  return events[0]?.type === 'subjects' ? events[0].subjects.vm : undefined;
}

function vmRuns(events: ProbeEvent[]): ProbeRun[] {
  return events.flatMap((event) => (event.type === 'run' && event.run.subject === 'vm' ? [event.run] : []));
}

/** The rejection `promise` ends with (fails the test when it resolves). */
async function failure(promise: Promise<unknown>): Promise<AppError> {
  const result = await promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => ({ error }),
  );
  if ('resolved' in result) throw new Error(`expected a failure, got ${JSON.stringify(result.resolved)}`);
  return result.error as AppError;
}

beforeAll(async () => {
  removeDomains(prefix);
  folder = makeTestFolder('isolab-cmpssh-');
  const serialLog = path.join(folder, `${name}.log`);
  defineGuest({ name, serialLog, nic: { network: 'default' } });
  virsh('start', name);
  await waitFor(`${name} to boot`, () => (readyCount(serialLog) >= 1 ? true : undefined), bootMs);
  address = await waitForGuestSsh(name);
  heldConsole = await holdConsole(name);
  test = startBackend('compare-vm-ssh');
}, bootMs * 3);

afterAll(async () => {
  test?.close();
  await heldConsole?.release();
  removeDomains(prefix);
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

describe('SSH settings', () => {
  it('refuses bad input, naming the field', async () => {
    const bad = [
      { user: '-oProxyCommand=touch /tmp/x' },
      { user: 'root', host: 'two words' },
      { user: 'root', host: '300.1.2.3' },
      { user: 'root', host: '-oProxyCommand=x' },
      { user: 'root', port: 0 },
      { user: 'root', port: 65536 },
      { user: 'root', port: 22.5 },
      { user: 'root', identityFile: 'relative/key' },
      { user: 'root', identityFile: '/home/%u/key' },
      { user: 'root', identityFile: '/root/../etc/key' },
      { user: 'root', identityFile: `${testGuestSshKey}.pub` },
      { user: 'root', command: 'rm -rf /' },
    ];
    for (const ssh of bad) {
      const error = await failure(test.client.call('compare.setVmSsh', { vm, ssh } as never));
      expect(error.code, JSON.stringify(ssh)).toBe('INVALID_ARGUMENT');
    }
    const missing = await failure(test.client.call('compare.setVmSsh', { vm, ssh: { user: 'root', identityFile: path.join(folder, 'no-such-key') } }));
    expect(missing).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/does not exist/) });
    expect(await test.client.call('compare.vmSsh', { vm })).toBeNull();
  });

  it('refuses a connection that is not known', async () => {
    const error = await failure(test.client.call('compare.setVmSsh', { vm: { uri: 'qemu+ssh://nobody@192.0.2.1/system', name }, ssh: { user: 'root' } }));
    expect(error.code).toBe('INVALID_ARGUMENT');
  });

  it('saves user, port and key, and reads them back', async () => {
    const saved = await test.client.call('compare.setVmSsh', { vm, ssh: { user: 'root', identityFile: testGuestSshKey } });
    expect(saved).toEqual({ user: 'root', port: 22, identityFile: testGuestSshKey });
    expect(await test.client.call('compare.vmSsh', { vm })).toEqual(saved);
    const file = path.join(process.env.XDG_CONFIG_HOME!, 'isolab', 'settings.json');
    expect((JSON.parse(fs.readFileSync(file, 'utf8')) as { vmSsh: unknown }).vmSsh).toEqual({ [`${uri} ${name}`]: saved });
  });
});

describe('compare.probe over SSH', () => {
  let events: ProbeEvent[];

  beforeAll(async () => {
    await test.client.call('compare.setVmSsh', { vm, ssh: { user: 'root', identityFile: testGuestSshKey } });
    const outcome = await streamToEnd(test.client, 'compare.probe', { vm });
    expect(outcome.error).toBeUndefined();
    events = outcome.events;
  }, 240_000);

  it('reaches the guest through ssh at its leased address, and records its host key', () => {
    expect(vmSubject(events)).toMatchObject({ name, via: 'ssh', acceleration: 'tcg' });
    const kernel = vmRuns(events).find((run) => run.probe === 'kernel');
    expect(kernel?.via).toBe('ssh');
    const knownHosts = path.join(process.env.XDG_CONFIG_HOME!, 'isolab', 'known_hosts');
    expect(kernel?.command).toMatch(
      new RegExp(`^ssh -o BatchMode=yes -o ConnectTimeout=5 -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=${knownHosts} .*-i ${testGuestSshKey} root@${address.replace(/\./g, '\\.')} '`),
    );
    // Debian's ssh_config hashes the names in known_hosts: ask ssh-keygen.
    expect(execFileSync('ssh-keygen', ['-F', address, '-f', knownHosts], { encoding: 'utf8' })).toMatch(/ ssh-ed25519 AAAA/);
  });

  it('every probe reads a value in the guest', () => {
    const failed = vmRuns(events).flatMap((run) => (run.error ? [`${run.probe}: ${run.error.message}\n${run.stdout}${run.stderr}`] : []));
    expect(failed).toEqual([]);
    expect(vmRuns(events).length).toBeGreaterThanOrEqual(10);
  });

  it("reads the guest's own kernel, hostname, init and network address", () => {
    const value = (probe: string) => vmRuns(events).find((run) => run.probe === probe)?.value;
    expect(value('kernel')?.fields.release).toBe(testGuestKernelRelease());
    expect(value('hostname')?.fields.hostname).toBe('isolab-guest');
    expect(value('processes')?.fields.pid1).toBe('init');
    expect(value('cpu')?.fields.cpus).toBe(1);
    expect(vmRuns(events).find((run) => run.probe === 'network')?.stdout).toContain(address);
  });
});

describe('the SSH shell', () => {
  let shell: SubjectShell;

  beforeAll(async () => {
    const config = loadConfig();
    const virsh = createVirsh(runCommand, { timeoutMs: 60_000 }, config.env);
    const ssh = createVmSshSettings({ settings: createSettingsStore(path.join(folder, 'settings.json')), env: config.env, addresses: async () => [`${address}/24`] });
    await ssh.save(vm, { user: 'root', port: 22, identityFile: testGuestSshKey });
    shell = await openVmShell({ virsh, env: config.env, ssh }, vm);
  }, 60_000);
  afterAll(() => shell?.close());

  it('keeps stdout, stderr and exit codes apart, a signal as 128+N', async () => {
    expect(shell.via).toBe('ssh');
    expect(await shell.run('echo out; echo err >&2; exit 3', { timeoutMs: 30_000 })).toMatchObject({ stdout: 'out\n', stderr: 'err\n', exitCode: 3 });
    expect(await shell.run("printf '%s' \"it's $((6 * 7))\"", { timeoutMs: 30_000 })).toMatchObject({ stdout: "it's 42", stderr: '', exitCode: 0 });
    expect((await shell.run('kill -9 $$', { timeoutMs: 30_000 })).exitCode).toBe(137);
    expect((await shell.run('echo guest | cat; exit 0', { timeoutMs: 30_000 })).stdout).toBe('guest\n');
  });

  it('kills what a timed-out run started in the guest, over a second connection', async () => {
    const error = await failure(shell.run('sleep 389 & sleep 390; echo never', { timeoutMs: 4000 }));
    expect(error).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/killed it in the guest/) });
    const left = await shell.run("for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' <\"$f\"; echo; done | grep -c '^sleep 3[89][09] ' || true", { timeoutMs: 30_000 });
    expect(left.stdout).toBe('0\n');
  });

  it('kills the run in the guest when the caller gives up', async () => {
    const giveUp = new AbortController();
    setTimeout(() => giveUp.abort(), 2500);
    const error = await failure(shell.run('sleep 391', { timeoutMs: 60_000, signal: giveUp.signal }));
    expect(error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/cancelled.*killed it in the guest/) });
    expect((await shell.run("ps | grep -c '[s]leep 391' || true", { timeoutMs: 30_000 })).stdout).toBe('0\n');
  });
});

describe('SSH that cannot log in', () => {
  it("says so in ssh's words with a fix, when the key is not the guest's", async () => {
    const wrongKey = path.join(folder, 'wrong_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrongKey]);
    await test.client.call('compare.setVmSsh', { vm, ssh: { user: 'root', identityFile: wrongKey } });
    const outcome = await streamToEnd(test.client, 'compare.probe', { vm, probes: ['kernel'] });
    const error = vmSubject(outcome.events)?.error;
    expect(error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/ssh could not log in to .* as root@/) });
    expect(error?.detail).toMatch(/Permission denied \(publickey\)/);
    expect(error?.detail).toMatch(/serial console: Another session holds the serial console/);
    expect(error?.fix?.text).toMatch(/authorized_keys/);
    expect(error?.fix?.command).toBe(`ssh-copy-id -i ${wrongKey} root@${address}`);
    expect(vmRuns(outcome.events)).toEqual([]);
  });

  it('says that nothing listens on a closed port', async () => {
    await test.client.call('compare.setVmSsh', { vm, ssh: { user: 'root', port: 2222, host: address, identityFile: testGuestSshKey } });
    const outcome = await streamToEnd(test.client, 'compare.probe', { vm, probes: ['kernel'] });
    const error = vmSubject(outcome.events)?.error;
    expect(error).toMatchObject({ code: 'UNAVAILABLE' });
    expect(error?.detail).toMatch(/port 2222: Connection refused/);
    expect(error?.fix?.text).toMatch(/Nothing listens for SSH on port 2222/);
  });
});

describe('removing the SSH settings', () => {
  it('forgets them, and the busy console is the answer again', async () => {
    expect(await test.client.call('compare.setVmSsh', { vm, ssh: null })).toBeNull();
    expect(await test.client.call('compare.vmSsh', { vm })).toBeNull();
    const file = path.join(process.env.XDG_CONFIG_HOME!, 'isolab', 'settings.json');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).not.toHaveProperty('vmSsh');
    const outcome = await streamToEnd(test.client, 'compare.probe', { vm, probes: ['kernel'] });
    expect(vmSubject(outcome.events)?.error).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/Another session holds the serial console/) });
  });
});
