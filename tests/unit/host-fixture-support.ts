// Shared by the unit tests (host-*, vm-*): fixture paths, reads and copies, a fake CommandRunner that replays recorded
// virsh outputs, tiny HTTP servers on unix sockets that play a Docker Engine, and backend configs for them.
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type BackendConfig, type HostRoots, type UserIdentity } from '../../electron/backend/config';
import type { CommandRunner, RunOptions, RunResult } from '../../electron/backend/exec';
import type { FixContext } from '../../electron/backend/host/fixes';

export const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function fixturePath(...parts: string[]): string {
  return path.join(fixturesDir, ...parts);
}

export async function readFixture(...parts: string[]): Promise<string> {
  return fs.readFile(fixturePath(...parts), 'utf8');
}

/** A file recorded from libvirt (tests/fixtures/libvirt/<name>). */
export function readLibvirtFixture(name: string): Promise<string> {
  return readFixture('libvirt', name);
}

export function rootsUnder(dir: string): HostRoots {
  return {
    proc: path.join(dir, 'proc'),
    sys: path.join(dir, 'sys'),
    dev: path.join(dir, 'dev'),
    etc: path.join(dir, 'etc'),
    run: path.join(dir, 'run'),
  };
}

export async function makeTempDir(prefix = 'isolab-host-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/**
 * Copies tests/fixtures/host/<name> into a fresh temp dir, so a test may set file modes (git keeps none
 * but the executable bit) or change a parameter without touching the fixture itself.
 */
export async function copyHostFixture(name: string): Promise<{ dir: string; roots: HostRoots }> {
  const dir = await makeTempDir(`isolab-${name}-`);
  await fs.cp(fixturePath('host', name), dir, { recursive: true });
  return { dir, roots: rootsUnder(dir) };
}

export function fixContext(overrides: Partial<FixContext> = {}): FixContext {
  return { distro: 'debian', systemd: false, isRoot: false, user: 'isolab-test', ...overrides };
}

export function identity(overrides: Partial<UserIdentity> = {}): UserIdentity {
  return { uid: 1001, gid: 1001, groups: [1001], name: 'isolab-test', home: '/home/isolab-test', ...overrides };
}

export function testConfig(overrides: Partial<BackendConfig> & { dir: string }): BackendConfig {
  const { dir, ...rest } = overrides;
  return loadConfig({
    env: { PATH: path.join(dir, 'bin'), XDG_RUNTIME_DIR: path.join(dir, 'xdg'), DOCKER_CONFIG: path.join(dir, 'docker-config') },
    identity: identity({ home: path.join(dir, 'home') }),
    roots: rootsUnder(dir),
    paths: { runtimeDir: path.join(dir, 'xdg', 'isolab'), settingsFile: path.join(dir, 'config', 'isolab', 'settings.json') },
    docker: { rootfulSocket: path.join(dir, 'docker.sock'), podmanRootfulSocket: path.join(dir, 'podman.sock') },
    libvirt: { uris: ['qemu:///system', 'qemu:///session'] },
    programPath: path.join(dir, 'bin'),
    checkTimeoutMs: 2000,
    ...rest,
  });
}

export type Reply = Partial<RunResult> | Error;

export interface FakeRunner {
  run: CommandRunner;
  calls: { file: string; args: readonly string[]; options: RunOptions }[];
  /** Calls that had no recorded reply. */
  unexpected: string[];
}

/**
 * Replays recorded virsh outputs. Keys are "--version" or "<uri> <virsh args>", e.g.
 * "qemu:///system net-info default"; a reply that is an Error is thrown as runCommand would.
 */
export function fakeVirshRunner(replies: Record<string, Reply>): FakeRunner {
  const calls: FakeRunner['calls'] = [];
  const unexpected: string[] = [];
  const run: CommandRunner = async (file, args, options) => {
    calls.push({ file, args, options });
    const key = args[0] === '--quiet' && args[1] === '--connect' ? `${args[2]} ${args.slice(3).join(' ')}` : args.join(' ');
    const reply = replies[key];
    if (reply === undefined) {
      unexpected.push(key);
      return { stdout: '', stderr: `error: no recorded reply for ${key}\n`, exitCode: 1 };
    }
    if (reply instanceof Error) throw reply;
    return { stdout: reply.stdout ?? '', stderr: reply.stderr ?? '', exitCode: reply.exitCode ?? 0 };
  };
  return { run, calls, unexpected };
}

export function failed(stderr: string): Reply {
  return { stdout: '', stderr, exitCode: 1 };
}

export interface FakeEngine {
  socket: string;
  requests: string[];
  close(): Promise<void>;
}

/** An HTTP server on a unix socket answering like a Docker Engine: /_ping, /version, /info. */
export async function startFakeEngine(
  socket: string,
  answers: { version: string; info: string; versionStatus?: number },
): Promise<FakeEngine> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    const url = (request.url ?? '').replace(/^\/v[\d.]+/, '');
    requests.push(url);
    if (url === '/_ping') {
      response.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK');
    } else if (url === '/version') {
      response.writeHead(answers.versionStatus ?? 200, { 'Content-Type': 'application/json' }).end(answers.version);
    } else if (url === '/info') {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(answers.info);
    } else {
      response.writeHead(404, { 'Content-Type': 'application/json' }).end('{"message":"page not found"}');
    }
  });
  await listen(server, socket);
  return {
    socket,
    requests,
    close: () => {
      // dockerode keeps its connections alive; do not wait for them to time out.
      server.closeAllConnections();
      return closeServer(server);
    },
  };
}

/** Accepts connections and never answers: a hung daemon. */
export async function startSilentServer(socket: string): Promise<{ close(): Promise<void> }> {
  const connections = new Set<net.Socket>();
  const server = net.createServer((connection) => {
    connections.add(connection);
    connection.on('close', () => connections.delete(connection));
  });
  await listen(server, socket);
  return {
    close: async () => {
      for (const connection of connections) connection.destroy();
      await closeServer(server);
    },
  };
}

/**
 * Leaves a socket file that nobody listens on, as a crashed daemon does: listen, move the socket file
 * aside to `socket`, then close the server (which removes only its original name).
 */
export async function makeDeadSocket(socket: string): Promise<void> {
  const server = net.createServer();
  const original = `${socket}.live`;
  await listen(server, original);
  await fs.rename(original, socket);
  await closeServer(server);
}

function listen(server: net.Server, socket: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => resolve());
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** An executable stand-in for a program, so that findOnPath finds it in a test's own PATH. */
export async function fakeProgram(binDir: string, name: string): Promise<void> {
  await fs.mkdir(binDir, { recursive: true });
  await fs.writeFile(path.join(binDir, name), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
}
