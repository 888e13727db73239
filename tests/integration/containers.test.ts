// The container service against the real dockerd: every method through the RPC server, create checked with
// `docker inspect`, bad input leaving nothing behind, live changes from the docker CLI, logs, stats and usage.
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunSpecInput } from '@shared/docker-schemas';
import type { ContainerStatsSample, ContainerUsage, DockerChange, LogBatch, LogLine } from '@shared/docker-types';
import type { AppError } from '@shared/errors';
import { failure } from '../helpers/failure';
import {
  containersNamed,
  docker,
  freePort,
  inspectJson,
  removeTestObjects,
  startBackend,
  testImage,
  volumesNamed,
  waitFor,
  type TestBackend,
} from './helpers/docker-cli';

const prefix = 'isolab-test-ctr-';
let test: TestBackend;

beforeAll(() => {
  removeTestObjects(prefix);
  test = startBackend();
});
afterEach(() => removeTestObjects(prefix));
afterAll(() => {
  test.close();
  removeTestObjects(prefix);
});

function run(spec: Omit<RunSpecInput, 'image'> & { image?: string }, start = true) {
  return test.client.call('containers.create', { spec: { image: testImage, ...spec }, start });
}

/** Collects a stream's events until `until` says enough (or it ends); always unsubscribes. */
function collect<E>(
  subscribe: (observer: { next(event: E): void; error(error: AppError): void; end(): void }) => { unsubscribe(): void },
  until: (events: E[]) => boolean,
  timeoutMs = 30_000,
): Promise<{ events: E[]; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const events: E[] = [];
    let ended = false;
    const timer = setTimeout(() => {
      subscription.unsubscribe();
      reject(new Error(`stream gave ${events.length} events, not what the test waited for: ${JSON.stringify(events).slice(0, 2000)}`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      subscription.unsubscribe();
      resolve({ events, ended });
    };
    const subscription = subscribe({
      next(event) {
        events.push(event);
        if (until(events)) finish();
      },
      error(error) {
        clearTimeout(timer);
        reject(error);
      },
      end() {
        ended = true;
        finish();
      },
    });
  });
}

describe('containers.create', () => {
  it('creates and starts what `docker run` would, with ports, env, a named volume, a bind and limits', async () => {
    const hostPort = await freePort();
    const name = `${prefix}full`;
    const created = await run({
      name,
      command: ['sleep', '300'],
      workingDir: '/tmp',
      user: '0:0',
      env: [{ key: 'GREETING', value: 'hello world' }],
      ports: [
        { hostIp: '127.0.0.1', hostPort, containerPort: 80 },
        { containerPort: 53, protocol: 'udp' },
      ],
      mounts: [
        { kind: 'volume', source: `${prefix}data`, target: '/data' },
        { kind: 'bind', source: '/etc', target: '/host-etc', readOnly: true },
      ],
      restart: 'on-failure',
      maxRetries: 3,
      cpus: 0.5,
      memory: '64m',
      pidsLimit: 50,
      labels: [{ key: 'com.docker.compose.project', value: 'isolab-test-project' }],
    });
    expect(created.name).toBe(name);
    expect(created.id).toMatch(/^[0-9a-f]{64}$/);

    const inspect = inspectJson<{
      State: { Running: boolean };
      Config: { Env: string[]; Cmd: string[]; WorkingDir: string; User: string; Labels: Record<string, string>; ExposedPorts: Record<string, unknown> };
      HostConfig: {
        PortBindings: Record<string, { HostIp: string; HostPort: string }[]>;
        RestartPolicy: { Name: string; MaximumRetryCount: number };
        NanoCpus: number;
        Memory: number;
        PidsLimit: number;
        NetworkMode: string;
      };
      Mounts: { Type: string; Name?: string; Source: string; Destination: string; RW: boolean }[];
      NetworkSettings: { Ports: Record<string, { HostIp: string; HostPort: string }[] | null> };
    }>(name);
    expect(inspect.State.Running).toBe(true);
    expect(inspect.Config.Env).toContain('GREETING=hello world');
    expect(inspect.Config.Cmd).toEqual(['sleep', '300']);
    expect(inspect.Config.WorkingDir).toBe('/tmp');
    expect(inspect.Config.User).toBe('0:0');
    expect(inspect.Config.Labels['com.docker.compose.project']).toBe('isolab-test-project');
    expect(Object.keys(inspect.Config.ExposedPorts).sort()).toEqual(['53/udp', '80/tcp']);
    expect(inspect.HostConfig.PortBindings['80/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(hostPort) }]);
    expect(inspect.HostConfig.PortBindings['53/udp']).toEqual([{ HostIp: '', HostPort: '' }]);
    // No host port asked for: the engine picked one.
    expect(Number(inspect.NetworkSettings.Ports['53/udp']?.[0]?.HostPort)).toBeGreaterThan(0);
    expect(inspect.HostConfig.RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 3 });
    expect(inspect.HostConfig.NanoCpus).toBe(500_000_000);
    expect(inspect.HostConfig.Memory).toBe(64 * 1024 * 1024);
    expect(inspect.HostConfig.PidsLimit).toBe(50);
    expect(inspect.HostConfig.NetworkMode).toBe('default');
    const volume = inspect.Mounts.find((mount) => mount.Destination === '/data');
    expect(volume).toMatchObject({ Type: 'volume', Name: `${prefix}data`, RW: true });
    expect(inspect.Mounts.find((mount) => mount.Destination === '/host-etc')).toMatchObject({ Type: 'bind', Source: '/etc', RW: false });
    expect(docker('exec', name, 'cat', '/host-etc/hostname')).toBe(docker('run', '--rm', '-v', '/etc:/e:ro', testImage, 'cat', '/e/hostname'));

    const list = await test.client.call('containers.list', {});
    const row = list.find((container) => container.id === created.id);
    expect(row).toMatchObject({ name, image: testImage, state: 'running', composeProject: 'isolab-test-project' });
    expect(row?.status).toMatch(/^Up /);
    expect(row?.ports).toContainEqual({ containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort });

    const detail = await test.client.call('containers.inspect', { id: name });
    expect(detail).toMatchObject({
      id: created.id,
      name,
      state: 'running',
      cmd: ['sleep', '300'],
      workingDir: '/tmp',
      restartPolicy: { name: 'on-failure', maximumRetryCount: 3 },
      limits: { nanoCpus: 500_000_000, memoryBytes: 64 * 1024 * 1024, pidsLimit: 50 },
      autoRemove: false,
      tty: false,
    });
    expect(detail.env).toContain('GREETING=hello world');
    expect(detail.mounts).toContainEqual({ type: 'volume', source: `${prefix}data`, target: '/data', readOnly: false });
    expect(detail.mounts).toContainEqual({ type: 'bind', source: '/etc', target: '/host-etc', readOnly: true });
    expect(detail.networkSettings.map((network) => network.name)).toEqual(['bridge']);
    expect(detail.pid).toBeGreaterThan(0);
    expect((detail.raw as { Id: string }).Id).toBe(created.id);

    const top = await test.client.call('containers.top', { id: name });
    expect(top.titles).toContain('PID');
    expect(top.processes.some((process) => process.join(' ').includes('sleep 300'))).toBe(true);
  });

  it('creates without starting, names it as the engine chose, and honours tty, interactive and auto-remove', async () => {
    const created = await run({ tty: true, interactive: true, autoRemove: true, labels: [{ key: 'isolab-test', value: prefix }] }, false);
    try {
      expect(created.name).toMatch(/^[a-z]+_[a-z]+$/);
      const inspect = inspectJson<{ State: { Status: string }; Config: { Tty: boolean; OpenStdin: boolean; AttachStdin: boolean }; HostConfig: { AutoRemove: boolean } }>(created.id);
      expect(inspect.State.Status).toBe('created');
      expect(inspect.Config).toMatchObject({ Tty: true, OpenStdin: true, AttachStdin: false });
      expect(inspect.HostConfig.AutoRemove).toBe(true);
    } finally {
      docker('rm', '-f', created.id);
    }
  });

  it('rejects an invalid name before asking the engine', async () => {
    const error = await failure(run({ name: '-bad name' }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.detail).toContain('letters, digits');
    expect(containersNamed('-bad')).toEqual([]);
  });

  it('says a used name is a conflict and leaves only the first container', async () => {
    const name = `${prefix}twice`;
    await run({ name, command: ['sleep', '300'] });
    const error = await failure(run({ name, command: ['sleep', '300'], mounts: [{ kind: 'volume', source: `${prefix}twice-vol`, target: '/data' }] }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain(`Creating container ${name}`);
    expect(error.message).toContain('is already in use');
    expect(containersNamed(name)).toEqual([name]);
    expect(volumesNamed(`${prefix}twice-vol`)).toEqual([]);
  });

  it('says a host port in use is a conflict, and removes the container and the volume it made, not one that was there', async () => {
    const listener = net.createServer();
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as net.AddressInfo;
    docker('volume', 'create', `${prefix}kept`);
    try {
      const name = `${prefix}port`;
      const error = await failure(
        run({
          name,
          command: ['sleep', '300'],
          ports: [{ hostIp: '127.0.0.1', hostPort: port, containerPort: 80 }],
          mounts: [
            { kind: 'volume', source: `${prefix}made`, target: '/made' },
            { kind: 'volume', source: `${prefix}kept`, target: '/kept' },
          ],
        }),
      );
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toContain(`Starting container ${name}`);
      expect(error.message).toMatch(/address already in use|port is already allocated/);
      expect(containersNamed(name)).toEqual([]);
      expect(volumesNamed(`${prefix}made`)).toEqual([]);
      expect(volumesNamed(`${prefix}kept`)).toEqual([`${prefix}kept`]);
    } finally {
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
  });

  it('says an image that is not here must be pulled first', async () => {
    const name = `${prefix}noimage`;
    const volume = `${prefix}noimage-data`;
    const error = await failure(run({ name, image: 'local/isolab-test-missing:1.0', mounts: [{ kind: 'volume', source: volume, target: '/data' }] }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe('Image local/isolab-test-missing:1.0 is not here: pull it first');
    expect(error.fix?.command).toBe('docker pull local/isolab-test-missing:1.0');
    expect(containersNamed(name)).toEqual([]);
    expect(volumesNamed(volume)).toEqual([]);
  });

  it("passes on the engine's minimum memory as an invalid argument", async () => {
    const name = `${prefix}tiny`;
    const error = await failure(run({ name, memory: '1m', command: ['true'] }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/Minimum memory limit allowed is \d+MB/);
    expect(containersNamed(name)).toEqual([]);
  });

  it('says a bind source that does not exist is an invalid argument', async () => {
    const name = `${prefix}nobind`;
    const error = await failure(run({ name, mounts: [{ kind: 'bind', source: '/nonexistent/isolab-test', target: '/x' }] }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('/nonexistent/isolab-test');
    expect(containersNamed(name)).toEqual([]);
  });
});

describe('container actions', () => {
  it('starts, pauses, resumes, restarts, stops, kills, renames and removes, with the engine as witness', async () => {
    const name = `${prefix}life`;
    const state = () => docker('inspect', '--format', '{{.State.Status}}', name);
    const { id } = await run({ name, command: ['sleep', '300'] }, false);
    expect(state()).toBe('created');

    await test.client.call('containers.start', { id: name });
    expect(state()).toBe('running');
    // Already running: what was asked for is true.
    await test.client.call('containers.start', { id: name });

    await test.client.call('containers.pause', { id: name });
    expect(state()).toBe('paused');
    await test.client.call('containers.unpause', { id: name });
    expect(state()).toBe('running');

    const startedBefore = docker('inspect', '--format', '{{.State.StartedAt}}', name);
    await test.client.call('containers.restart', { id: name, timeoutSeconds: 0 });
    expect(state()).toBe('running');
    expect(docker('inspect', '--format', '{{.State.StartedAt}}', name)).not.toBe(startedBefore);

    await test.client.call('containers.stop', { id: name, timeoutSeconds: 0 });
    expect(state()).toBe('exited');
    await test.client.call('containers.stop', { id: name });

    await test.client.call('containers.start', { id });
    await test.client.call('containers.kill', { id, signal: 'SIGKILL' });
    expect(docker('inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', name)).toBe('exited 137');
    const notRunning = await failure(test.client.call('containers.kill', { id }));
    expect(notRunning.code).toBe('CONFLICT');
    expect(notRunning.message).toContain('is not running');

    const renamed = `${prefix}life-renamed`;
    await test.client.call('containers.rename', { id, name: renamed });
    expect(containersNamed(prefix)).toEqual([renamed]);
    const taken = `${prefix}taken`;
    await run({ name: taken, command: ['true'] }, false);
    const clash = await failure(test.client.call('containers.rename', { id, name: taken }));
    expect(clash.code).toBe('CONFLICT');

    await test.client.call('containers.start', { id });
    const running = await failure(test.client.call('containers.remove', { id }));
    expect(running.code).toBe('CONFLICT');
    expect(running.message).toContain(`Removing container ${containerShort(id)}`);
    await test.client.call('containers.remove', { id, force: true, volumes: true });
    expect(containersNamed(renamed)).toEqual([]);

    const gone = await failure(test.client.call('containers.inspect', { id }));
    expect(gone.code).toBe('NOT_FOUND');
    expect(gone.detail).toContain('No such container');
  });

  it('removes anonymous volumes only when asked to', async () => {
    const keep = docker('create', '--name', `${prefix}anon-keep`, '-v', '/anon', testImage);
    const drop = docker('create', '--name', `${prefix}anon-drop`, '-v', '/anon', testImage);
    const volumeOf = (id: string) => docker('inspect', '--format', '{{range .Mounts}}{{.Name}}{{end}}', id);
    const [keptVolume, droppedVolume] = [volumeOf(keep), volumeOf(drop)];
    try {
      await test.client.call('containers.remove', { id: keep });
      await test.client.call('containers.remove', { id: drop, volumes: true });
      expect(docker('volume', 'ls', '-q')).toContain(keptVolume);
      expect(docker('volume', 'ls', '-q')).not.toContain(droppedVolume);
    } finally {
      docker('volume', 'rm', '-f', keptVolume);
    }
  });
});

function containerShort(id: string): string {
  return id.slice(0, 12);
}

describe('docker.changed', () => {
  it('starts with the connection, then sees containers the docker CLI runs and removes, each read afresh', async () => {
    const name = `${prefix}cli`;
    let id = '';
    let removed = false;
    const result = collect<DockerChange>(
      (observer) => test.client.subscribe('docker.changed', {}, observer),
      (events) => {
        const last = events.at(-1);
        if (events.length === 1) id = docker('run', '-d', '--name', name, testImage, 'sleep', '300');
        if (last?.kind !== 'container' || last.id !== id) return false;
        if (!removed && last.container?.state === 'running') {
          removed = true;
          docker('rm', '-f', name);
        }
        return last.container === null;
      },
    );
    const { events } = await result;
    expect(events[0]).toMatchObject({ kind: 'connection', connection: { status: 'connected', address: 'unix:///var/run/docker.sock' } });
    const running = events.find((event) => event.kind === 'container' && event.id === id && event.container?.state === 'running');
    expect(running).toMatchObject({ kind: 'container', container: { name, image: testImage, command: 'sleep 300' } });
    // A burst (create, attach, connect, start) is read once or twice, never once per event.
    expect(events.filter((event) => event.kind === 'container' && event.id === id).length).toBeLessThan(6);
  });
});

describe('containers.logs', () => {
  const script = 'echo out-1; echo err-1 >&2; echo "ünïcødé €"; sleep 1; echo out-2; echo err-2 >&2; sleep 1';

  it('marks stdout and stderr, follows new lines, and ends when the container stops', async () => {
    const { id } = await run({ name: `${prefix}logs`, command: ['sh', '-c', script] });
    const { events, ended } = await collect<LogBatch>(
      (observer) => test.client.subscribe('containers.logs', { id, follow: true }, observer),
      () => false,
    );
    expect(ended).toBe(true);
    expect(events.at(-1)?.ended).toBe(true);
    const lines = events.flatMap((batch) => batch.lines);
    // The engine keeps the order within each stream; between stdout and stderr it may not.
    const of = (stream: LogLine['stream']) => lines.filter((line) => line.stream === stream).map((line) => line.text);
    expect(of('stdout')).toEqual(['out-1', 'ünïcødé €', 'out-2']);
    expect(of('stderr')).toEqual(['err-1', 'err-2']);
    // out-2 came a second after the first lines: it arrived in a later event, while following.
    const firstBatch = events.findIndex((batch) => batch.lines.some((line) => line.text === 'out-1'));
    const laterBatch = events.findIndex((batch) => batch.lines.some((line) => line.text === 'out-2'));
    expect(laterBatch).toBeGreaterThan(firstBatch);
  });

  it('splits timestamps off, honours tail, and reads a TTY container as stdout', async () => {
    const { id } = await run({ name: `${prefix}logs-tty`, tty: true, command: ['sh', '-c', 'echo one; echo two >&2; echo three'] });
    await waitFor('the container to exit', () => (docker('inspect', '--format', '{{.State.Status}}', id) === 'exited' ? true : undefined));
    const { events } = await collect<LogBatch>(
      (observer) => test.client.subscribe('containers.logs', { id, follow: false, timestamps: true, tail: 2 }, observer),
      () => false,
    );
    const lines = events.flatMap((batch) => batch.lines);
    expect(lines.map(({ stream, text }) => ({ stream, text }))).toEqual([
      { stream: 'stdout', text: 'two' },
      { stream: 'stdout', text: 'three' },
    ]);
    for (const line of lines) expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/);
  });

  it('fails with NOT_FOUND for a container that does not exist', async () => {
    const error = await new Promise<AppError>((resolve) =>
      test.client.subscribe('containers.logs', { id: `${prefix}nothing` }, { next() {}, error: resolve }),
    );
    expect(error.code).toBe('NOT_FOUND');
  });
});

describe('containers.stats and containers.usage', () => {
  it('samples a busy container about every second with sane values', async () => {
    const { id } = await run({ name: `${prefix}busy`, command: ['sh', '-c', 'while true; do :; done'] });
    const { events } = await collect<ContainerStatsSample>(
      (observer) => test.client.subscribe('containers.stats', { id }, observer),
      (samples) => samples.length >= 3,
    );
    const [, second, third] = events as [ContainerStatsSample, ContainerStatsSample, ContainerStatsSample];
    expect(third.time).toBeGreaterThan(second.time);
    for (const sample of [second, third]) {
      expect(sample.onlineCpus).toBeGreaterThanOrEqual(1);
      // A shell spinning on one CPU: clearly busy, never more than all CPUs.
      expect(sample.cpuPercent).toBeGreaterThan(20);
      expect(sample.cpuPercent).toBeLessThanOrEqual(sample.onlineCpus * 100 + 5);
      expect(sample.memoryUsage).toBeGreaterThan(0);
      expect(sample.memoryLimit).toBeGreaterThan(sample.memoryUsage);
      expect(sample.pids).toBeGreaterThanOrEqual(1);
    }
  });

  it('reports every running container while subscribed, and drops one that stops', async () => {
    const first = await run({ name: `${prefix}usage-1`, command: ['sleep', '300'] });
    const second = await run({ name: `${prefix}usage-2`, command: ['sleep', '300'] });
    let stopped = false;
    const { events } = await collect<ContainerUsage>(
      (observer) => test.client.subscribe('containers.usage', {}, observer),
      (maps) => {
        const latest = maps.at(-1) ?? {};
        if (!stopped && latest[first.id] && latest[second.id]) {
          stopped = true;
          docker('stop', '-t', '0', second.id);
        }
        return stopped && latest[first.id] !== undefined && latest[second.id] === undefined;
      },
    );
    const both = events.find((map) => map[first.id] && map[second.id]);
    expect(both?.[first.id]?.memoryUsage).toBeGreaterThan(0);
    expect(both?.[first.id]?.memoryLimit).toBeGreaterThan(0);
    expect(events.at(-1)?.[first.id]).toBeDefined();
  });
});
