// VMs against the real libvirtd + QEMU (software emulation here): the tiny test guest defined with virsh shows up
// through vms.changed, is started through the backend and prints its ready marker on the serial console; ACPI
// shutdown, an ignored button (force off offered), force off, pause/resume, reboot, reset, autostart, detail, XML,
// stats while subscribed, the event child restarted after it was killed, and bad input leaving nothing behind.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { VmStatsSample } from '@shared/vm-types';
import { failure } from '../helpers/failure';
import { startBackend, waitFor, type TestBackend } from './helpers/docker-cli';
import { defineGuest, domainState, domainsNamed, makeTestFolder, ownEventChildren, readyCount, removeDomains, systemUri as uri, virsh } from './helpers/vm-guest';
import { watchVms, type VmWatch } from './helpers/vm-watch';

const prefix = 'itest-vm-life-';
const name = `${prefix}guest`;
/** Software emulation boots the guest in about 7 s on an idle machine; shared CI machines are slower. */
const bootMs = 90_000;

let test: TestBackend;
let watch: VmWatch;
let folder: string;
let serialLog: string;

beforeAll(async () => {
  removeDomains(prefix);
  folder = makeTestFolder('itest-vm-life-');
  serialLog = path.join(folder, 'serial.log');
  test = startBackend('vm-test');
  watch = watchVms(test.client, uri);
  await watch.ready();
});
afterAll(() => {
  watch?.close();
  test?.close();
  removeDomains(prefix);
  fs.rmSync(folder, { recursive: true, force: true });
});

async function waitForReady(count: number): Promise<void> {
  await waitFor(`ready marker #${count} on the serial console`, () => (readyCount(serialLog) >= count ? true : undefined), bootMs);
}

