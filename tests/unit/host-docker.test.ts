// The Docker section: endpoint candidates (DOCKER_HOST, contexts from fixture DOCKER_CONFIG dirs, rootful,
// rootless, Podman), probeEndpoint against real unix sockets in a temp dir, observeDocker against small fake
// engines replaying recorded /version and /info, and assessDocker's verdicts and fixes.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Check } from '@shared/types';
import type { BackendConfig } from '../../electron/backend/config';
import { probeEndpoint } from '../../electron/backend/docker/client';
import { dockerEndpointCandidates } from '../../electron/backend/docker/endpoints';
import { assessDocker, observeDocker, type DockerObservation, type ObservedEndpoint } from '../../electron/backend/host/docker-check';
import { readAccounts } from '../../electron/backend/host/host-files';
import {
  fixContext,
  fixturePath,
  identity,
  makeDeadSocket,
  makeTempDir,
  readFixture,
  rootsUnder,
  startFakeEngine,
  startSilentServer,
  testConfig,
} from './host-fixture-support';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await makeTempDir('isolab-docker-');
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

function check(checks: Check[], id: string): Check {
  const found = checks.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no check ${id} in ${checks.map((c) => c.id).join(', ')}`);
  return found;
}

/** A config with its sockets, XDG_RUNTIME_DIR and DOCKER_CONFIG in `dir` unless `env` says otherwise. */
function configIn(dir: string, env: Record<string, string | undefined> = {}): BackendConfig {
  return testConfig({
    dir,
    env: { PATH: path.join(dir, 'bin'), XDG_RUNTIME_DIR: path.join(dir, 'xdg'), DOCKER_CONFIG: path.join(dir, 'docker-config'), ...env },
  });
}

describe('dockerEndpointCandidates', () => {
  it('tries rootful, rootless, then the Podman sockets by default', async () => {
    const dir = await tempDir();
    const { endpoints, problems } = await dockerEndpointCandidates(configIn(dir));
    expect(problems).toEqual([]);
    expect(endpoints).toEqual([
      { source: 'rootful socket', address: `unix://${dir}/docker.sock` },
      { source: 'rootless socket', address: `unix://${dir}/xdg/docker.sock` },
      { source: 'Podman socket (rootless)', address: `unix://${dir}/xdg/podman/podman.sock` },
      { source: 'Podman socket (rootful)', address: `unix://${dir}/podman.sock` },
    ]);
  });

  it('puts DOCKER_HOST first', async () => {
    const dir = await tempDir();
    const { endpoints } = await dockerEndpointCandidates(configIn(dir, { DOCKER_HOST: 'tcp://192.0.2.10:2375' }));
    expect(endpoints.map((e) => e.source)).toEqual(['DOCKER_HOST', 'rootful socket', 'rootless socket', 'Podman socket (rootless)', 'Podman socket (rootful)']);
    expect(endpoints[0]?.address).toBe('tcp://192.0.2.10:2375');
  });

  it('does not list the same address twice: DOCKER_HOST naming the rootful socket keeps its place', async () => {
    const dir = await tempDir();
    const { endpoints } = await dockerEndpointCandidates(configIn(dir, { DOCKER_HOST: `unix://${dir}/docker.sock` }));
    expect(endpoints.map((e) => [e.source, e.address])).toEqual([
      ['DOCKER_HOST', `unix://${dir}/docker.sock`],
      ['rootless socket', `unix://${dir}/xdg/docker.sock`],
      ['Podman socket (rootless)', `unix://${dir}/xdg/podman/podman.sock`],
      ['Podman socket (rootful)', `unix://${dir}/podman.sock`],
    ]);
  });

  it("resolves config.json's currentContext through contexts/meta/<sha256(name)>/meta.json", async () => {
    const dir = await tempDir();
    const { endpoints, problems } = await dockerEndpointCandidates(
      configIn(dir, { DOCKER_CONFIG: fixturePath('docker', 'config-desktop-context'), DOCKER_HOST: 'tcp://192.0.2.10:2375' }),
    );
    expect(problems).toEqual([]);
    expect(endpoints.slice(0, 2)).toEqual([
      { source: 'DOCKER_HOST', address: 'tcp://192.0.2.10:2375' },
      { source: 'docker context', address: 'unix:///home/alice/.docker/desktop/docker.sock', contextName: 'desktop-linux' },
    ]);
  });

  it('lets DOCKER_CONTEXT pick the context, and "default" mean none', async () => {
    const dir = await tempDir();
    const desktop = fixturePath('docker', 'config-desktop-context');
    const picked = await dockerEndpointCandidates(configIn(dir, { DOCKER_CONFIG: desktop, DOCKER_CONTEXT: 'desktop-linux' }));
    expect(picked.endpoints[0]).toMatchObject({ source: 'docker context', contextName: 'desktop-linux' });
    const none = await dockerEndpointCandidates(configIn(dir, { DOCKER_CONFIG: desktop, DOCKER_CONTEXT: 'default' }));
    expect(none.endpoints.map((e) => e.source)).not.toContain('docker context');
    expect(none.problems).toEqual([]);
  });

  it('reads ~/.docker when DOCKER_CONFIG is not set, and /run/user/<uid> without XDG_RUNTIME_DIR', async () => {
    const dir = await tempDir();
    await fs.cp(fixturePath('docker', 'config-desktop-context'), path.join(dir, 'home', '.docker'), { recursive: true });
    const config = testConfig({ dir, env: {}, identity: identity({ uid: 1000, home: path.join(dir, 'home') }) });
    const { endpoints } = await dockerEndpointCandidates(config);
    expect(endpoints[0]).toMatchObject({ source: 'docker context', contextName: 'desktop-linux' });
    expect(endpoints.find((e) => e.source === 'rootless socket')?.address).toBe('unix:///run/user/1000/docker.sock');
  });

  it('reports a selected context whose meta.json is missing', async () => {
    const dir = await tempDir();
    const configDir = fixturePath('docker', 'config-dangling-context');
    const { endpoints, problems } = await dockerEndpointCandidates(configIn(dir, { DOCKER_CONFIG: configDir }));
    expect(endpoints.map((e) => e.source)).not.toContain('docker context');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.contextName).toBe('colima');
    expect(problems[0]?.message).toMatch(/^docker context "colima" is selected but .*\/contexts\/meta\/[0-9a-f]{64}\/meta\.json does not exist$/);
  });

  it('reports a context whose meta.json is not valid JSON, or has no Docker endpoint', async () => {
    const dir = await tempDir();
    const broken = await dockerEndpointCandidates(configIn(dir, { DOCKER_CONFIG: fixturePath('docker', 'config-broken-context') }));
    expect(broken.problems[0]?.contextName).toBe('rancher-desktop');
    expect(broken.problems[0]?.message).toContain('is not valid JSON');

    const configDir = path.join(dir, 'docker-config');
    await fs.cp(fixturePath('docker', 'config-desktop-context'), configDir, { recursive: true });
    const meta = path.join(configDir, 'contexts', 'meta', 'fe9c6bd7a66301f49ca9b6a70b217107cd1284598bfc254700c989b916da791e', 'meta.json');
    await fs.writeFile(meta, '{"Name":"desktop-linux","Metadata":{},"Endpoints":{}}');
    const empty = await dockerEndpointCandidates(configIn(dir));
    expect(empty.problems[0]?.message).toBe(`docker context "desktop-linux" has no Docker endpoint in ${meta}`);
  });

  it('ignores a config.json that is not JSON or names no context', async () => {
    const dir = await tempDir();
    await fs.mkdir(path.join(dir, 'docker-config'));
    for (const text of ['not json', '{"auths":{}}', '{"currentContext":"default"}', '{"currentContext":42}']) {
      await fs.writeFile(path.join(dir, 'docker-config', 'config.json'), text);
      const { endpoints, problems } = await dockerEndpointCandidates(configIn(dir));
      expect(endpoints).toHaveLength(4);
      expect(problems).toEqual([]);
    }
  });
});

