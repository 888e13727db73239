// The VM area's pure logic: the argument schemas (connection URIs, names), search/filter/sort of list rows, and
// how vms.changed events patch the react-query cache.
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { connectionUriSchema, existingNameSchema, newVmNameSchema, remoteUriSchema } from '@shared/vm-schemas';
import type { VmConnection, VmSummary } from '@shared/vm-types';
import { applyVmChange, connectionsKey, listKey } from '../../renderer/src/features/vms/vm-cache';
import { visibleVms } from '../../renderer/src/features/vms/vm-list';

function vm(name: string, overrides: Partial<VmSummary> = {}): VmSummary {
  return {
    name,
    uuid: `${name}-uuid`,
    state: 'running',
    reason: 'booted',
    domainType: 'qemu',
    acceleration: 'tcg',
    vcpus: 1,
    memoryBytes: 256 * 1024 ** 2,
    diskBytes: null,
    addresses: [],
    autostart: false,
    persistent: true,
    ...overrides,
  };
}

const uri = 'qemu:///system';

describe('schemas', () => {
  it('accepts the local URIs and qemu+ssh with harmless options only', () => {
    for (const ok of ['qemu:///system', 'qemu:///session', 'qemu+ssh://host/system', 'qemu+ssh://me@lab-1.example.org:2222/session', 'qemu+ssh://root@[fd00::1]/system?keyfile=/home/me/.ssh/id_lab&no_verify=1']) {
      expect(connectionUriSchema.safeParse(ok).success).toBe(true);
    }
    for (const bad of ['qemu:///embed', 'qemu+tcp://host/system', 'qemu+ssh://host/system?command=id', 'qemu+ssh://host/system?netcat=/tmp/x', 'qemu+ssh://host/system?keyfile=~/k', 'qemu+ssh://-oProxyCommand=x/system', 'qemu+ssh://host/other', '']) {
      expect(connectionUriSchema.safeParse(bad).success, bad).toBe(false);
    }
    expect(remoteUriSchema.safeParse('qemu:///system').success).toBe(false);
  });

  it('keeps new names safe, and existing names from reading as options or paths', () => {
    for (const ok of ['web-1', 'db.prod', 'a+b_c', 'X']) expect(newVmNameSchema.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['-x', '.hidden', 'a b', 'a/b', '<x>', "it's", 'a;b', 'x'.repeat(65), '']) expect(newVmNameSchema.safeParse(bad).success, bad).toBe(false);
    for (const ok of ['made in virt-manager', "it's", '<odd>']) expect(existingNameSchema.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['--all', 'a/b', 'tab\there', '']) expect(existingNameSchema.safeParse(bad).success, bad).toBe(false);
  });
});

describe('visibleVms', () => {
  const list = [
    vm('web', { addresses: ['192.168.122.10'], memoryBytes: 2 * 1024 ** 3 }),
    vm('db', { state: 'shutoff', reason: 'shutdown', title: 'Postgres' }),
    vm('build-10', { state: 'paused', vcpus: 4 }),
    vm('build-9', { state: 'crashed' }),
  ];

  it('filters by state group and searches names, titles and addresses', () => {
    const names = (filter: Parameters<typeof visibleVms>[1]['filter'], search = '') => visibleVms(list, { search, filter, sort: { column: 'name', descending: false } }).map((row) => row.name);
    expect(names('all')).toEqual(['build-9', 'build-10', 'db', 'web']);
    expect(names('off')).toEqual(['build-9', 'db']);
    expect(names('paused')).toEqual(['build-10']);
    expect(names('running')).toEqual(['web']);
    expect(names('all', 'postgres')).toEqual(['db']);
    expect(names('all', '122.10')).toEqual(['web']);
  });

  it('sorts by a column, then by name', () => {
    expect(visibleVms(list, { search: '', filter: 'all', sort: { column: 'vcpus', descending: true } }).map((row) => row.name)).toEqual(['build-10', 'web', 'db', 'build-9']);
    expect(visibleVms(list, { search: '', filter: 'all', sort: { column: 'state', descending: false } }).map((row) => row.name)).toEqual(['web', 'build-10', 'build-9', 'db']);
  });
});

describe('applyVmChange', () => {
  it('patches the list with a fresh read, removes a gone VM, and replaces the list after a gap', () => {
    const client = new QueryClient();
    client.setQueryData(listKey(uri), [vm('a'), vm('b')]);
    applyVmChange(client, uri, { kind: 'domain', name: 'a', vm: vm('a', { state: 'paused' }) });
    applyVmChange(client, uri, { kind: 'domain', name: 'c', vm: vm('c') });
    applyVmChange(client, uri, { kind: 'domain', name: 'b', vm: null });
    expect(client.getQueryData<VmSummary[]>(listKey(uri))?.map((row) => [row.name, row.state])).toEqual([
      ['a', 'paused'],
      ['c', 'running'],
    ]);
    applyVmChange(client, uri, { kind: 'domains', vms: [vm('z')] });
    expect(client.getQueryData<VmSummary[]>(listKey(uri))?.map((row) => row.name)).toEqual(['z']);
    // Another connection's list is not touched.
    expect(client.getQueryData(listKey('qemu:///session'))).toBeUndefined();
  });

  it('stales that VM’s reads only, and stores connection changes', () => {
    const client = new QueryClient();
    client.setQueryData(['vms.detail', { uri, name: 'a' }], { name: 'a' });
    client.setQueryData(['vms.detail', { uri, name: 'b' }], { name: 'b' });
    client.setQueryData(['vmSnapshots.list', { uri, name: 'a' }], []);
    applyVmChange(client, uri, { kind: 'domain', name: 'a', vm: vm('a') });
    expect(client.getQueryState(['vms.detail', { uri, name: 'a' }])?.isInvalidated).toBe(true);
    expect(client.getQueryState(['vmSnapshots.list', { uri, name: 'a' }])?.isInvalidated).toBe(true);
    expect(client.getQueryState(['vms.detail', { uri, name: 'b' }])?.isInvalidated).toBe(false);

    const connected: VmConnection = { uri, kind: 'system', custom: false, status: 'connected', domainTypes: ['qemu'] };
    client.setQueryData(connectionsKey, [connected]);
    applyVmChange(client, uri, { kind: 'connection', connection: { ...connected, status: 'unavailable', error: { code: 'UNAVAILABLE', message: 'down' } } });
    expect(client.getQueryData<VmConnection[]>(connectionsKey)?.[0]?.status).toBe('unavailable');
  });
});