describe('a VM through the backend', () => {
  afterEach(() => {
    expect(watch.error).toBeUndefined();
  });

  it('reports the connection and sees a domain defined with virsh through events', async () => {
    expect(watch.connection).toMatchObject({ uri, status: 'connected', kind: 'system', domainTypes: expect.arrayContaining(['qemu']) as string[] });
    const started = Date.now();
    defineGuest({ name, serialLog });
    const vm = await watch.until(name, (candidate) => candidate?.state === 'shutoff', 2_000);
    // A define is seen from its event, not by polling: well within two seconds.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(vm).toMatchObject({ name, domainType: 'qemu', acceleration: 'tcg', vcpus: 1, memoryBytes: 256 * 1024 ** 2, diskBytes: null, persistent: true, autostart: false, addresses: [] });
    const list = await test.client.call('vms.list', { uri });
    expect(list.find((row) => row.name === name)).toEqual(vm);
  });

  it('starts it, sees it running from the event and reads the ready marker', async () => {
    await test.client.call('vms.start', { uri, name });
    await watch.until(name, (vm) => vm?.state === 'running' && vm.reason === 'booted', 5_000);
    await waitForReady(1);
    expect(domainState(name)).toBe('running');
  });

  it('shows its detail and XML', async () => {
    const detail = await test.client.call('vms.detail', { uri, name });
    expect(detail).toMatchObject({ name, state: 'running', acceleration: 'tcg', firmware: 'bios', osType: 'hvm', arch: 'x86_64', snapshotCount: 0 });
    expect(detail.machine).toMatch(/q35/);
    expect(detail.directKernelBoot?.kernel).toMatch(/vmlinuz$/);
    expect(detail.consoles.find((console) => console.kind === 'serial')).toMatchObject({ type: 'pty', logFile: serialLog, path: expect.stringMatching(/^\/dev\/pts\//) as string });
    const xml = await test.client.call('vms.xml', { uri, name });
    expect(xml).toContain(`<name>${name}</name>`);
    expect(xml).toMatch(/<domain type='qemu' id='\d+'>/);
    const inactive = await test.client.call('vms.xml', { uri, name, inactive: true });
    expect(inactive).toContain("<domain type='qemu'>");
  });

  it('streams stats only while subscribed', async () => {
    const samples: VmStatsSample[] = [];
    const subscription = test.client.subscribe('vms.stats', { uri, name }, { next: (sample) => samples.push(sample) });
    await waitFor('three stats samples', () => (samples.length >= 3 ? true : undefined), 10_000);
    subscription.unsubscribe();
    expect(samples.every((sample) => sample.state === 'running' && sample.vcpus === 1 && sample.memoryBytes === 256 * 1024 ** 2)).toBe(true);
    expect(samples.some((sample) => sample.cpuPercent > 0)).toBe(true);
    expect(samples.every((sample) => sample.cpuPercent <= 100)).toBe(true);
    expect(samples[2]!.time - samples[1]!.time).toBeGreaterThanOrEqual(900);
    await waitFor('the stats subscription to be gone on the server', () => (test.link.connection.openSubscriptions === 1 ? true : undefined));
    const count = samples.length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(samples.length).toBe(count);
  });

  it('pauses and resumes, and the list follows', async () => {
    await test.client.call('vms.suspend', { uri, name });
    await watch.until(name, (vm) => vm?.state === 'paused');
    expect(domainState(name)).toBe('paused');
    await test.client.call('vms.resume', { uri, name });
    await watch.until(name, (vm) => vm?.state === 'running');
  });

  it('reboots and resets the guest, which boots again each time', async () => {
    await test.client.call('vms.reboot', { uri, name });
    await waitForReady(2);
    await test.client.call('vms.reset', { uri, name });
    await waitForReady(3);
    expect(domainState(name)).toBe('running');
  });

  it('turns autostart on and off, and the list shows it without an event from libvirt', async () => {
    await test.client.call('vms.setAutostart', { uri, name, autostart: true });
    await watch.until(name, (vm) => vm?.autostart === true);
    expect(virsh('dominfo', name)).toMatch(/^Autostart:\s+enable$/m);
    await test.client.call('vms.setAutostart', { uri, name, autostart: false });
    await watch.until(name, (vm) => vm?.autostart === false);
  });

  it('shuts down through ACPI: the guest powers off', async () => {
    const result = await test.client.call('vms.shutdown', { uri, name, timeoutSeconds: 60 });
    expect(result).toMatchObject({ outcome: 'off', state: 'shutoff' });
    await watch.until(name, (vm) => vm?.state === 'shutoff' && vm.reason === 'shutdown');
    expect(await test.client.call('vms.shutdown', { uri, name, timeoutSeconds: 5 })).toMatchObject({ outcome: 'already-off' });
  });

  it('says when the guest ignores the power button, so force off can be offered, and forces it off', async () => {
    await test.client.call('vms.start', { uri, name });
    // Pressed while the kernel is still booting, before the guest's acpid listens: nothing handles it.
    const result = await test.client.call('vms.shutdown', { uri, name, timeoutSeconds: 2 });
    expect(result).toMatchObject({ outcome: 'ignored', state: 'running' });
    expect(result.waitedMs).toBeGreaterThanOrEqual(2_000);
    await test.client.call('vms.destroy', { uri, name });
    await watch.until(name, (vm) => vm?.state === 'shutoff' && vm.reason === 'destroyed');
  });

  it('restarts its virsh event child when it exits, and sends the whole list again', async () => {
    const before = ownEventChildren();
    expect(before).toHaveLength(1);
    const listsBefore = watch.changes.filter((change) => change.kind === 'domains').length;
    process.kill(before[0]!, 'SIGKILL');
    await waitFor('a new virsh event child', () => {
      const now = ownEventChildren();
      return now.length === 1 && now[0] !== before[0] ? true : undefined;
    });
    await waitFor('the whole list after the restart', () => (watch.changes.filter((change) => change.kind === 'domains').length > listsBefore ? true : undefined));
    // Events flow again: a change made with virsh reaches the list.
    virsh('autostart', name);
    virsh('desc', name, '--config', 'after the restart');
    await watch.until(name, (vm) => vm?.autostart === true);
  });
});

describe('connections', () => {
  const remote = 'qemu+ssh://itest@itest-vm-host.invalid/system';

  afterAll(async () => {
    const connections = await test.client.call('vms.connections', {});
    if (connections.some((connection) => connection.uri === remote)) await test.client.call('vms.removeConnection', { uri: remote });
  });

  it('adds a remote connection, keeps it in the settings file, says why it does not answer, and forgets it', async () => {
    const added = await test.client.call('vms.addConnection', { uri: remote });
    expect(added.map((connection) => connection.uri)).toEqual(['qemu:///system', 'qemu:///session', remote]);
    const unreachable = added.find((connection) => connection.uri === remote);
    expect(unreachable).toMatchObject({ kind: 'remote', custom: true, status: 'unavailable', error: { code: 'UNAVAILABLE' } });
    expect(unreachable?.error?.detail).toMatch(/Could not resolve hostname itest-vm-host\.invalid/);
    expect(unreachable?.error?.fix?.command).toBe('ssh -o BatchMode=yes itest@itest-vm-host.invalid virsh --connect qemu:///system version --daemon');
    const file = path.join(process.env.XDG_CONFIG_HOME!, 'isolab', 'settings.json');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ libvirtRemoteUris: [remote] });
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');

    // Another backend (the next run of the app) reads it back.
    const next = startBackend('vm-test-next');
    try {
      expect((await next.client.call('vms.connections', {})).map((connection) => connection.uri)).toContain(remote);
      const listing = await failure(next.client.call('vms.list', { uri: remote }));
      expect(listing.code).toBe('UNAVAILABLE');
    } finally {
      next.close();
    }
    expect((await failure(test.client.call('vms.addConnection', { uri: remote }))).code).toBe('CONFLICT');
    const removed = await test.client.call('vms.removeConnection', { uri: remote });
    expect(removed.map((connection) => connection.uri)).toEqual(['qemu:///system', 'qemu:///session']);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ libvirtRemoteUris: [] });
  });

  it('refuses URIs that are not qemu+ssh, or carry options that run commands', async () => {
    for (const uri of ['qemu:///system', 'qemu+tcp://host/system', 'qemu+ssh://host/system?command=id', 'qemu+ssh://host/system?socket=/x', 'qemu+ssh://a b/system', "qemu+ssh://host/system'"]) {
      expect((await failure(test.client.call('vms.addConnection', { uri }))).code).toBe('INVALID_ARGUMENT');
    }
    expect((await failure(test.client.call('vms.removeConnection', { uri: 'qemu+ssh://never@added/system' }))).code).toBe('NOT_FOUND');
  });
});