describe('probeEndpoint against real unix sockets', () => {
  const config = { env: {}, identity: identity() };

  it('missing path: missing', async () => {
    const dir = await tempDir();
    expect(await probeEndpoint(`unix://${dir}/docker.sock`, config, 2000)).toEqual({ state: 'missing', message: 'no socket there' });
  });

  it('a socket file with no listener: refused', async () => {
    const dir = await tempDir();
    await makeDeadSocket(path.join(dir, 'docker.sock'));
    expect((await fs.stat(path.join(dir, 'docker.sock'))).isSocket()).toBe(true);
    expect(await probeEndpoint(`unix://${dir}/docker.sock`, config, 2000)).toEqual({
      state: 'refused',
      message: 'the socket exists but no daemon is listening (it stopped or crashed)',
    });
  });

  it('a server answering GET /_ping: answers, with a client', async () => {
    const dir = await tempDir();
    const engine = await startFakeEngine(path.join(dir, 'docker.sock'), {
      version: await readFixture('docker', 'this-machine-version.json'),
      info: await readFixture('docker', 'this-machine-info.json'),
    });
    cleanups.push(engine.close);
    const probe = await probeEndpoint(`unix://${engine.socket}`, config, 2000);
    expect(probe.state).toBe('answers');
    expect(probe.docker).toBeDefined();
    expect(engine.requests).toEqual(['/_ping']);
  });

  it('a server that accepts and never answers: timeout', async () => {
    const dir = await tempDir();
    const silent = await startSilentServer(path.join(dir, 'docker.sock'));
    cleanups.push(silent.close);
    expect(await probeEndpoint(`unix://${dir}/docker.sock`, config, 150)).toEqual({
      state: 'timeout',
      message: 'no answer within 0.15 s (the daemon may be hung)',
    });
  });

  it('an address it cannot use: error, with the reason', async () => {
    const probe = await probeEndpoint('npipe:////./pipe/docker_engine', config, 2000);
    expect(probe.state).toBe('error');
    expect(probe.message).toContain('unsupported Docker endpoint scheme "npipe:"');
  });
});

