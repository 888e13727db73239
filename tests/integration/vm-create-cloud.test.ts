// The cloud-image path of the create wizard against the real libvirtd: a local image and one downloaded from a
// local HTTP server (right and wrong SHA-256), copied into a pool and grown, with a NoCloud seed read back with isoinfo.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { VmCreateSpecInput } from '@shared/vm-create-schemas';
import { startBackend } from './helpers/docker-cli';
import { createVm, makePool, names, prefix, removeDomains, removeEverythingCreated, systemUri, virsh, volumesOf } from './helpers/vm-create-support';
import { makeTestFolder, qemuImg } from './helpers/vm-guest';

const run = Date.now().toString(36);
const test = startBackend('vm-create-cloud-test');
const { client } = test;
const sshKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBvZ7kq0b2nFq8P3m1r5R0m2b5x8l6yE0cJ8u8Gm3G1X me@laptop';
let pool: { name: string; path: string };
let files: string;
let image: string;
let imageSha256: string;
let server: http.Server | undefined;
let baseUrl: string;
const requests: string[] = [];

function isoFile(iso: string, name: string): string {
  return execFileSync('isoinfo', ['-i', iso, '-J', '-x', `/${name}`], { encoding: 'utf8' });
}

type CloudImage = Extract<VmCreateSpecInput['source'], { kind: 'cloudImage' }>['image'];

function spec(name: string, image: CloudImage): VmCreateSpecInput {
  return {
    uri: systemUri,
    name,
    osId: 'debian11',
    memoryMiB: 512,
    vcpus: 1,
    network: { kind: 'none' },
    start: false,
    source: {
      kind: 'cloudImage',
      image,
      disk: { pool: pool.name, sizeGiB: 2 },
      cloudInit: { hostname: 'cloud-guest', user: 'alice', password: 'correct horse', sshAuthorizedKeys: [sshKey], packages: ['qemu-guest-agent', 'htop'] },
    },
  };
}

beforeAll(async () => {
  removeEverythingCreated();
  pool = makePool('cloud', run);
  files = makeTestFolder(`${prefix}cloud-files-`);
  image = path.join(files, 'cloud.qcow2');
  qemuImg('create', '-q', '-f', 'qcow2', image, '96M');
  // Some data, so the upload and the checksum cover more than a header.
  execFileSync('qemu-io', ['-c', 'write -P 0x5a 0 4M', image], { stdio: 'ignore' });
  imageSha256 = createHash('sha256').update(fs.readFileSync(image)).digest('hex');
  server = http.createServer((request, response) => {
    requests.push(request.url ?? '');
    if (request.url === '/images/slow.qcow2') {
      // A download that takes a minute: 64 KiB every 100 ms, so a test can cancel it midway.
      response.writeHead(200, { 'content-length': 64 * 1024 * 600 });
      const timer = setInterval(() => response.write(Buffer.alloc(64 * 1024)), 100);
      response.on('close', () => clearInterval(timer));
      return;
    }
    if (request.url !== '/images/cloud.qcow2') {
      response.writeHead(404).end('not here');
      return;
    }
    response.writeHead(200, { 'content-length': fs.statSync(image).size, 'content-type': 'application/octet-stream' });
    fs.createReadStream(image).pipe(response);
  });
  const listening = server;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
});
afterEach(() => removeDomains());
afterAll(async () => {
  removeEverythingCreated();
  fs.rmSync(files, { recursive: true, force: true });
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  test.close();
});

function leftovers(): string[] {
  return fs.readdirSync(os.tmpdir()).filter((entry) => entry.startsWith('isolab-create-') || entry.startsWith('isolab-seed-'));
}