describe('bad input', () => {
  it('fails with NOT_FOUND for a domain that does not exist, whatever its name holds', async () => {
    for (const odd of ['itest-vm-life-missing', "<domain type='kvm'>", 'a; rm -rf ~', '$(id)', 'x&y|z`id` "q"']) {
      const error = await failure(test.client.call('vms.start', { uri, name: odd }));
      expect(error.code).toBe('NOT_FOUND');
      expect(error.message).toContain(odd);
    }
    expect((await failure(test.client.call('vms.detail', { uri, name: 'itest-vm-life-missing' }))).code).toBe('NOT_FOUND');
    expect((await failure(test.client.call('vms.shutdown', { uri, name: 'itest-vm-life-missing' }))).code).toBe('NOT_FOUND');
  });

  it('refuses names virsh would read as options or paths, and connections it does not know', async () => {
    for (const odd of ['--all', '-x', 'a/b', 'line\nbreak', '']) {
      expect((await failure(test.client.call('vms.start', { uri, name: odd }))).code).toBe('INVALID_ARGUMENT');
    }
    expect((await failure(test.client.call('vms.list', { uri: 'qemu:///evil' }))).code).toBe('INVALID_ARGUMENT');
    expect((await failure(test.client.call('vms.list', { uri: 'qemu+ssh://root@localhost/system?command=id' }))).code).toBe('INVALID_ARGUMENT');
    const unknown = await failure(test.client.call('vms.list', { uri: 'qemu+ssh://nobody@itest-vm-host.invalid/system' }));
    expect(unknown.code).toBe('INVALID_ARGUMENT');
    expect(unknown.fix?.text).toMatch(/Add it/);
  });

  it('says CONFLICT for an action the state does not allow, and leaves the VM as it was', async () => {
    expect(domainState(name)).toBe('shut off');
    const error = await failure(test.client.call('vms.suspend', { uri, name }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/^Pausing itest-vm-life-guest: /);
    expect(domainsNamed(prefix)).toEqual([name]);
  });
});
