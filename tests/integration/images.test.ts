// The images methods and the images.pull stream through the RPC server, against the real dockerd and the real
// registry on 127.0.0.1:5000 from tests/env; every result is checked with the docker CLI.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PullProgress } from '@shared/docker-types';
import type { AppError } from '@shared/errors';
import { failure } from '../helpers/failure';
import { docker, dockerQuiet, startBackend } from './helpers/docker-cli';

const registry = process.env.ISOLAB_TEST_REGISTRY ?? '127.0.0.1:5000';
const run = `${process.pid}-${Date.now().toString(36)}`;


function imageExists(reference: string): boolean {
  try {
    docker('image', 'inspect', reference);
    return true;
  } catch {
    return false;
  }
}

/** An image with one layer of random bytes: its own id and layer, so no other image shares them. */
function importRandomImage(reference: string | undefined, bytes: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isolab-test-image-'));
  try {
    fs.writeFileSync(path.join(dir, 'data.bin'), randomBytes(bytes));
    execFileSync('tar', ['-C', dir, '-cf', path.join(dir, 'layer.tar'), 'data.bin']);
    return docker('import', path.join(dir, 'layer.tar'), ...(reference ? [reference] : []));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface SlowProxy {
  /** host:port of the proxy, usable as a registry address (dockerd trusts 127.0.0.0/8 without TLS). */
  address: string;
  /** Layer downloads the engine closed while the registry was still sending. */
  readonly closedMidResponse: number;
  close(): void;
}

/** A TCP proxy to the test registry that passes 64 KiB to the engine every 125 ms, so a pull takes a while. */
async function startSlowRegistryProxy(): Promise<SlowProxy> {
  const [host, port] = registry.split(':') as [string, string];
  const sockets = new Set<net.Socket>();
  let closedMidResponse = 0;
  const server = net.createServer((engine) => {
    const upstream = net.connect(Number(port), host);
    sockets.add(engine).add(upstream);
    let sent = 0;
    let upstreamOpen = true;
    engine.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      upstream.pause();
      const slices = Array.from({ length: Math.ceil(chunk.length / 65536) }, (_, index) => chunk.subarray(index * 65536, (index + 1) * 65536));
      const sendNext = () => {
        const slice = slices.shift();
        if (engine.destroyed) return;
        if (!slice) return void upstream.resume();
        engine.write(slice);
        sent += slice.length;
        setTimeout(sendNext, 125);
      };
      sendNext();
    });
    upstream.on('close', () => {
      upstreamOpen = false;
      engine.destroy();
    });
    engine.on('close', () => {
      // Only the big layer's download carries more than 512 KiB; the engine drops small connections itself.
      if (sent > 512 * 1024 && upstreamOpen) closedMidResponse++;
      upstream.destroy();
    });
    for (const socket of [engine, upstream]) socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: proxyPort } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${proxyPort}`,
    get closedMidResponse() {
      return closedMidResponse;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

/** Puts an image in the registry and removes it locally, so the app has to pull it. */
function pushAndForget(reference: string): void {
  docker('push', '-q', reference);
  docker('image', 'rm', reference);
}

const test = startBackend();
const { client } = test;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});
afterAll(() => test.close());

interface PullOutcome {
  events: PullProgress[];
  error?: AppError;
}

function pull(reference: string): Promise<PullOutcome> {
  return new Promise((resolve) => {
    const events: PullProgress[] = [];
    client.subscribe('images.pull', { reference }, {
      next: (event) => events.push(event),
      error: (error) => resolve({ events, error }),
      end: () => resolve({ events }),
    });
  });
}

describe('images.pull', () => {
  const busybox = `${registry}/isolab-test/busybox:${run}`;
  const fresh = `${registry}/isolab-test/fresh-${run}`;
  const big = `${registry}/isolab-test/big-${run}:1`;

  beforeAll(() => {
    docker('tag', 'local/busybox:latest', busybox);
    pushAndForget(busybox);
    importRandomImage(`${fresh}:latest`, 1024 * 1024);
    pushAndForget(`${fresh}:latest`);
    importRandomImage(big, 16 * 1024 * 1024);
    pushAndForget(big);
  });
  afterAll(() => {
    for (const reference of [busybox, `${fresh}:latest`, big]) dockerQuiet('image', 'rm', reference);
  });

  it('pulls local/busybox back from the registry: the engine has its image already, so no layer moves', async () => {
    const { events, error } = await pull(busybox);
    cleanups.push(() => dockerQuiet('image', 'rm', busybox));

    expect(error).toBeUndefined();
    const last = events.at(-1)!;
    expect(last.done).toBe(true);
    expect(events.slice(0, -1).every((event) => !event.done)).toBe(true);
    expect(last.reference).toBe(busybox);
    expect(last.layers).toEqual([]);
    expect(last.status).toBe(`Status: Downloaded newer image for ${busybox}`);
    expect(docker('image', 'inspect', '--format', '{{.Id}}', busybox)).toBe(docker('image', 'inspect', '--format', '{{.Id}}', 'local/busybox:latest'));
  });

  it('pulls a new layer with its size, and a reference without a tag means :latest', async () => {
    const { events, error } = await pull(fresh);
    cleanups.push(() => dockerQuiet('image', 'rm', `${fresh}:latest`));

    expect(error).toBeUndefined();
    expect(events.length).toBeGreaterThanOrEqual(2);
    const last = events.at(-1)!;
    expect(last.reference).toBe(`${fresh}:latest`);
    expect(last.done).toBe(true);
    expect(last.layers).toHaveLength(1);
    const layer = last.layers[0]!;
    expect(layer.status).toBe('Pull complete');
    expect(layer.total).toBeGreaterThan(1024 * 1024);
    expect(layer.current).toBe(layer.total);
    expect([last.current, last.total]).toEqual([layer.total, layer.total]);
    expect(imageExists(`${fresh}:latest`)).toBe(true);
  });

  it('gives NOT_FOUND for a repository the registry does not have', async () => {
    const { error, events } = await pull(`${registry}/isolab-test/does-not-exist`);
    expect(events.every((event) => !event.done)).toBe(true);
    expect(error?.code).toBe('NOT_FOUND');
    expect(error?.message).toContain('manifest unknown');
    expect(error?.fix?.command).toBe(`docker login ${registry}`);
  });

  it('gives UNAVAILABLE, with the engine\'s text, for a registry where nothing listens', async () => {
    const { error } = await pull('127.0.0.1:5999/isolab-test/busybox:1');
    expect(error?.code).toBe('UNAVAILABLE');
    expect(error?.message).toContain('connection refused');
    expect(error?.fix?.text).toContain('127.0.0.1:5999');
  });

  it('refuses an image id or a malformed reference before asking the engine', async () => {
    const id = docker('image', 'inspect', '--format', '{{.Id}}', 'local/busybox:latest');
    for (const reference of [id, 'Local/BusyBox', '']) {
      const { error, events } = await pull(reference);
      expect(events).toEqual([]);
      expect(error?.code).toBe('INVALID_ARGUMENT');
    }
  });

  it('shows a slow layer download as it goes, and unsubscribing makes the engine drop the download', async () => {
    const proxy = await startSlowRegistryProxy();
    cleanups.push(() => proxy.close());
    const reference = big.replace(registry, proxy.address);
    cleanups.push(() => dockerQuiet('image', 'rm', reference));
    const seen: PullProgress[] = [];
    const after: string[] = [];
    await new Promise<void>((resolve) => {
      const subscription = client.subscribe('images.pull', { reference }, {
        next: (event) => {
          seen.push(event);
          if (event.layers.some((layer) => layer.status === 'Downloading' && layer.current > 1024 * 1024)) {
            subscription.unsubscribe();
            resolve();
          }
        },
        error: (error) => after.push(`error ${error.code}`),
        end: () => after.push('end'),
      });
    });
    const downloading = seen.at(-1)!;
    expect(downloading.done).toBe(false);
    expect(downloading.total).toBeGreaterThan(downloading.current);
    expect(downloading.current).toBeGreaterThan(0);

    // The throttled blob would take half a minute: its connection closes early only because the engine gave up.
    await expect.poll(() => proxy.closedMidResponse, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(test.link.connection.openSubscriptions).toBe(0);
    expect(after).toEqual([]);
    expect(imageExists(reference)).toBe(false);
  });
});

describe('images methods', () => {
  it('lists images with tags, digests, size and how many containers use each', async () => {
    const reference = `isolab-test-list-${run}:1`;
    const id = importRandomImage(reference, 4096);
    const container = `isolab-test-list-user-${run}`;
    cleanups.push(() => dockerQuiet('image', 'rm', '-f', id));
    docker('create', '--name', container, reference, '/nothing');
    cleanups.push(() => dockerQuiet('rm', '-f', container));

    const images = await client.call('images.list', {});
    const found = images.find((image) => image.id === id);
    expect(found).toMatchObject({ tags: [reference], digests: [], containers: 1, dangling: false });
    expect(found?.size).toBe(Number(docker('image', 'inspect', '--format', '{{.Size}}', id)));
    const busybox = images.find((image) => image.tags.includes('local/busybox:latest'));
    expect(busybox?.containers).toBe(Number(docker('ps', '-aq', '--filter', `ancestor=${busybox!.id}`).split('\n').filter(Boolean).length));
    expect(images.flatMap((image) => image.tags)).not.toContain('<none>:<none>');
  });

  it('inspects an image: config, root fs layers and history, as docker image inspect shows them', async () => {
    const detail = await client.call('images.inspect', { id: 'local/busybox:latest' });
    const raw = JSON.parse(docker('image', 'inspect', 'local/busybox:latest')) as [{ Id: string; RootFS: { Layers: string[] } }];

    expect(detail.id).toBe(raw[0].Id);
    expect(detail.tags).toContain('local/busybox:latest');
    expect(detail.config.cmd).toEqual(['/bin/sh']);
    expect(detail.config.env).toContain('PATH=/bin');
    expect(detail.rootFsLayers).toEqual(raw[0].RootFS.Layers);
    expect(detail.history).toHaveLength(1);
    expect(detail.history[0]).toMatchObject({ id: raw[0].Id, tags: ['local/busybox:latest'] });
    expect(detail.history[0]?.size).toBe(detail.size);
    expect(detail.os).toBe('linux');
    expect((detail.raw as { Id: string }).Id).toBe(raw[0].Id);
  });

  it('gives NOT_FOUND for an unknown image and INVALID_ARGUMENT for something that is no image name', async () => {
    const missing = await failure(client.call('images.inspect', { id: `isolab-test-missing-${run}:1` }));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toContain('No such image');
    expect((await failure(client.call('images.inspect', { id: 'Not An Image' }))).code).toBe('INVALID_ARGUMENT');
    expect((await failure(client.call('images.remove', { id: `isolab-test-missing-${run}:1`, force: false }))).code).toBe('NOT_FOUND');
  });

  it('tags an image, with latest when no tag is given, and refuses a digest or an unknown source', async () => {
    const withTag = `isolab-test-tagged-${run}:v1`;
    const withoutTag = `${registry}/isolab-test/tagged-${run}`;
    cleanups.push(() => dockerQuiet('image', 'rm', withTag), () => dockerQuiet('image', 'rm', `${withoutTag}:latest`));
    const id = docker('image', 'inspect', '--format', '{{.Id}}', 'local/busybox:latest');

    await client.call('images.tag', { id: 'local/busybox:latest', target: withTag });
    await client.call('images.tag', { id, target: withoutTag });

    expect(docker('image', 'inspect', '--format', '{{.Id}}', withTag)).toBe(id);
    expect(docker('image', 'inspect', '--format', '{{.Id}}', `${withoutTag}:latest`)).toBe(id);
    const digest = await failure(client.call('images.tag', { id, target: `isolab-test-tagged-${run}@sha256:${'a'.repeat(64)}` }));
    expect(digest.code).toBe('INVALID_ARGUMENT');
    const unknown = await failure(client.call('images.tag', { id: `isolab-test-missing-${run}:1`, target: withTag }));
    expect(unknown.code).toBe('NOT_FOUND');
  });

  it('removes an image, and explains the CONFLICT when a running container uses it', async () => {
    const reference = `isolab-test-remove-${run}:1`;
    const builder = `isolab-test-remove-builder-${run}`;
    docker('create', '--name', builder, 'local/busybox:latest', 'true');
    const id = docker('commit', builder, reference);
    docker('rm', builder);
    cleanups.push(() => dockerQuiet('image', 'rm', '-f', id));
    const container = `isolab-test-remove-user-${run}`;
    docker('run', '-d', '--name', container, reference, 'sleep', '300');
    cleanups.push(() => dockerQuiet('rm', '-f', container));

    const byTag = await failure(client.call('images.remove', { id: reference, force: false }));
    expect(byTag.code).toBe('CONFLICT');
    expect(byTag.message).toMatch(/^Removing image isolab-test-remove-.*: conflict: unable to remove repository reference/);
    expect(byTag.fix?.text).toBe('Stop and remove the container first, or remove with force.');
    const byId = await failure(client.call('images.remove', { id, force: true }));
    expect(byId.code).toBe('CONFLICT');
    expect(byId.message).toContain('image is being used by running container');
    expect(byId.fix?.text).toMatch(/^A running container uses this image: stop and remove that container first/);
    expect(imageExists(id)).toBe(true);

    docker('rm', '-f', container);
    await client.call('images.remove', { id: reference, force: false });
    expect(imageExists(id)).toBe(false);
  });

  it('estimates what pruning dangling images frees (not the layers they share), then prunes them', async () => {
    const id = importRandomImage(undefined, 256 * 1024);
    cleanups.push(() => dockerQuiet('image', 'rm', '-f', id));
    // A dangling child of local/busybox: pruning it frees its own layer, never the busybox layer under it.
    const builder = `isolab-test-prune-child-${run}`;
    docker('run', '--name', builder, 'local/busybox:latest', 'sh', '-c', 'head -c 131072 /dev/urandom > /extra');
    cleanups.push(() => dockerQuiet('rm', '-f', builder));
    const child = docker('commit', builder);
    cleanups.push(() => dockerQuiet('image', 'rm', '-f', child));
    docker('rm', builder);
    const size = Number(docker('image', 'inspect', '--format', '{{.Size}}', id));
    const childSize = Number(docker('image', 'inspect', '--format', '{{.Size}}', child));
    const busyboxSize = Number(docker('image', 'inspect', '--format', '{{.Size}}', 'local/busybox:latest'));

    const listed = (await client.call('images.list', {})).find((image) => image.id === id);
    expect(listed).toMatchObject({ tags: [], dangling: true, containers: 0 });
    const estimate = await client.call('images.pruneEstimate', {});
    const dangling = (await client.call('images.list', {})).filter((image) => image.dangling && image.containers === 0);
    expect(estimate.count).toBe(dangling.length);
    expect(estimate.size).toBeGreaterThanOrEqual(size + childSize - busyboxSize);
    expect(estimate.size).toBeLessThan(dangling.reduce((sum, image) => sum + image.size, 0));

    const result = await client.call('images.prune', {});
    // Image ids only, not the layers the engine also lists.
    expect(result.deleted.sort()).toEqual(dangling.map((image) => image.id).sort());
    expect(result.spaceReclaimed).toBe(estimate.size);
    expect(imageExists(id)).toBe(false);
    expect(imageExists(child)).toBe(false);
    expect(imageExists('local/busybox:latest')).toBe(true);
  });
});