describe('observeDocker against fake engines', () => {
  async function observeIn(dir: string, env: Record<string, string | undefined> = {}, tree = 'debian-pvm-firecracker') {
    const config = { ...configIn(dir, env), roots: rootsUnder(fixturePath('host', tree)) };
    return observeDocker(config, await readAccounts(config.roots));
  }

  it("this machine's dockerd on the rootful socket: same kernel as the host", async () => {
    const dir = await tempDir();
    const engine = await startFakeEngine(path.join(dir, 'docker.sock'), {
      version: await readFixture('docker', 'this-machine-version.json'),
      info: await readFixture('docker', 'this-machine-info.json'),
    });
    cleanups.push(engine.close);
    const observation = await observeIn(dir);
    expect(observation.endpoints.map((e) => [e.endpoint.source, e.state])).toEqual([
      ['rootful socket', 'answers'],
      ['rootless socket', 'missing'],
      ['Podman socket (rootless)', 'missing'],
      ['Podman socket (rootful)', 'missing'],
    ]);
    expect(observation.hostKernel).toBe('6.18.44-fc-v595');
    expect(observation.engine).toEqual({
      product: 'Docker Engine',
      serverVersion: '20.10.24+dfsg1',
      apiVersion: '1.41',
      operatingSystem: 'Debian GNU/Linux 12 (bookworm)',
      storageDriver: 'overlay2',
      cgroupDriver: 'cgroupfs',
      cgroupVersion: '1',
      kernelVersion: '6.18.44-fc-v595',
    });
    const section = assessDocker(observation, fixContext({ user: 'root', isRoot: true }));
    expect(section.status).toBe('ok');
    expect(section.summary).toBe(`Docker Engine 20.10.24+dfsg1 via unix://${dir}/docker.sock`);
    expect(check(section.checks, 'docker.engine').summary).toBe(
      'Docker Engine 20.10.24+dfsg1 (API 1.41) on Debian GNU/Linux 12 (bookworm): overlay2 storage, cgroupfs cgroup driver, cgroup v1.',
    );
    expect(check(section.checks, 'docker.kernel').summary).toBe('Same kernel as this host (6.18.44-fc-v595): containers share it.');
    expect(section.facts.engine?.runsInVm).toBe(false);
    expect(section.facts.endpoints.map((e) => e.used)).toEqual([true, false, false, false]);
  });

  it('Docker Desktop through DOCKER_HOST: its kernel differs, so it runs in a VM', async () => {
    const dir = await tempDir();
    const engine = await startFakeEngine(path.join(dir, 'desktop.sock'), {
      version: await readFixture('docker', 'desktop-version.json'),
      info: await readFixture('docker', 'desktop-info.json'),
    });
    cleanups.push(engine.close);
    const observation = await observeIn(dir, { DOCKER_HOST: `unix://${engine.socket}` });
    expect(observation.engine).toMatchObject({ product: 'Docker Desktop 4.33.0 (160616)', kernelVersion: '4.19.76-linuxkit' });
    const section = assessDocker(observation, fixContext());
    expect(section.facts.engine).toMatchObject({ runsInVm: true, hostKernel: '6.18.44-fc-v595', operatingSystem: 'Docker Desktop' });
    expect(check(section.checks, 'docker.kernel').summary).toContain('runs inside a VM');
    expect(check(section.checks, 'docker.endpoint').summary).toBe(`unix://${engine.socket} (DOCKER_HOST) answers.`);
  });

  it("a Podman engine on the rootless Podman socket is named Podman Engine, whatever its Platform says", async () => {
    const dir = await tempDir();
    await fs.mkdir(path.join(dir, 'xdg', 'podman'), { recursive: true });
    const engine = await startFakeEngine(path.join(dir, 'xdg', 'podman', 'podman.sock'), {
      version: await readFixture('docker', 'podman-version.json'),
      info: await readFixture('docker', 'podman-info.json'),
    });
    cleanups.push(engine.close);
    const observation = await observeIn(dir);
    expect(observation.endpoints.find((e) => e.state === 'answers')?.endpoint.source).toBe('Podman socket (rootless)');
    expect(observation.engine).toMatchObject({
      product: 'Podman Engine',
      serverVersion: '3.0.1',
      apiVersion: '1.40',
      operatingSystem: 'ubuntu',
      storageDriver: 'overlay',
      cgroupDriver: 'systemd',
    });
    expect(assessDocker(observation, fixContext()).summary).toBe(`Podman Engine 3.0.1 via unix://${engine.socket}`);
  });

  it('an engine that answers the ping but fails the version request', async () => {
    const dir = await tempDir();
    const engine = await startFakeEngine(path.join(dir, 'docker.sock'), {
      version: '{"message":"server error"}',
      versionStatus: 500,
      info: await readFixture('docker', 'this-machine-info.json'),
    });
    cleanups.push(engine.close);
    const observation = await observeIn(dir);
    expect(observation.engine).toBeUndefined();
    expect(observation.engineError?.message).toMatch(/^Reading the engine version: /);
    const section = assessDocker(observation, fixContext());
    expect(section.status).toBe('error');
    expect(check(section.checks, 'docker.engine').status).toBe('error');
    expect(section.summary).toBe(`unix://${dir}/docker.sock answers, but the engine's version could not be read`);
  });

  it('DOCKER_HOST refused while the rootful socket answers: a warning, and Isolab uses the rootful one', async () => {
    const dir = await tempDir();
    await makeDeadSocket(path.join(dir, 'stale.sock'));
    const engine = await startFakeEngine(path.join(dir, 'docker.sock'), {
      version: await readFixture('docker', 'this-machine-version.json'),
      info: await readFixture('docker', 'this-machine-info.json'),
    });
    cleanups.push(engine.close);
    const observation = await observeIn(dir, { DOCKER_HOST: `unix://${dir}/stale.sock` });
    const section = assessDocker(observation, fixContext());
    expect(section.status).toBe('warning');
    expect(check(section.checks, 'docker.endpoint').summary).toBe(`unix://${dir}/docker.sock (rootful socket) answers.`);
    expect(check(section.checks, 'docker.configured.docker-host')).toMatchObject({
      status: 'warning',
      summary:
        `unix://${dir}/stale.sock: the socket exists but no daemon is listening (it stopped or crashed). ` +
        `Isolab uses unix://${dir}/docker.sock instead; the docker CLI would fail.`,
    });
  });

  it('nothing listens anywhere and nothing is installed on this PATH', async () => {
    const dir = await tempDir();
    const observation = await observeIn(dir, {}, 'intel-vt-disabled');
    expect(observation.endpoints.every((e) => e.state === 'missing')).toBe(true);
    expect(observation.hostKernel).toBe('unknown');
    expect(observation.engine).toBeUndefined();
    expect(observation.installed).toEqual({ dockerd: false, podman: false });
  });
});

