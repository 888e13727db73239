// The Docker connection against the real dockerd: the endpoint in use and its engine, switching endpoints, a
// socket this user may not open, and dockerd stopped and started again while `docker.changed` is subscribed.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerSummary, DockerChange, DockerConnection } from '@shared/docker-types';
import type { AppError, WireError } from '@shared/errors';
import { docker, removeTestObjects, startBackend, testImage, waitFor, type TestBackend } from './helpers/docker-cli';
import { dockerServerVersion, engines } from './helpers/engines';
import { failure } from '../helpers/failure';

const prefix = 'isolab-test-conn-';
const testUser = process.env.ISOLAB_TEST_USER ?? 'isolab-test';
const connectionAsScript = fileURLToPath(new URL('./helpers/docker-connection-as.ts', import.meta.url));
let test: TestBackend;

beforeAll(() => {
  removeTestObjects(prefix);
  test = startBackend();
});
afterAll(() => {
  test.close();
  engines('start-docker');
  removeTestObjects(prefix);
});

/** What a client keeps from `docker.changed`: the connection changes and the container list they imply. */
function follow(client: TestBackend['client']) {
  const connections: DockerConnection[] = [];
  const changes: DockerChange[] = [];
  const containers = new Map<string, ContainerSummary>();
  let error: AppError | undefined;
  const subscription = client.subscribe('docker.changed', {}, {
    next(change) {
      changes.push(change);
      if (change.kind === 'connection') connections.push(change.connection);
      else if (change.kind === 'containers') {
        containers.clear();
        for (const container of change.containers) containers.set(container.id, container);
      } else if (change.kind === 'container') {
        if (change.container) containers.set(change.id, change.container);
        else containers.delete(change.id);
      }
    },
    error(reason) {
      error = reason;
    },
  });
  return {
    connections,
    changes,
    containers,
    failed: () => error,
    unsubscribe: () => subscription.unsubscribe(),
  };
}

describe('the endpoint in use', () => {
  it("is the rootful socket, with the engine that `docker version` reports", async () => {
    const connection = await test.client.call('docker.connection', {});
    expect(connection.status).toBe('connected');
    expect(connection.address).toBe('unix:///var/run/docker.sock');
    expect(connection.engine?.serverVersion).toBe(dockerServerVersion());
    expect(connection.engine?.apiVersion).toBe(docker('version', '--format', '{{.Server.APIVersion}}'));
    expect(connection.endpoints.filter((endpoint) => endpoint.used).map((endpoint) => endpoint.address)).toEqual(['unix:///var/run/docker.sock']);
    expect(connection.chosen).toBeUndefined();
  });

  it('refuses an address that is not a candidate', async () => {
    const error = await failure(test.client.call('docker.useEndpoint', { address: 'tcp://192.0.2.1:2375' }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.detail).toContain('unix:///var/run/docker.sock');
  });

  it('switches to a chosen endpoint that does not answer, says why with a fix, and back to automatic', async () => {
    const own = startBackend();
    const changed = follow(own.client);
    try {
      await waitFor('the first connection state', () => changed.connections[0]);
      const { endpoints } = await own.client.call('docker.connection', {});
      const rootless = endpoints.find((endpoint) => endpoint.source === 'rootless socket');
      expect(rootless?.state).toBe('missing');

      const chosen = await own.client.call('docker.useEndpoint', { address: rootless!.address });
      expect(chosen).toMatchObject({ status: 'unavailable', chosen: rootless!.address });
      expect(chosen.error?.code).toBe('UNAVAILABLE');
      expect(chosen.error?.message).toContain(rootless!.address);
      expect(chosen.error?.fix?.text).toContain('first endpoint that answers');
      const listing = await failure(own.client.call('containers.list', {}));
      expect(listing.code).toBe('UNAVAILABLE');
      expect(listing.fix?.text).toBe(chosen.error?.fix?.text);
      await waitFor('the change to unavailable', () => changed.connections.find((connection) => connection.status === 'unavailable'));
      // The choice is kept in the settings file: the next run starts with it.
      const nextRun = startBackend();
      try {
        expect((await nextRun.client.call('docker.connection', {})).chosen).toBe(rootless!.address);
      } finally {
        nextRun.close();
      }

      const automatic = await own.client.call('docker.useEndpoint', { address: null });
      expect(automatic).toMatchObject({ status: 'connected', address: 'unix:///var/run/docker.sock' });
      expect(automatic.chosen).toBeUndefined();
      const runAfterAutomatic = startBackend();
      try {
        expect((await runAfterAutomatic.client.call('docker.connection', {})).chosen).toBeUndefined();
      } finally {
        runAfterAutomatic.close();
      }
      expect(Array.isArray(await own.client.call('containers.list', {}))).toBe(true);
      // Events resubscribed on the socket in use, and a whole list to start again from.
      await waitFor('the whole list after switching back', () => changed.changes.find((change) => change.kind === 'containers'));
      const id = docker('create', '--name', `${prefix}after-switch`, testImage);
      await waitFor('the container created after switching back', () => changed.containers.get(id));
      expect(changed.failed()).toBeUndefined();
    } finally {
      changed.unsubscribe();
      own.close();
    }
  });
});

describe(`the connection as the unprivileged user ${testUser}`, () => {
  it("is permission denied, with the doctor's fix, and so is every call", () => {
    const json = execFileSync(process.execPath, ['--import', 'tsx', connectionAsScript, testUser], {
      encoding: 'utf8',
      env: { ...process.env, TSX_TSCONFIG_PATH: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) },
    });
    const { connection, listError } = JSON.parse(json) as { connection: DockerConnection; listError: WireError };
    expect(connection.status).toBe('unavailable');
    expect(connection.error?.code).toBe('PERMISSION_DENIED');
    expect(connection.error?.fix?.command).toBe(`sudo usermod -aG docker ${testUser}`);
    expect(connection.error?.detail).toContain('permission denied');
    expect(listError).toEqual(connection.error);
  });
});

