// VM operations that touch disks, against the real libvirtd + QEMU: internal snapshots on a qcow2 disk (taken off
// and running, listed, reverted, deleted), delete with and without disks (only the chosen ones go), and clone (disks
// copied, new UUID and MACs, defined), each with its bad input leaving nothing behind.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneDefinition } from '../../electron/backend/libvirt/domain-clone';
import { failure } from '../helpers/failure';
import { startBackend, waitFor, type TestBackend } from './helpers/docker-cli';
import { defineGuest, domainState, domainsNamed, makeTestFolder, qemuImg, readyCount, removeDomains, systemUri as uri, validateXml, virsh } from './helpers/vm-guest';

const prefix = 'itest-vm-disk-';

let test: TestBackend;
let folder: string;

beforeAll(() => {
  removeDomains(prefix);
  folder = makeTestFolder('itest-vm-disk-');
  test = startBackend('vm-disk-test');
});
afterAll(() => {
  test?.close();
  removeDomains(prefix);
  fs.rmSync(folder, { recursive: true, force: true });
});

function makeDisk(file: string, format: 'qcow2' | 'raw', size = '32M'): string {
  const full = path.join(folder, file);
  qemuImg('create', '-q', '-f', format, full, size);
  return full;
}

function guestWithDisks(name: string, disks: { file: string; format: 'qcow2' | 'raw'; target: string }[]): string {
  const serialLog = path.join(folder, `${name}.log`);
  defineGuest({ name, serialLog, disks, nic: 'user' });
  return serialLog;
}