describe('assessDocker', () => {
  function endpoint(source: ObservedEndpoint['endpoint']['source'], address: string, state: ObservedEndpoint['state'], message: string): ObservedEndpoint {
    return { endpoint: { source, address }, state, message };
  }

  function observation(endpoints: ObservedEndpoint[], overrides: Partial<DockerObservation> = {}): DockerObservation {
    return { endpoints, contextProblems: [], hostKernel: '6.1.0-28-amd64', installed: { dockerd: true, podman: false }, ...overrides };
  }

  const rest = [
    endpoint('rootless socket', 'unix:///run/user/1001/docker.sock', 'missing', 'no socket there'),
    endpoint('Podman socket (rootless)', 'unix:///run/user/1001/podman/podman.sock', 'missing', 'no socket there'),
    endpoint('Podman socket (rootful)', 'unix:///run/podman/podman.sock', 'missing', 'no socket there'),
  ];

  const deniedRootful: ObservedEndpoint = {
    ...endpoint('rootful socket', 'unix:///var/run/docker.sock', 'permission-denied', 'permission denied'),
    access: {
      path: '/var/run/docker.sock',
      exists: true,
      accessible: false,
      kind: 'socket',
      mode: '0660',
      permissions: 'rw-rw----',
      owner: 'root',
      group: 'docker',
    },
  };

  it('EACCES on the rootful socket: join the docker group, naming the socket\'s mode, owner and group', () => {
    const section = assessDocker(observation([deniedRootful, ...rest]), fixContext());
    expect(section.status).toBe('error');
    expect(section.summary).toBe('No Docker endpoint answers');
    const endpointCheck = check(section.checks, 'docker.endpoint');
    expect(endpointCheck.detail).toContain('/var/run/docker.sock (/var/run/docker.sock is rw-rw---- root:docker): permission denied.');
    expect(endpointCheck.detail).toContain('members of the docker group');
    expect(endpointCheck.fix?.command).toBe('sudo usermod -aG docker isolab-test');
    expect(section.facts.endpoints[0]?.message).toBe('permission denied (/var/run/docker.sock is rw-rw---- root:docker)');
    expect(section.facts.engine).toBeNull();
  });

  it('EACCES on a socket of another group names that group', () => {
    const other = { ...deniedRootful, access: { ...deniedRootful.access!, group: 'wheel' } };
    expect(check(assessDocker(observation([other, ...rest]), fixContext()).checks, 'docker.endpoint').fix?.command).toBe(
      'sudo usermod -aG wheel isolab-test',
    );
  });

  it('DOCKER_HOST naming the rootful socket that refuses this user: still the docker group fix', () => {
    const viaDockerHost = { ...deniedRootful, endpoint: { source: 'DOCKER_HOST' as const, address: 'unix:///var/run/docker.sock' } };
    const endpointCheck = check(assessDocker(observation([viaDockerHost, ...rest]), fixContext()).checks, 'docker.endpoint');
    expect(endpointCheck.fix?.command).toBe('sudo usermod -aG docker isolab-test');
  });

  it.each([
    ['refused', 'the socket exists but no daemon is listening (it stopped or crashed)'],
    ['timeout', 'no answer within 5 s (the daemon may be hung)'],
  ] as const)('%s on the rootful socket: restart the daemon', (state, message) => {
    const stuck = endpoint('rootful socket', 'unix:///var/run/docker.sock', state, message);
    const withSystemd = check(assessDocker(observation([stuck, ...rest]), fixContext({ systemd: true })).checks, 'docker.endpoint');
    expect(withSystemd.detail).toBe(`unix:///var/run/docker.sock: ${message}.`);
    expect(withSystemd.fix?.command).toBe('sudo systemctl restart docker');
    expect(check(assessDocker(observation([stuck, ...rest]), fixContext()).checks, 'docker.endpoint').fix?.command).toBe(
      'sudo service docker restart',
    );
  });

  it.each([
    ['debian', false, false, 'sudo apt install docker.io'],
    ['fedora', false, false, 'sudo dnf install moby-engine'],
    ['fedora', true, false, 'dnf install moby-engine'],
    ['debian', false, true, 'sudo service docker start'],
  ] as const)('nothing answers on %s (root %s, dockerd installed %s): %s', (distro, isRoot, dockerd, command) => {
    const missing = endpoint('rootful socket', 'unix:///var/run/docker.sock', 'missing', 'no socket there');
    const section = assessDocker(observation([missing, ...rest], { installed: { dockerd, podman: false } }), fixContext({ distro, isRoot }));
    const endpointCheck = check(section.checks, 'docker.endpoint');
    expect(endpointCheck.fix?.command).toBe(command);
    expect(endpointCheck.detail).toBe(
      dockerd ? 'dockerd is installed but not running: none of the sockets exists.' : 'No Docker Engine is installed here, and no socket answers.',
    );
  });

  it('a failing DOCKER_HOST or context with nothing else answering: stop pointing there', () => {
    const missing = endpoint('rootful socket', 'unix:///var/run/docker.sock', 'missing', 'no socket there');
    const dockerHost = endpoint('DOCKER_HOST', 'tcp://192.0.2.10:2375', 'error', 'connect EHOSTUNREACH 192.0.2.10:2375');
    const viaHost = check(assessDocker(observation([dockerHost, missing, ...rest]), fixContext()).checks, 'docker.endpoint');
    expect(viaHost.detail).toBe('DOCKER_HOST points to tcp://192.0.2.10:2375: connect EHOSTUNREACH 192.0.2.10:2375.');
    expect(viaHost.fix?.command).toBe('unset DOCKER_HOST');
    const context: ObservedEndpoint = {
      endpoint: { source: 'docker context', address: 'unix:///home/alice/.docker/desktop/docker.sock', contextName: 'desktop-linux' },
      state: 'missing',
      message: 'no socket there',
    };
    const viaContext = check(assessDocker(observation([context, missing, ...rest]), fixContext()).checks, 'docker.endpoint');
    expect(viaContext.detail).toBe('docker context "desktop-linux" points to unix:///home/alice/.docker/desktop/docker.sock: no socket there.');
    expect(viaContext.fix?.command).toBe('docker context use default');
  });

  it('a context problem is its own warning', () => {
    const answering = endpoint('rootful socket', 'unix:///var/run/docker.sock', 'answers', 'answers');
    const section = assessDocker(
      observation([answering, ...rest], { contextProblems: [{ contextName: 'colima', message: 'docker context "colima" is selected but x does not exist' }] }),
      fixContext(),
    );
    expect(check(section.checks, 'docker.context')).toMatchObject({
      status: 'warning',
      label: 'docker context "colima"',
      fix: { command: 'docker context use default' },
    });
    expect(section.summary).toBe("unix:///var/run/docker.sock answers, but the engine's version could not be read");
  });
});
