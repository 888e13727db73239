// How the doctor reads the file system: optional files, the account databases of a fixture tree, who may
// open a path (mode, owner, group), running process names from a fixture /proc, and programs on PATH.
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  describeAccess,
  findOnPath,
  inspectAccess,
  processNames,
  readAccounts,
  readOptional,
} from '../../electron/backend/host/host-files';
import { fixturePath, makeTempDir, rootsUnder } from './host-fixture-support';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await makeTempDir();
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A tree whose own account files name this process's uid and gid "tester" and "kvm". */
async function treeForThisProcess(): Promise<{ dir: string; roots: ReturnType<typeof rootsUnder> }> {
  const dir = await tempDir();
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  await fs.mkdir(path.join(dir, 'etc'), { recursive: true });
  await fs.writeFile(path.join(dir, 'etc', 'passwd'), `tester:x:${uid}:${gid}::/home/tester:/bin/sh\n`);
  await fs.writeFile(path.join(dir, 'etc', 'group'), `kvm:x:${gid}:tester\n`);
  return { dir, roots: rootsUnder(dir) };
}

describe('readOptional', () => {
  it('reads a file, and is undefined for a missing one or a directory', async () => {
    expect(await readOptional(fixturePath('host', 'intel-fedora-kvm', 'sys', 'module', 'kvm_intel', 'parameters', 'nested'))).toBe('Y\n');
    expect(await readOptional(fixturePath('host', 'intel-fedora-kvm', 'no-such-file'))).toBeUndefined();
    expect(await readOptional(fixturePath('host', 'intel-fedora-kvm', 'etc'))).toBeUndefined();
  });
});

describe('readAccounts', () => {
  it('names uids and gids from the tree, and falls back to the number', async () => {
    const accounts = await readAccounts(rootsUnder(fixturePath('host', 'debian-pvm-firecracker')));
    expect(accounts.groupName(108)).toBe('kvm');
    expect(accounts.groupName(106)).toBe('docker');
    expect(accounts.groupName(4242)).toBe('4242');
    expect(accounts.userName(0)).toBe('root');
    expect(accounts.userName(1001)).toBe('isolab-test');
    expect(accounts.userName(4242)).toBe('4242');
  });

  it('is empty for a tree without account files', async () => {
    const accounts = await readAccounts(rootsUnder(fixturePath('host', 'intel-vt-disabled')));
    expect(accounts.groups).toEqual([]);
    expect(accounts.users).toEqual([]);
    expect(accounts.groupName(0)).toBe('0');
  });
});

describe('inspectAccess', () => {
  it('says a missing path does not exist', async () => {
    const { roots } = await treeForThisProcess();
    const access = await inspectAccess(path.join(roots.dev, 'kvm'), await readAccounts(roots));
    expect(access).toEqual({ path: path.join(roots.dev, 'kvm'), exists: false, accessible: false });
    expect(describeAccess(access)).toBe(path.join(roots.dev, 'kvm'));
  });

  it('reads mode, kind, owner and group of a file, named by the tree\'s accounts', async () => {
    const { roots } = await treeForThisProcess();
    const file = path.join(roots.dev, 'kvm');
    await fs.mkdir(roots.dev, { recursive: true });
    await fs.writeFile(file, '');
    await fs.chmod(file, 0o660);
    const access = await inspectAccess(file, await readAccounts(roots));
    expect(access).toEqual({
      path: file,
      exists: true,
      accessible: true,
      kind: 'file',
      mode: '0660',
      permissions: 'rw-rw----',
      owner: 'tester',
      group: 'kvm',
    });
    expect(describeAccess(access)).toBe(`${file} is rw-rw---- tester:kvm`);
  });

  it('knows a unix socket and a directory', async () => {
    const { dir, roots } = await treeForThisProcess();
    const accounts = await readAccounts(roots);
    const socket = path.join(dir, 'docker.sock');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    expect((await inspectAccess(socket, accounts)).kind).toBe('socket');
    expect((await inspectAccess(roots.etc, accounts)).kind).toBe('directory');
  });
});

describe('processNames', () => {
  it('reads comm of every numeric entry of a fixture /proc', async () => {
    const names = await processNames(rootsUnder(fixturePath('host', 'debian-pvm-firecracker')));
    expect([...names].sort()).toEqual(['dockerd', 'libvirtd', 'process_api']);
  });

  it('reads the modular daemons of the Fedora fixture', async () => {
    const names = await processNames(rootsUnder(fixturePath('host', 'intel-fedora-kvm')));
    expect([...names].sort()).toEqual(['systemd', 'virtlogd', 'virtnetworkd', 'virtqemud', 'virtstoraged']);
  });

  it('is empty when /proc cannot be read', async () => {
    expect((await processNames(rootsUnder(fixturePath('host', 'no-such-tree')))).size).toBe(0);
  });
});

describe('findOnPath', () => {
  it('finds the first executable, skipping empty entries and files that are not executable', async () => {
    const dir = await tempDir();
    const first = path.join(dir, 'a');
    const second = path.join(dir, 'b');
    await fs.mkdir(first);
    await fs.mkdir(second);
    await fs.writeFile(path.join(first, 'dockerd'), 'not executable', { mode: 0o644 });
    await fs.writeFile(path.join(second, 'dockerd'), '#!/bin/sh\n', { mode: 0o755 });
    await fs.writeFile(path.join(first, 'podman'), '#!/bin/sh\n', { mode: 0o755 });
    const searchPath = `:${first}::${second}`;
    // root may execute any file with an x bit; 0644 has none, so it is skipped for root too.
    expect(await findOnPath('dockerd', searchPath)).toBe(path.join(second, 'dockerd'));
    expect(await findOnPath('podman', searchPath)).toBe(path.join(first, 'podman'));
    expect(await findOnPath('isolab-no-such-program', searchPath)).toBeUndefined();
  });
});
