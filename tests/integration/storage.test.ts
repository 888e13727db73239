// Storage pools and volumes through the RPC server (and the default pool through the service) against the real
// libvirtd from tests/env, checked with the virsh CLI.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../electron/backend/config';
import { runCommand } from '../../electron/backend/exec';
import { createStorageService } from '../../electron/backend/libvirt/storage';
import { createVirsh } from '../../electron/backend/libvirt/virsh';
import { failure } from '../helpers/failure';
import { startBackend } from './helpers/docker-cli';
import { names, prefix, removeEverythingCreated, systemUri, virsh, volumesOf } from './helpers/vm-create-support';
import { makeTestFolder } from './helpers/vm-guest';

const run = Date.now().toString(36);
const test = startBackend('storage-test');
const { client } = test;
const folder = makeTestFolder(`${prefix}storage-`);
const MiB = 1024 * 1024;

removeEverythingCreated();
afterAll(() => {
  removeEverythingCreated();
  fs.rmSync(folder, { recursive: true, force: true });
  test.close();
});

function poolInfo(name: string): Record<string, string> {
  return Object.fromEntries(
    virsh('pool-info', '--bytes', name)
      .split('\n')
      .map((line) => line.split(/:\s+/))
      .filter((pair) => pair.length === 2),
  );
}

describe('storage pools', () => {
  const name = `${prefix}dir-${run}`;
  const target = path.join(folder, 'images');

  it('creates a directory pool: folder built, started, autostarted; listed with the sizes virsh reports', async () => {
    const created = await client.call('storage.createPool', { uri: systemUri, name, path: target });
    expect(created).toMatchObject({ name, type: 'dir', state: 'running', autostart: true, persistent: true, path: target });
    expect(fs.statSync(target).isDirectory()).toBe(true);
    const info = poolInfo(name);
    expect(info.State).toBe('running');
    const listed = (await client.call('storage.pools', { uri: systemUri })).find((pool) => pool.name === name);
    expect(listed?.capacityBytes).toBe(Number(info.Capacity?.replace(' bytes', '')));
    expect(listed?.uuid).toBe(info.UUID);
    // Only this suite's pools: other suites may make theirs at the same time.
    const ours = (await client.call('storage.pools', { uri: systemUri })).map((pool) => pool.name).filter((pool) => pool.startsWith(prefix));
    expect(ours).toEqual(names('pool-list'));
  });

  it('refuses a duplicate name, a bad name and a relative path', async () => {
    expect((await failure(client.call('storage.createPool', { uri: systemUri, name, path: target }))).code).toBe('CONFLICT');
    expect((await failure(client.call('storage.createPool', { uri: systemUri, name: 'bad<pool>', path: target }))).code).toBe('INVALID_ARGUMENT');
    expect((await failure(client.call('storage.createPool', { uri: systemUri, name: `${prefix}rel-${run}`, path: 'images' }))).code).toBe('INVALID_ARGUMENT');
    expect(names('pool-list')).toEqual([name]);
  });

  it('creates, lists, grows and deletes volumes; refuses shrinking and an unknown pool', async () => {
    const volume = await client.call('storage.createVolume', { uri: systemUri, pool: name, name: 'disk-one.qcow2', capacityBytes: 64 * MiB });
    expect(volume).toMatchObject({ name: 'disk-one.qcow2', format: 'qcow2', capacityBytes: 64 * MiB, path: path.join(target, 'disk-one.qcow2') });
    await client.call('storage.createVolume', { uri: systemUri, pool: name, name: 'data.img', capacityBytes: 8 * MiB, format: 'raw' });
    const listed = await client.call('storage.volumes', { uri: systemUri, pool: name });
    expect(listed.map((entry) => entry.name).sort()).toEqual(volumesOf(name).sort());
    expect(listed.find((entry) => entry.name === 'data.img')).toMatchObject({ format: 'raw', capacityBytes: 8 * MiB });

    const grown = await client.call('storage.resizeVolume', { uri: systemUri, pool: name, volume: 'disk-one.qcow2', capacityBytes: 128 * MiB });
    expect(grown.capacityBytes).toBe(128 * MiB);
    expect(virsh('vol-info', '--bytes', '--pool', name, 'disk-one.qcow2')).toMatch(/Capacity:\s+134217728 bytes/);
    const shrink = await failure(client.call('storage.resizeVolume', { uri: systemUri, pool: name, volume: 'disk-one.qcow2', capacityBytes: 64 * MiB }));
    expect(shrink).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('shrinking') });

    await client.call('storage.deleteVolume', { uri: systemUri, pool: name, volume: 'data.img' });
    expect(volumesOf(name)).toEqual(['disk-one.qcow2']);
    expect((await failure(client.call('storage.volumes', { uri: systemUri, pool: `${prefix}nosuch-${run}` }))).code).toBe('NOT_FOUND');
    expect((await failure(client.call('storage.deleteVolume', { uri: systemUri, pool: name, volume: 'nosuch.qcow2' }))).code).toBe('NOT_FOUND');
  });

  it('deletes a pool, keeping a folder that still has files', async () => {
    const kept = await failure(client.call('storage.deletePool', { uri: systemUri, pool: name, deleteFolder: true }));
    expect(kept).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('not empty') });
    expect(names('pool-list')).toEqual([]);
    expect(fs.existsSync(path.join(target, 'disk-one.qcow2'))).toBe(true);

    const empty = `${prefix}empty-${run}`;
    const emptyPath = path.join(folder, 'empty');
    await client.call('storage.createPool', { uri: systemUri, name: empty, path: emptyPath });
    await client.call('storage.deletePool', { uri: systemUri, pool: empty, deleteFolder: true });
    expect(fs.existsSync(emptyPath)).toBe(false);
    expect(names('pool-list')).toEqual([]);
  });
});

describe('the default pool', () => {
  it('is planned while missing, created with its parent folders, then no longer needed', async () => {
    const planned = { name: `${prefix}default-${run}`, path: path.join(folder, 'data', 'isolab', 'images') };
    const config = loadConfig();
    const storage = createStorageService(createVirsh(runCommand, { timeoutMs: 60_000 }), config, { defaultPool: () => planned });
    expect(await storage.defaultPoolPlan(systemUri)).toEqual({ ...planned, needed: true });
    const created = await storage.createDefaultPool(systemUri);
    expect(created).toMatchObject({ name: planned.name, path: planned.path, state: 'running', autostart: true });
    expect(fs.statSync(planned.path).isDirectory()).toBe(true);
    expect(await storage.defaultPoolPlan(systemUri)).toEqual({ ...planned, needed: false });
    expect((await failure(storage.createDefaultPool(systemUri))).code).toBe('CONFLICT');
  });

  it('is planned in /var/lib/libvirt/images for the system connection, as the backend reports it', async () => {
    const plan = await client.call('storage.defaultPoolPlan', { uri: systemUri });
    expect(plan.path).toBe('/var/lib/libvirt/images');
    expect(plan.needed).toBe(!virsh('pool-list', '--all', '--name').split('\n').map((line) => line.trim()).includes('default'));
  });
});
