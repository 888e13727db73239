// What the Docker integration tests need around the backend: an RPC client over the in-memory transport to a
// fresh backend, the docker CLI to check and clean up with, and waiting for a condition without a fixed sleep.
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { api, type Api } from '@shared/api';
import { createRpcClient, type RpcClient } from '@shared/rpc-client';
import { createBackend, type Backend } from '../../../electron/backend/index';
import { createRpcServer } from '../../../electron/backend/rpc-server';
import { connectInMemory } from '../../helpers/in-memory-transport';

export const testImage = 'local/busybox:latest';

export interface TestBackend {
  backend: Backend;
  client: RpcClient<Api>;
  /** The in-memory link: its server-side connection shows what the server still holds for this client. */
  link: ReturnType<typeof connectInMemory>;
  close(): void;
}

export function startBackend(name = 'docker-test'): TestBackend {
  const backend = createBackend();
  const rpc = createRpcServer(api, backend.handlers);
  const link = connectInMemory(rpc, name);
  return {
    backend,
    client: createRpcClient<Api>(link.transport),
    link,
    close() {
      link.disconnect();
      backend.dispose();
    },
  };
}

export function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** The docker CLI for cleanup of something a failed test may never have made: its failure is ignored. */
export function dockerQuiet(...args: string[]): void {
  try {
    docker(...args);
  } catch {
    // Nothing to remove.
  }
}

/** Names of the containers (any state) whose name starts with `prefix`. */
export function containersNamed(prefix: string): string[] {
  return docker('ps', '-a', '--filter', `name=^/${prefix}`, '--format', '{{.Names}}').split('\n').filter(Boolean);
}

export function volumesNamed(prefix: string): string[] {
  return docker('volume', 'ls', '--filter', `name=^${prefix}`, '--format', '{{.Name}}').split('\n').filter(Boolean);
}

/** Removes every container, then every volume, whose name starts with `prefix`. */
export function removeTestObjects(prefix: string): void {
  const containers = containersNamed(prefix);
  if (containers.length > 0) docker('rm', '-f', '-v', ...containers);
  const volumes = volumesNamed(prefix);
  if (volumes.length > 0) docker('volume', 'rm', '-f', ...volumes);
}

export function inspectJson<T = Record<string, unknown>>(name: string): T {
  return (JSON.parse(docker('inspect', name)) as T[])[0]!;
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `check` until it returns a value other than undefined; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