function snapshotNames(name: string): string[] {
  return virsh('snapshot-list', '--name', name)
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

describe('snapshots on a qcow2 disk', () => {
  const name = `${prefix}snap`;
  let serialLog: string;

  beforeAll(() => {
    serialLog = guestWithDisks(name, [{ file: makeDisk('snap.qcow2', 'qcow2'), format: 'qcow2', target: 'vda' }]);
  });

  it('takes one while off, lists it as current, and one while running with memory', async () => {
    const off = await test.client.call('vmSnapshots.create', { uri, name, snapshot: 'clean', description: 'before the first boot' });
    expect(off).toMatchObject({ name: 'clean', description: 'before the first boot', state: 'shutoff', current: true, location: 'internal', withMemory: false });
    await test.client.call('vms.start', { uri, name });
    await waitFor('the guest to boot', () => (readyCount(serialLog) >= 1 ? true : undefined), 90_000);
    const running = await test.client.call('vmSnapshots.create', { uri, name, snapshot: 'booted' });
    expect(running).toMatchObject({ name: 'booted', state: 'running', parent: 'clean', current: true, withMemory: true });
    const list = await test.client.call('vmSnapshots.list', { uri, name });
    expect(list.map((snapshot) => [snapshot.name, snapshot.current])).toEqual([
      ['clean', false],
      ['booted', true],
    ]);
    expect((await test.client.call('vms.detail', { uri, name })).snapshotCount).toBe(2);
  });

  it('reverts to the snapshot taken off, which leaves the VM off, and deletes snapshots', async () => {
    await test.client.call('vmSnapshots.revert', { uri, name, snapshot: 'clean' });
    expect(domainState(name)).toBe('shut off');
    await test.client.call('vmSnapshots.revert', { uri, name, snapshot: 'booted' });
    expect(domainState(name)).toBe('running');
    await test.client.call('vmSnapshots.delete', { uri, name, snapshot: 'booted' });
    expect(snapshotNames(name)).toEqual(['clean']);
  });

  it('refuses a duplicate or unsafe snapshot name, an unknown snapshot, and a raw disk', async () => {
    expect((await failure(test.client.call('vmSnapshots.create', { uri, name, snapshot: 'clean' }))).code).toBe('CONFLICT');
    for (const odd of ['<x>', 'a b', '../up', '-opt', "it's"]) {
      expect((await failure(test.client.call('vmSnapshots.create', { uri, name, snapshot: odd }))).code).toBe('INVALID_ARGUMENT');
    }
    expect((await failure(test.client.call('vmSnapshots.revert', { uri, name, snapshot: 'never-taken' }))).code).toBe('NOT_FOUND');
    expect(snapshotNames(name)).toEqual(['clean']);

    const raw = `${prefix}raw`;
    guestWithDisks(raw, [{ file: makeDisk('raw.img', 'raw'), format: 'raw', target: 'vda' }]);
    const error = await failure(test.client.call('vmSnapshots.create', { uri, name: raw, snapshot: 'nope' }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/vda \(raw\).*qcow2/);
    expect(snapshotNames(raw)).toEqual([]);
  });

  it('deletes a VM with snapshots (their metadata goes with it) and keeps its disk when not chosen', async () => {
    const disk = path.join(folder, 'snap.qcow2');
    const result = await test.client.call('vms.delete', { uri, name, disks: [] });
    expect(result).toEqual({ deletedDisks: [], keptDisks: [disk] });
    expect(domainsNamed(name)).toEqual([]);
    expect(fs.existsSync(disk)).toBe(true);
  });
});

describe('delete', () => {
  it('deletes only the chosen disks', async () => {
    const name = `${prefix}two`;
    const system = makeDisk('two-system.qcow2', 'qcow2');
    const data = makeDisk('two-data.raw', 'raw');
    guestWithDisks(name, [
      { file: system, format: 'qcow2', target: 'vda' },
      { file: data, format: 'raw', target: 'vdb' },
    ]);
    await test.client.call('vms.start', { uri, name });
    // A running VM is forced off first.
    const result = await test.client.call('vms.delete', { uri, name, disks: ['vda'] });
    expect(result).toEqual({ deletedDisks: [system], keptDisks: [data] });
    expect(fs.existsSync(system)).toBe(false);
    expect(fs.existsSync(data)).toBe(true);
    expect(domainsNamed(name)).toEqual([]);
  });

  it('refuses a disk the VM does not have, and then deletes nothing at all', async () => {
    const name = `${prefix}keep`;
    const disk = makeDisk('keep.qcow2', 'qcow2');
    guestWithDisks(name, [{ file: disk, format: 'qcow2', target: 'vda' }]);
    const error = await failure(test.client.call('vms.delete', { uri, name, disks: ['vda', 'vdz'] }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/no disk vdz/);
    expect(domainsNamed(name)).toEqual([name]);
    expect(fs.existsSync(disk)).toBe(true);
    expect((await failure(test.client.call('vms.delete', { uri, name, disks: ['../etc'] }))).code).toBe('INVALID_ARGUMENT');
    expect((await failure(test.client.call('vms.delete', { uri, name: `${prefix}missing`, disks: [] }))).code).toBe('NOT_FOUND');
    expect(fs.existsSync(disk)).toBe(true);
  });
});

describe('clone', () => {
  const name = `${prefix}orig`;
  let system: string;

  beforeAll(() => {
    system = makeDisk('orig.qcow2', 'qcow2');
    qemuImg('snapshot', '-c', 'marker', system);
    guestWithDisks(name, [{ file: system, format: 'qcow2', target: 'vda' }]);
  });

  it('copies the disks and defines the copy with a new UUID and new MACs', async () => {
    const copy = `${prefix}copy`;
    const result = await test.client.call('vms.clone', { uri, name, newName: copy });
    const copyDisk = path.join(folder, `${copy}.qcow2`);
    expect(result).toMatchObject({ name: copy, disks: [copyDisk] });
    expect(fs.existsSync(copyDisk)).toBe(true);
    // A full copy of the image, not a new empty one.
    expect(qemuImg('info', copyDisk)).toMatch(/virtual size: 32 MiB/);
    const [original, clone] = await Promise.all([test.client.call('vms.detail', { uri, name }), test.client.call('vms.detail', { uri, name: copy })]);
    expect(clone.uuid).toBe(result.uuid);
    expect(clone.uuid).not.toBe(original.uuid);
    expect(clone.nics.map((nic) => nic.mac)).not.toEqual(original.nics.map((nic) => nic.mac));
    expect(clone.nics[0]?.mac).toMatch(/^52:54:00:/);
    expect(clone.disks.map((disk) => disk.source)).toEqual([copyDisk]);
    expect(original.disks.map((disk) => disk.source)).toEqual([system]);
    expect(clone.consoles.find((console) => console.kind === 'serial')?.logFile).toBe(path.join(folder, `${copy}.log`));
    expect(clone).toMatchObject({ memoryBytes: original.memoryBytes, vcpus: original.vcpus, machine: original.machine, directKernelBoot: original.directKernelBoot });
    expect(virsh('dumpxml', copy)).toContain(`<name>${copy}</name>`);
  });

  it('writes a clone definition that libvirt’s schema accepts', () => {
    const xml = cloneDefinition(virsh('dumpxml', '--inactive', '--security-info', name), { name, newName: `${prefix}schema`, uuid: '6f1b7a52-8d8c-4c61-9a37-1c4f1e0b2d11', newPaths: new Map([[system, path.join(folder, 'schema.qcow2')]]) });
    expect(validateXml(xml, 'domain', folder)).toMatch(/validates/);
  });

  it('refuses an existing name, an unsafe name and a running VM, and leaves no copy behind', async () => {
    // Disk images only: starting the VM below writes its console log.
    const images = () => fs.readdirSync(folder).filter((file) => !file.endsWith('.log')).sort();
    const before = images();
    expect((await failure(test.client.call('vms.clone', { uri, name, newName: `${prefix}copy` }))).code).toBe('CONFLICT');
    for (const odd of [`${prefix}<x>`, `${prefix}a;b`, '../escape', `${prefix}a b`, '']) {
      expect((await failure(test.client.call('vms.clone', { uri, name, newName: odd }))).code).toBe('INVALID_ARGUMENT');
    }
    await test.client.call('vms.start', { uri, name });
    const running = await failure(test.client.call('vms.clone', { uri, name, newName: `${prefix}later` }));
    expect(running.code).toBe('CONFLICT');
    expect(running.fix?.text).toMatch(/Shut .* down first/);
    await test.client.call('vms.destroy', { uri, name });
    expect(images()).toEqual(before);
    expect(domainsNamed(prefix).sort()).toEqual([`${prefix}copy`, `${prefix}keep`, name, `${prefix}raw`].sort());
  });
});
