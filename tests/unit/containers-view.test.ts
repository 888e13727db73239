// The Containers area's pure logic: search, filter, sort and compose grouping of list rows; published-port
// links; and how docker.changed events patch the react-query cache.
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { ContainerSummary, DockerConnection } from '@shared/docker-types';
import { listRows, type ListRow } from '../../renderer/src/features/containers/container-list';
import { applyDockerChange, connectionKey, containersListKey } from '../../renderer/src/features/docker/docker-cache';
import { formatRelative, portViews } from '../../renderer/src/features/docker/format';

function container(name: string, overrides: Partial<ContainerSummary> = {}): ContainerSummary {
  return {
    id: `${name}-id`.padEnd(64, '0'),
    name,
    image: 'local/busybox',
    imageId: 'sha256:03f0b1f46cfd',
    command: 'sh',
    state: 'running',
    status: 'Up 3 minutes',
    created: 1_700_000_000,
    ports: [],
    labels: {},
    networks: ['bridge'],
    ...overrides,
  };
}

const names = (rows: ListRow[]) => rows.map((row) => (row.kind === 'group' ? `[${row.project}]` : row.container.name));
const noCollapse = new Set<string>();

describe('listRows', () => {
  const containers = [
    container('web', { created: 3, composeProject: 'shop' }),
    container('db', { created: 1, composeProject: 'shop', state: 'exited', status: 'Exited (0) 1 hour ago' }),
    container('alpha', { created: 2, state: 'paused' }),
    container('zulu', { created: 4, state: 'created', ports: [{ containerPort: 80, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 8080 }] }),
  ];

  it('puts compose projects under a header, sorted inside, and the rest after', () => {
    const rows = listRows(containers, { search: '', filter: 'all', sort: { column: 'name', descending: false }, collapsed: noCollapse });
    expect(names(rows)).toEqual(['[shop]', 'db', 'web', 'alpha', 'zulu']);
    expect(rows[0]).toMatchObject({ kind: 'group', count: 2, running: 1 });
  });

  it('hides a collapsed project\'s containers but keeps its header', () => {
    const rows = listRows(containers, { search: '', filter: 'all', sort: { column: 'name', descending: false }, collapsed: new Set(['shop']) });
    expect(names(rows)).toEqual(['[shop]', 'alpha', 'zulu']);
  });

  it('filters by state: stopped covers created and exited, running and paused their own', () => {
    const options = { search: '', sort: { column: 'name', descending: false }, collapsed: noCollapse } as const;
    expect(names(listRows(containers, { ...options, filter: 'stopped' }))).toEqual(['[shop]', 'db', 'zulu']);
    expect(names(listRows(containers, { ...options, filter: 'running' }))).toEqual(['[shop]', 'web']);
    expect(names(listRows(containers, { ...options, filter: 'paused' }))).toEqual(['alpha']);
  });

  it('searches name, image, project and ports, every word', () => {
    const options = { filter: 'all', sort: { column: 'name', descending: false }, collapsed: noCollapse } as const;
    expect(names(listRows(containers, { ...options, search: '8080' }))).toEqual(['zulu']);
    expect(names(listRows(containers, { ...options, search: 'SHOP web' }))).toEqual(['[shop]', 'web']);
    expect(names(listRows(containers, { ...options, search: 'nothing-like-this' }))).toEqual([]);
  });

  it('sorts by created and by state in either direction, ties by name', () => {
    const loose = containers.map((item) => ({ ...item, composeProject: undefined }) as ContainerSummary);
    const rows = (column: 'created' | 'state', descending: boolean) =>
      names(listRows(loose, { search: '', filter: 'all', sort: { column, descending }, collapsed: noCollapse }));
    expect(rows('created', true)).toEqual(['zulu', 'web', 'alpha', 'db']);
    expect(rows('created', false)).toEqual(['db', 'alpha', 'web', 'zulu']);
    expect(rows('state', false)).toEqual(['web', 'alpha', 'zulu', 'db']);
  });
});

