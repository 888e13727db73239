// The volumes and networks methods through the RPC server against the real dockerd from tests/env: list with
// users, create, duplicate names, removal of what is in use or built in, prune; checked with the docker CLI.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { failure } from '../helpers/failure';
import type { DockerChange } from '@shared/docker-types';
import { docker, dockerQuiet, startBackend, waitFor } from './helpers/docker-cli';

const run = `${process.pid}-${Date.now().toString(36)}`;

function exists(kind: 'volume' | 'network', name: string): boolean {
  try {
    docker(kind, 'inspect', name);
    return true;
  } catch {
    return false;
  }
}

const test = startBackend();
const { client } = test;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});
afterAll(() => test.close());

/** A running container (sleeping) with the given docker run options. */
function runContainer(name: string, ...options: string[]): void {
  docker('run', '-d', '--name', name, ...options, 'local/busybox:latest', 'sleep', '300');
  cleanups.push(() => dockerQuiet('rm', '-f', name));
}

describe('volumes', () => {
  it('creates a volume with labels and lists it with the containers that mount it', async () => {
    const name = `isolab-test-vol-${run}`;
    cleanups.push(() => dockerQuiet('volume', 'rm', '-f', name));

    const created = await client.call('volumes.create', { name, labels: { 'isolab.test': 'yes' } });
    expect(created).toMatchObject({ name, driver: 'local', labels: { 'isolab.test': 'yes' }, scope: 'local', usedBy: [] });
    expect(created.mountpoint).toBe(docker('volume', 'inspect', '--format', '{{.Mountpoint}}', name));
    expect(docker('volume', 'inspect', '--format', '{{index .Labels "isolab.test"}}', name)).toBe('yes');

    const container = `isolab-test-vol-user-${run}`;
    runContainer(container, '-v', `${name}:/data`);
    const listed = (await client.call('volumes.list', {})).find((volume) => volume.name === name);
    expect(listed?.usedBy).toEqual([container]);
    expect(listed?.created).toBe(docker('volume', 'inspect', '--format', '{{.CreatedAt}}', name));
  });

  it('tells subscribers to re-read the lists when a stopped container that uses a volume is made or removed (the engine sends no volume event)', async () => {
    const name = `isolab-test-vol-event-${run}`;
    const container = `isolab-test-vol-event-user-${run}`;
    cleanups.push(() => dockerQuiet('volume', 'rm', '-f', name));
    docker('volume', 'create', name);
    const changes: DockerChange[] = [];
    const subscription = client.subscribe('docker.changed', {}, { next: (change) => changes.push(change) });
    cleanups.push(() => subscription.unsubscribe());
    await waitFor('the first connection state', () => changes.find((change) => change.kind === 'connection'));
    const kindsAfter = (from: number) => changes.slice(from).map((change) => change.kind);

    const beforeCreate = changes.length;
    docker('create', '--name', container, '-v', `${name}:/data`, 'local/busybox:latest');
    cleanups.push(() => dockerQuiet('rm', '-f', container));
    await waitFor('the lists to be announced after create', () => (kindsAfter(beforeCreate).includes('volumes') ? true : undefined));
    expect(kindsAfter(beforeCreate)).toEqual(expect.arrayContaining(['container', 'images', 'volumes', 'networks']));
    expect((await client.call('volumes.list', {})).find((volume) => volume.name === name)?.usedBy).toEqual([container]);

    const beforeRemove = changes.length;
    docker('rm', container);
    await waitFor('the lists to be announced after remove', () => (kindsAfter(beforeRemove).includes('volumes') ? true : undefined));
    expect(kindsAfter(beforeRemove)).toEqual(expect.arrayContaining(['container', 'images', 'volumes', 'networks']));
    expect((await client.call('volumes.list', {})).find((volume) => volume.name === name)?.usedBy).toEqual([]);
  });

  it('refuses a name that exists (the engine would hand back the old volume) and a malformed name', async () => {
    const name = `isolab-test-vol-dup-${run}`;
    docker('volume', 'create', '--label', 'first=1', name);
    cleanups.push(() => dockerQuiet('volume', 'rm', '-f', name));

    const duplicate = await failure(client.call('volumes.create', { name, labels: { second: '2' } }));
    expect(duplicate.code).toBe('CONFLICT');
    expect(duplicate.message).toContain(`a volume named ${name} already exists`);
    expect(docker('volume', 'inspect', '--format', '{{json .Labels}}', name)).toBe('{"first":"1"}');
    const malformed = await failure(client.call('volumes.create', { name: '-bad name', labels: {} }));
    expect(malformed.code).toBe('INVALID_ARGUMENT');
  });

  it('removes a volume; one in use gives CONFLICT naming the container, even with force; an unknown one NOT_FOUND', async () => {
    const name = `isolab-test-vol-rm-${run}`;
    docker('volume', 'create', name);
    cleanups.push(() => dockerQuiet('volume', 'rm', '-f', name));
    const container = `isolab-test-vol-holder-${run}`;
    runContainer(container, '-v', `${name}:/data`);

    for (const force of [false, true]) {
      const inUse = await failure(client.call('volumes.remove', { name, force }));
      expect(inUse.code).toBe('CONFLICT');
      expect(inUse.message).toBe(`Removing volume ${name}: it is used by container ${container}`);
      expect(inUse.detail).toContain('volume is in use');
    }
    expect(exists('volume', name)).toBe(true);

    docker('rm', '-f', container);
    await client.call('volumes.remove', { name, force: false });
    expect(exists('volume', name)).toBe(false);
    expect((await failure(client.call('volumes.remove', { name, force: false }))).code).toBe('NOT_FOUND');
  });

  it('prunes unused volumes and keeps one in use', async () => {
    const unused = `isolab-test-vol-unused-${run}`;
    const used = `isolab-test-vol-used-${run}`;
    for (const name of [unused, used]) {
      docker('volume', 'create', name);
      cleanups.push(() => dockerQuiet('volume', 'rm', '-f', name));
    }
    runContainer(`isolab-test-vol-keeper-${run}`, '-v', `${used}:/data`);

    const result = await client.call('volumes.prune', {});
    expect(result.deleted).toContain(unused);
    expect(result.deleted).not.toContain(used);
    expect(exists('volume', unused)).toBe(false);
    expect(exists('volume', used)).toBe(true);
  });
});