describe('cloud image + cloud-init', () => {
  it('copies a local image into the pool, grows it, and attaches a NoCloud seed with the user, key and packages', async () => {
    const name = `${prefix}cloud-${run}`;
    const outcome = await createVm(client, spec(name, { from: 'file', path: image, sha256: imageSha256 }));
    expect(outcome.error).toBeUndefined();
    expect(outcome.events.map((event) => event.step)).toEqual(['checking', 'verifying', 'preparing-disk', 'building-seed', 'defining', 'done']);
    expect(volumesOf(pool.name).sort()).toEqual([`${name}-cidata.iso`, `${name}.qcow2`]);

    const disk = JSON.parse(qemuImg('info', '--output=json', path.join(pool.path, `${name}.qcow2`))) as { format: string; 'virtual-size': number };
    expect(disk).toMatchObject({ format: 'qcow2', 'virtual-size': 2 * 1024 ** 3 });
    expect(qemuImg('compare', '-q', image, path.join(pool.path, `${name}.qcow2`)).trim()).toBe('');

    const seed = path.join(pool.path, `${name}-cidata.iso`);
    expect(execFileSync('isoinfo', ['-d', '-i', seed], { encoding: 'utf8' })).toMatch(/Volume id: cidata/);
    const metaData = JSON.parse(isoFile(seed, 'meta-data')) as Record<string, string>;
    expect(metaData['local-hostname']).toBe('cloud-guest');
    expect(metaData['instance-id']).toMatch(new RegExp(`^${name}-[0-9a-f-]{36}$`));
    const userData = isoFile(seed, 'user-data');
    expect(userData.startsWith('#cloud-config\n')).toBe(true);
    const config = JSON.parse(userData.slice('#cloud-config\n'.length)) as { hostname: string; users: Record<string, unknown>[]; ssh_pwauth: boolean; packages: string[] };
    expect(config).toMatchObject({ hostname: 'cloud-guest', ssh_pwauth: true, packages: ['qemu-guest-agent', 'htop'] });
    expect(config.users[0]).toMatchObject({ name: 'alice', lock_passwd: false, ssh_authorized_keys: [sshKey] });
    const hash = config.users[0]?.passwd as string;
    expect(hash).toMatch(/^\$6\$/);
    expect(userData).not.toContain('correct horse');
    const salt = hash.split('$')[2] ?? '';
    expect(execFileSync('openssl', ['passwd', '-6', '-salt', salt, 'correct horse'], { encoding: 'utf8' }).trim()).toBe(hash);

    const xml = virsh('dumpxml', '--inactive', name);
    expect(xml).toContain(`<source file='${seed}'/>`);
    expect(xml).toContain("<disk type='file' device='cdrom'>");
    expect(leftovers()).toEqual([]);
  });

  it('downloads the image from a URL with progress and a right checksum, and removes the download afterwards', async () => {
    const name = `${prefix}url-${run}`;
    const outcome = await createVm(client, spec(name, { from: 'url', url: `${baseUrl}/images/cloud.qcow2`, sha256: imageSha256.toUpperCase() }));
    expect(outcome.error).toBeUndefined();
    const downloads = outcome.events.filter((event) => event.step === 'downloading');
    expect(downloads.length).toBeGreaterThanOrEqual(2);
    expect(downloads.at(-1)?.download).toEqual({ receivedBytes: fs.statSync(image).size, totalBytes: fs.statSync(image).size });
    expect(qemuImg('compare', '-q', image, path.join(pool.path, `${name}.qcow2`)).trim()).toBe('');
    expect(leftovers()).toEqual([]);
  });

  it('a wrong checksum, a missing URL or an unreachable server leave nothing behind', async () => {
    const before = volumesOf(pool.name);
    const wrong = await createVm(client, spec(`${prefix}wrongsum-${run}`, { from: 'url', url: `${baseUrl}/images/cloud.qcow2`, sha256: '0'.repeat(64) }));
    expect(wrong.error).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('SHA-256'), detail: expect.stringContaining(imageSha256) });
    const missing = await createVm(client, spec(`${prefix}missing-${run}`, { from: 'url', url: `${baseUrl}/images/nothing.qcow2`, sha256: imageSha256 }));
    expect(missing.error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('HTTP 404') });
    const closedPort = await new Promise<number>((resolve) => {
      const probe = http.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const closed = await createVm(client, spec(`${prefix}closed-${run}`, { from: 'url', url: `http://127.0.0.1:${closedPort}/image.qcow2`, sha256: imageSha256 }));
    expect(closed.error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('ECONNREFUSED') });
    const localWrong = await createVm(client, spec(`${prefix}localsum-${run}`, { from: 'file', path: image, sha256: 'f'.repeat(64) }));
    expect(localWrong.error).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('SHA-256') });

    expect(volumesOf(pool.name)).toEqual(before);
    expect(names('list')).toEqual([]);
    expect(leftovers()).toEqual([]);
  });

  it('cancelling (unsubscribing) during the download removes the partial file and makes nothing', async () => {
    const name = `${prefix}cancel-${run}`;
    const events: string[] = [];
    await new Promise<void>((resolve) => {
      const subscription = client.subscribe('vmCreate.create', { spec: spec(name, { from: 'url', url: `${baseUrl}/images/slow.qcow2`, sha256: imageSha256 }) }, {
        next: (event) => {
          events.push(event.step);
          if (event.step === 'downloading' && (event.download?.receivedBytes ?? 0) > 0) {
            subscription.unsubscribe();
            resolve();
          }
        },
        error: () => resolve(),
      });
    });
    expect(events).toContain('downloading');
    await expect.poll(leftovers, { timeout: 10_000 }).toEqual([]);
    expect(names('list')).toEqual([]);
    expect(volumesOf(pool.name).filter((volume) => volume.startsWith(name))).toEqual([]);
  });

  it('refuses a disk smaller than the image and a cloud-init user nobody can log in as', async () => {
    const big = path.join(files, 'big.qcow2');
    qemuImg('create', '-q', '-f', 'qcow2', big, '3G');
    const tooSmall = await createVm(client, spec(`${prefix}small-${run}`, { from: 'file', path: big }));
    expect(tooSmall.error).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'The image is 3.0 GiB: make the disk at least that large.' });
    const nobody = await createVm(client, {
      ...spec(`${prefix}nobody-${run}`, { from: 'file', path: image }),
      source: { kind: 'cloudImage', image: { from: 'file', path: image }, disk: { pool: pool.name, sizeGiB: 2 }, cloudInit: { hostname: 'x', user: 'bob' } },
    });
    expect(nobody.error).toMatchObject({ code: 'INVALID_ARGUMENT', detail: expect.stringContaining('Give a password or an SSH key') });
    expect(names('list')).toEqual([]);
  });
});