describe('portViews', () => {
  it('reads 0.0.0.0 and :: of one port as one link to 127.0.0.1, keeps a specific address, and lists unpublished ports', () => {
    const views = portViews([
      { containerPort: 80, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 8080 },
      { containerPort: 80, protocol: 'tcp', hostIp: '::', hostPort: 8080 },
      { containerPort: 53, protocol: 'udp', hostIp: '127.0.0.2', hostPort: 5353 },
      { containerPort: 443, protocol: 'tcp', hostIp: '::1', hostPort: 8443 },
      { containerPort: 9000, protocol: 'tcp' },
    ]);
    expect(views.map(({ text, url }) => ({ text, url }))).toEqual([
      { text: '8080→80/tcp', url: 'http://127.0.0.1:8080' },
      { text: '127.0.0.2:5353→53/udp', url: undefined },
      { text: '[::1]:8443→443/tcp', url: 'http://[::1]:8443' },
      { text: '9000/tcp', url: undefined },
    ]);
  });
});

describe('formatRelative', () => {
  it('says how long ago in the largest whole unit', () => {
    const now = 1_700_000_000_000;
    expect(formatRelative(now / 1000 - 3, now)).toBe('just now');
    expect(formatRelative(now / 1000 - 150, now)).toMatch(/2 min/);
    expect(formatRelative(now / 1000 - 3 * 86400, now)).toMatch(/3 days ago/);
  });
});

describe('applyDockerChange', () => {
  const connected: DockerConnection = { endpoints: [], status: 'connected', address: 'unix:///var/run/docker.sock' };
  const down: DockerConnection = { endpoints: [], status: 'unavailable', retryInMs: 2000 };

  it('upserts and removes containers in the cached list', () => {
    const client = new QueryClient();
    client.setQueryData(containersListKey, [container('a'), container('b')]);
    applyDockerChange(client, { kind: 'container', id: container('b').id, container: container('b', { state: 'exited' }) });
    applyDockerChange(client, { kind: 'container', id: container('c').id, container: container('c') });
    applyDockerChange(client, { kind: 'container', id: container('a').id, container: null });
    const list = client.getQueryData<ContainerSummary[]>(containersListKey) ?? [];
    expect(list.map((item) => `${item.name}:${item.state}`)).toEqual(['b:exited', 'c:running']);
  });

  it('stales the changed container\'s inspect, by id or by the name it was opened with, and no other', () => {
    const client = new QueryClient();
    const b = container('b');
    client.setQueryData(['containers.inspect', { id: b.id }], b);
    client.setQueryData(['containers.inspect', { id: 'b' }], b);
    client.setQueryData(['containers.inspect', { id: container('other').id }], container('other'));
    applyDockerChange(client, { kind: 'container', id: b.id, container: b });
    const stale = client.getQueryCache().findAll({ queryKey: ['containers.inspect'] }).map((query) => [(query.queryKey[1] as { id: string }).id, query.state.isInvalidated]);
    expect(stale).toEqual([
      [b.id, true],
      ['b', true],
      [container('other').id, false],
    ]);
  });

  it('replaces the cached list with a full one (sent after a reconnect)', () => {
    const client = new QueryClient();
    client.setQueryData(containersListKey, [container('gone')]);
    applyDockerChange(client, { kind: 'containers', containers: [container('x'), container('y')] });
    expect((client.getQueryData<ContainerSummary[]>(containersListKey) ?? []).map((item) => item.name)).toEqual(['x', 'y']);
  });

  it('stores the connection and stales every Docker list only when an engine answers again', () => {
    const client = new QueryClient();
    client.setQueryData(containersListKey, []);
    client.setQueryData(['images.list', {}], []);
    client.setQueryData(['host.report', {}], {});
    applyDockerChange(client, { kind: 'connection', connection: connected });
    expect(client.getQueryState(containersListKey)?.isInvalidated).toBe(false);
    applyDockerChange(client, { kind: 'connection', connection: down });
    expect(client.getQueryData(connectionKey)).toEqual(down);
    expect(client.getQueryState(containersListKey)?.isInvalidated).toBe(false);
    applyDockerChange(client, { kind: 'connection', connection: connected });
    expect(client.getQueryState(containersListKey)?.isInvalidated).toBe(true);
    expect(client.getQueryState(['images.list', {}])?.isInvalidated).toBe(true);
    expect(client.getQueryState(['host.report', {}])?.isInvalidated).toBe(false);
  });
});