describe('networks', () => {
  it('lists the built-in networks as such, and a network with the containers attached to it', async () => {
    const name = `isolab-test-net-${run}`;
    docker('network', 'create', name);
    cleanups.push(() => dockerQuiet('network', 'rm', name));
    const container = `isolab-test-net-user-${run}`;
    runContainer(container, '--network', name);

    const networks = await client.call('networks.list', {});
    expect(networks.filter((network) => network.builtIn).map((network) => network.name).sort()).toEqual(['bridge', 'host', 'none']);
    const mine = networks.find((network) => network.name === name);
    expect(mine).toMatchObject({ driver: 'bridge', scope: 'local', internal: false, builtIn: false, usedBy: [container] });
    expect(mine?.id).toBe(docker('network', 'inspect', '--format', '{{.Id}}', name));
    expect(mine?.subnets).toEqual([docker('network', 'inspect', '--format', '{{(index .IPAM.Config 0).Subnet}}', name)]);
  });

  it('creates an internal network with a subnet and labels', async () => {
    const name = `isolab-test-net-new-${run}`;
    cleanups.push(() => dockerQuiet('network', 'rm', name));

    const created = await client.call('networks.create', { name, internal: true, subnet: '172.30.211.0/24', labels: { 'isolab.test': 'yes' } });
    expect(created).toMatchObject({ name, internal: true, subnets: ['172.30.211.0/24'], labels: { 'isolab.test': 'yes' }, usedBy: [], builtIn: false });
    const inspected = JSON.parse(docker('network', 'inspect', name)) as [{ Id: string; Internal: boolean; IPAM: { Config: { Subnet: string }[] } }];
    expect(inspected[0]).toMatchObject({ Id: created.id, Internal: true, IPAM: { Config: [{ Subnet: '172.30.211.0/24' }] } });
  });

  it('refuses a duplicate name (Docker 20.10 would make a second one), an overlapping subnet and a malformed one', async () => {
    const name = `isolab-test-net-dup-${run}`;
    docker('network', 'create', '--subnet', '172.30.212.0/24', name);
    cleanups.push(() => dockerQuiet('network', 'rm', name));

    const duplicate = await failure(client.call('networks.create', { name, internal: false, labels: {} }));
    expect(duplicate.code).toBe('CONFLICT');
    expect(docker('network', 'ls', '--quiet', '--filter', `name=^${name}$`).split('\n')).toHaveLength(1);

    const other = `isolab-test-net-overlap-${run}`;
    cleanups.push(() => dockerQuiet('network', 'rm', other));
    const overlap = await failure(client.call('networks.create', { name: other, internal: false, subnet: '172.30.212.0/25', labels: {} }));
    expect(overlap.code).toBe('CONFLICT');
    expect(overlap.message).toContain('overlaps');
    expect(exists('network', other)).toBe(false);

    const malformed = await failure(client.call('networks.create', { name: other, internal: false, subnet: '172.30.999.0/24', labels: {} }));
    expect(malformed.code).toBe('INVALID_ARGUMENT');
  });

  it('removes a network by name or id; refuses a built-in one and one in use, naming the container', async () => {
    const name = `isolab-test-net-rm-${run}`;
    const id = docker('network', 'create', name);
    cleanups.push(() => dockerQuiet('network', 'rm', name));
    const container = `isolab-test-net-holder-${run}`;
    runContainer(container, '--network', name);

    const inUse = await failure(client.call('networks.remove', { id: name }));
    expect(inUse.code).toBe('CONFLICT');
    expect(inUse.message).toBe(`Removing network ${name}: ${container} is still attached to it`);
    expect(inUse.detail).toContain('has active endpoints');
    for (const builtIn of ['bridge', 'host', 'none']) {
      const refused = await failure(client.call('networks.remove', { id: builtIn }));
      expect(refused.code).toBe('INVALID_ARGUMENT');
    }
    expect(exists('network', 'bridge')).toBe(true);

    docker('rm', '-f', container);
    await client.call('networks.remove', { id });
    expect(exists('network', name)).toBe(false);
    expect((await failure(client.call('networks.remove', { id: name }))).code).toBe('NOT_FOUND');
  });

  it('prunes unused networks, keeping built-in ones and one in use', async () => {
    const unused = `isolab-test-net-unused-${run}`;
    const used = `isolab-test-net-used-${run}`;
    for (const name of [unused, used]) {
      docker('network', 'create', name);
      cleanups.push(() => dockerQuiet('network', 'rm', name));
    }
    runContainer(`isolab-test-net-keeper-${run}`, '--network', used);

    const result = await client.call('networks.prune', {});
    expect(result.deleted).toContain(unused);
    expect(result.deleted).not.toContain(used);
    expect(exists('network', unused)).toBe(false);
    expect(exists('network', used)).toBe(true);
    expect(exists('network', 'bridge')).toBe(true);
  });
});