describe('dockerd stopped while nothing is subscribed', () => {
  it("fails image, volume and network calls with the doctor's verdict, found by checking the endpoints again", async () => {
    const fresh = startBackend();
    try {
      await fresh.client.call('images.list', {});
      engines('stop-docker');
      // The backend still holds the client of the engine that was there: this call finds it gone.
      const underTheCall = await failure(fresh.client.call('images.list', {}));
      const verdict = (await fresh.client.call('docker.connection', {})).error;
      expect(verdict?.code).toBe('UNAVAILABLE');
      expect(verdict?.fix?.command).toBeTruthy();
      for (const error of [underTheCall, await failure(fresh.client.call('volumes.list', {})), await failure(fresh.client.call('networks.list', {}))]) {
        expect(error.code).toBe('UNAVAILABLE');
        expect(error.fix).toEqual(verdict?.fix);
      }
    } finally {
      fresh.close();
      engines('start-docker');
    }
  });
});

describe('dockerd stopped and started while docker.changed is subscribed', () => {
  it('goes unavailable with a fix, fails calls instead of listing nothing, reconnects, and the list is right', async () => {
    const before = docker('run', '-d', '--name', `${prefix}before`, testImage, 'sleep', '600');
    const changed = follow(test.client);
    try {
      await waitFor('the first connection state', () => (changed.connections[0]?.status === 'connected' ? true : undefined));

      engines('stop-docker');
      const down = await waitFor('the connection to go unavailable', () => changed.connections.find((connection) => connection.status === 'unavailable'));
      expect(down.error?.code).toBe('UNAVAILABLE');
      expect(down.error?.fix?.text).toMatch(/Start the Docker daemon|Restart the Docker daemon/);
      expect(down.retryInMs).toBeGreaterThan(0);
      const listing = await failure(test.client.call('containers.list', {}));
      expect(listing.code).toBe('UNAVAILABLE');
      expect(listing.fix).toEqual(down.error?.fix);

      engines('start-docker');
      // Made as soon as the daemon answers the CLI: before or after Isolab reconnects, it must show up.
      const during = docker('create', '--name', `${prefix}during`, testImage, 'sleep', '600');
      const unavailableAt = changed.changes.findIndex((change) => change.kind === 'connection' && change.connection.status === 'unavailable');
      await waitFor('the connection to come back', () =>
        changed.changes.slice(unavailableAt).find((change) => change.kind === 'connection' && change.connection.status === 'connected'),
      );
      await waitFor('the whole list after reconnecting', () => changed.changes.slice(unavailableAt).find((change) => change.kind === 'containers'));
      await waitFor('the container made during the outage', () => changed.containers.get(during));

      const engineView = docker('ps', '-a', '--no-trunc', '--filter', `name=^/${prefix}`, '--format', '{{.ID}} {{.State}}').split('\n').sort();
      const clientView = [...changed.containers.values()]
        .filter((container) => container.name.startsWith(prefix))
        .map((container) => `${container.id} ${container.state}`)
        .sort();
      expect(clientView).toEqual(engineView);
      // dockerd stopped the container it ran (no live-restore): the list says so.
      expect(changed.containers.get(before)?.state).toBe('exited');
      expect(changed.failed()).toBeUndefined();
      expect((await test.client.call('containers.list', {})).some((container) => container.id === during)).toBe(true);
    } finally {
      changed.unsubscribe();
      engines('start-docker');
    }
  });
});
