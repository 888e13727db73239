// The create wizard's backend against the real libvirtd + QEMU (TCG) from tests/env: options, kernel boot of the
// test guest to its ready marker (also under UEFI), the installer-ISO source booted from its CD, existing disks
// (import and in place), bad input and a failed start leave nothing behind, and every generated XML validates.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { VmCreateSpecInput } from '@shared/vm-create-schemas';
import { failure } from '../helpers/failure';
import { startBackend } from './helpers/docker-cli';
import { testGuestCmdline, testGuestInitrd, testGuestIso, testGuestKernel, testGuestReadyLine } from './helpers/test-guest';
import {
  createVm,
  makePool,
  names,
  prefix,
  removeDomains,
  removeEverythingCreated,
  serialLog,
  systemUri,
  validateXml,
  virsh,
  volumesOf,
  waitForSerialLine,
} from './helpers/vm-create-support';
import { domainsNamed, makeTestFolder, qemuImg, removeDomains as removeDomainsNamed } from './helpers/vm-guest';

const run = Date.now().toString(36);
const test = startBackend('vm-create-test');
const { client } = test;
let pool: { name: string; path: string };
const folders: string[] = [];

function folder(): string {
  const made = makeTestFolder(`${prefix}files-`);
  folders.push(made);
  return made;
}

function kernelSpec(name: string, extra: Partial<VmCreateSpecInput> = {}): VmCreateSpecInput {
  return {
    uri: systemUri,
    name,
    memoryMiB: 256,
    vcpus: 1,
    network: { kind: 'none' },
    graphics: false,
    source: { kind: 'kernel', kernelPath: testGuestKernel, initrdPath: testGuestInitrd, cmdline: testGuestCmdline, disk: { pool: pool.name, sizeGiB: 1 } },
    ...extra,
  };
}

/** Nothing with the test prefix besides the scratch pool, and the pool holds exactly `volumes`. */
function expectNothingLeft(volumes: string[] = []): void {
  expect(names('list')).toEqual([]);
  expect(volumesOf(pool.name).sort()).toEqual([...volumes].sort());
  expect(fs.readdirSync(os.tmpdir()).filter((entry) => entry.startsWith('isolab-create-'))).toEqual([]);
}

beforeAll(() => {
  removeEverythingCreated();
  pool = makePool('pool', run);
});
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test walks libvirt's XML as parsed and lets expect() judge it
type XmlNode = Record<string, any>;
const xmlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false, isArray: (tag) => tag === 'disk' });

function readXml(xml: string): XmlNode {
  return xmlParser.parse(xml) as XmlNode;
}

/** The VMs that boot for real (installer ISO, UEFI) are named with this prefix. */
const bootPrefix = 'itest-h8-';

function removeBootDomains(): void {
  const named = domainsNamed(bootPrefix);
  removeDomainsNamed(bootPrefix);
  for (const name of named) fs.rmSync(serialLog(name), { force: true });
}

afterEach(() => {
  removeDomains();
  removeBootDomains();
});
afterAll(() => {
  removeEverythingCreated();
  removeBootDomains();
  for (const made of folders) fs.rmSync(made, { recursive: true, force: true });
  test.close();
});

describe('vmCreate.options', () => {
  it('reports software emulation with the doctor\'s reason, the host from nodeinfo, UEFI, tools, pools and names', async () => {
    const options = await client.call('vmCreate.options', { uri: systemUri });
    expect(options.domainType).toBe('qemu');
    expect(options.accelerationReason.length).toBeGreaterThan(10);
    const nodeKib = Number(/Memory size:\s+(\d+) KiB/.exec(virsh('nodeinfo'))?.[1]);
    expect(options.host.memoryBytes).toBe(nodeKib * 1024);
    expect(options.host.cpus).toBe(os.cpus().length);
    expect(options.uefi.available).toBe(true);
    expect(options.seedTool).toMatchObject({ available: true, program: '/usr/bin/genisoimage' });
    expect(options.osinfo.available).toBe(true);
    expect(options.pools.find((candidate) => candidate.name === pool.name)).toMatchObject({ state: 'running', type: 'dir', path: pool.path });
    expect(options.networks.map((network) => network.name)).toContain('default');
  });

  it('lists operating systems from osinfo-db with their defaults', async () => {
    const list = await client.call('vmCreate.osList', {});
    expect(list.variants.find((variant) => variant.id === 'win11')).toMatchObject({ family: 'winnt' });
    expect(await client.call('vmCreate.osDefaults', { osId: 'win11' })).toMatchObject({ firmware: 'uefi', diskBus: 'sata', memoryMiB: 4096, from: 'osinfo' });
    expect(await client.call('vmCreate.osDefaults', {})).toMatchObject({ diskBus: 'virtio', from: 'builtin' });
    expect((await failure(client.call('vmCreate.osDefaults', { osId: 'nosuchos1' }))).code).toBe('NOT_FOUND');
  });
});

describe('vmCreate.create', () => {
  it('creates the test guest from kernel + initrd with a new disk, starts it under TCG and reads its ready marker', async () => {
    const name = `${prefix}kernel-${run}`;
    const outcome = await createVm(client, kernelSpec(name, { network: { kind: 'user' } }));
    expect(outcome.error).toBeUndefined();
    expect(outcome.events.map((event) => event.step)).toEqual(['checking', 'preparing-disk', 'defining', 'starting', 'done']);
    expect(outcome.result).toMatchObject({ name, domainType: 'qemu', started: true, volumes: [path.join(pool.path, `${name}.qcow2`)] });

    const log = await waitForSerialLine(name, testGuestReadyLine());
    expect(log).toContain(testGuestReadyLine());
    expect(virsh('domstate', name).trim()).toBe('running');
    const xml = virsh('dumpxml', '--inactive', name);
    expect(xml).toContain("<domain type='qemu'");
    expect(xml).toContain(`<kernel>${testGuestKernel}</kernel>`);
    expect(xml).toContain("<interface type='user'>");
    expect(validateXml(xml)).toContain('validates');
    expect(virsh('vol-info', '--bytes', '--pool', pool.name, `${name}.qcow2`)).toMatch(/Capacity:\s+1073741824 bytes/);

    removeEverythingCreated();
    pool = makePool('pool', run);
    expect(fs.existsSync(serialLog(name))).toBe(false);
  });

  it('imports an existing qcow2 disk (a copy in the pool, the original untouched) and uses one in place only inside a pool', async () => {
    const files = folder();
    const original = path.join(files, 'system.qcow2');
    qemuImg('create', '-q', '-f', 'qcow2', original, '64M');
    const imported = `${prefix}import-${run}`;
    const outcome = await createVm(client, { uri: systemUri, name: imported, memoryMiB: 256, vcpus: 1, network: { kind: 'none' }, start: false, source: { kind: 'existingDisk', path: original, storage: { mode: 'import', pool: pool.name } } });
    expect(outcome.error).toBeUndefined();
    expect(volumesOf(pool.name)).toEqual([`${imported}.qcow2`]);
    expect(JSON.parse(qemuImg('info', '--output=json', path.join(pool.path, `${imported}.qcow2`)))).toMatchObject({ format: 'qcow2', 'virtual-size': 64 * 1024 * 1024 });
    expect(fs.existsSync(original)).toBe(true);
    expect(virsh('domstate', imported).trim()).toBe('shut off');
    expect(validateXml(virsh('dumpxml', '--inactive', imported))).toContain('validates');

    const outside = await createVm(client, { uri: systemUri, name: `${prefix}outside-${run}`, memoryMiB: 256, vcpus: 1, network: { kind: 'none' }, start: false, source: { kind: 'existingDisk', path: original, storage: { mode: 'inPlace' } } });
    expect(outside.error).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('outside every storage pool') });

    const inPool = path.join(pool.path, 'already-here.qcow2');
    qemuImg('create', '-q', '-f', 'qcow2', inPool, '32M');
    virsh('pool-refresh', pool.name);
    const inPlace = `${prefix}inplace-${run}`;
    const used = await createVm(client, { uri: systemUri, name: inPlace, memoryMiB: 256, vcpus: 1, network: { kind: 'none' }, start: false, source: { kind: 'existingDisk', path: inPool, storage: { mode: 'inPlace' } } });
    expect(used.error).toBeUndefined();
    expect(used.result?.volumes).toEqual([]);
    expect(virsh('dumpxml', inPlace)).toContain(`<source file='${inPool}'/>`);
    virsh('undefine', imported);
    virsh('undefine', inPlace);
    virsh('vol-delete', '--pool', pool.name, `${imported}.qcow2`);
    virsh('vol-delete', '--pool', pool.name, 'already-here.qcow2');
  });

  it('refuses bad input with typed errors and leaves nothing behind', async () => {
    const taken = `${prefix}taken-${run}`;
    expect((await createVm(client, kernelSpec(taken, { start: false, source: { kind: 'kernel', kernelPath: testGuestKernel } }))).error).toBeUndefined();

    for (const name of ['bad<name>', 'bad;rm -rf', "bad'quote", '-dash', 'a&b']) {
      const outcome = await createVm(client, kernelSpec(name));
      expect(outcome.error, name).toMatchObject({ code: 'INVALID_ARGUMENT', detail: expect.stringContaining('spec.name') });
    }
    expect((await createVm(client, kernelSpec(`${prefix}zero-${run}`, { memoryMiB: 0 }))).error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    const tooMuch = (await createVm(client, kernelSpec(`${prefix}huge-${run}`, { memoryMiB: 1024 * 1024 }))).error;
    expect(tooMuch).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('The host has only'), detail: expect.stringContaining('memoryMiB:') });
    const duplicate = (await createVm(client, kernelSpec(taken))).error;
    expect(duplicate).toMatchObject({ code: 'CONFLICT', message: `A VM named ${taken} already exists on ${systemUri}.` });
    const bigDisk = (await createVm(client, kernelSpec(`${prefix}bigdisk-${run}`, { source: { kind: 'kernel', kernelPath: testGuestKernel, disk: { pool: pool.name, sizeGiB: 65536 } } }))).error;
    expect(bigDisk).toMatchObject({ code: 'INVALID_ARGUMENT', detail: expect.stringContaining('source.disk.sizeGiB: The pool') });
    const noKernel = (await createVm(client, kernelSpec(`${prefix}nokernel-${run}`, { source: { kind: 'kernel', kernelPath: '/nonexistent/vmlinuz' } }))).error;
    expect(noKernel).toMatchObject({ code: 'INVALID_ARGUMENT', detail: 'source.kernelPath: There is no kernel at /nonexistent/vmlinuz.' });
    const traversal = (await createVm(client, kernelSpec(`${prefix}dots-${run}`, { source: { kind: 'kernel', kernelPath: `${pool.path}/../../etc/passwd` } }))).error;
    expect(traversal).toMatchObject({ code: 'INVALID_ARGUMENT', detail: expect.stringContaining('A path cannot contain "..".') });

    const check = await client.call('vmCreate.check', { spec: kernelSpec(taken, { memoryMiB: 1024 * 1024 }) });
    expect(check.problems.map((problem) => problem.field).sort()).toEqual(['memoryMiB', 'name']);
    expect(check.xml).toBeUndefined();

    virsh('undefine', taken);
    expectNothingLeft();
  });

  it('rolls back the new disk and the definition when the start fails', async () => {
    // A kernel root can read but QEMU (user libvirt-qemu) cannot reach: every check passes, the start fails.
    const hidden = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}hidden-`));
    folders.push(hidden);
    fs.chmodSync(hidden, 0o700);
    const kernel = path.join(hidden, 'vmlinuz');
    fs.copyFileSync(testGuestKernel, kernel);
    const name = `${prefix}nostart-${run}`;
    const outcome = await createVm(client, kernelSpec(name, { source: { kind: 'kernel', kernelPath: kernel, disk: { pool: pool.name, sizeGiB: 1 } } }));
    expect(outcome.events.map((event) => event.step)).toEqual(['checking', 'preparing-disk', 'defining', 'starting']);
    expect(outcome.error).toMatchObject({ message: expect.stringContaining('virsh start') });
    expectNothingLeft();
  });
});

describe('vmCreate.create booting for real', () => {
  /** The test guest's size, no network, no display: only the serial console. */
  function bootSpec(name: string, choices: Pick<VmCreateSpecInput, 'source'> & Partial<VmCreateSpecInput>): VmCreateSpecInput {
    return { uri: systemUri, name, memoryMiB: 256, vcpus: 1, network: { kind: 'none' }, graphics: false, ...choices };
  }

  it('creates a VM from an installer ISO (CD-ROM first, then a new disk), boots the CD and deletes only the chosen disk', async () => {
    const name = `${bootPrefix}iso-${run}`;
    const outcome = await createVm(client, bootSpec(name, { source: { kind: 'iso', isoPath: testGuestIso, disk: { pool: pool.name, sizeGiB: 1 } } }));
    expect(outcome.error).toBeUndefined();
    expect(outcome.events.map((event) => event.step)).toEqual(['checking', 'preparing-disk', 'defining', 'starting', 'done']);
    const volume = path.join(pool.path, `${name}.qcow2`);
    expect(outcome.result).toMatchObject({ name, started: true, volumes: [volume] });

    // isolinux on the CD boots the kernel with the serial console: the marker proves the CD was the boot device.
    expect(await waitForSerialLine(name, testGuestReadyLine())).toContain(testGuestReadyLine());
    const xml = virsh('dumpxml', '--inactive', name);
    const domain = readXml(xml).domain;
    expect(domain.os.kernel).toBeUndefined();
    expect(domain.devices.disk.map((disk: XmlNode) => ({ device: disk['@device'], source: disk.source['@file'], target: disk.target['@dev'], boot: disk.boot?.['@order'], readonly: 'readonly' in disk }))).toEqual([
      { device: 'cdrom', source: testGuestIso, target: 'sda', boot: '1', readonly: true },
      { device: 'disk', source: volume, target: 'vda', boot: '2', readonly: false },
    ]);
    expect(validateXml(xml)).toContain('validates');

    const deleted = await client.call('vms.delete', { uri: systemUri, name, disks: ['vda'] });
    expect(deleted).toEqual({ deletedDisks: [volume], keptDisks: [testGuestIso] });
    expect(domainsNamed(bootPrefix)).toEqual([]);
    expect(volumesOf(pool.name)).not.toContain(`${name}.qcow2`);
    expect(fs.statSync(testGuestIso).size).toBeGreaterThan(0);
  });

  it('boots the test kernel under UEFI (OVMF) and removes its NVRAM with the VM', async () => {
    const name = `${bootPrefix}uefi-${run}`;
    const outcome = await createVm(
      client,
      bootSpec(name, { firmware: 'uefi', source: { kind: 'kernel', kernelPath: testGuestKernel, initrdPath: testGuestInitrd, cmdline: 'console=ttyS0 panic=-1' } }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toMatchObject({ name, started: true, volumes: [] });

    // OVMF hands the kernel from fw_cfg to its EFI stub; under TCG the firmware alone takes tens of seconds.
    const log = await waitForSerialLine(name, testGuestReadyLine(), 180_000);
    // Without "quiet" the kernel says which firmware handed it over.
    expect(log).toMatch(/efi: EFI v[\d.]+ by EDK II/);
    const defined = virsh('dumpxml', '--inactive', name);
    expect(readXml(defined).domain.os['@firmware']).toBe('efi');
    expect(readXml(defined).domain.os.firmware.feature).toEqual({ '@enabled': 'no', '@name': 'secure-boot' });
    expect(validateXml(defined)).toContain('validates');
    // libvirt 9.0 picks the firmware files when the VM starts: the live XML names the loader and the NVRAM store.
    const bootOs = readXml(virsh('dumpxml', name)).domain.os;
    expect(bootOs.loader).toMatchObject({ '@readonly': 'yes', '@type': 'pflash', '#text': expect.stringMatching(/^\/usr\/share\/OVMF\/OVMF_CODE.*\.fd$/) });
    const nvram: string = bootOs.nvram['#text'];
    expect(nvram).toBe(`/var/lib/libvirt/qemu/nvram/${name}_VARS.fd`);
    expect(fs.statSync(nvram).size).toBeGreaterThan(0);
    expect(await client.call('vms.detail', { uri: systemUri, name })).toMatchObject({ firmware: 'uefi' });

    expect(await client.call('vms.delete', { uri: systemUri, name, disks: [] })).toEqual({ deletedDisks: [], keptDisks: [] });
    expect(domainsNamed(bootPrefix)).toEqual([]);
    expect(fs.existsSync(nvram)).toBe(false);
  }, 240_000);
});

describe('generated domain XML', () => {
  it('passes virt-xml-validate for every source, firmware, network and bus', async () => {
    const files = folder();
    const iso = path.join(files, 'installer.iso');
    fs.writeFileSync(iso, Buffer.alloc(2048));
    const image = path.join(files, 'cloud.qcow2');
    qemuImg('create', '-q', '-f', 'qcow2', image, '64M');
    const base = { uri: systemUri, memoryMiB: 512, vcpus: 1 };
    const specs: VmCreateSpecInput[] = [
      { ...base, name: `${prefix}iso`, osId: 'win11', firmware: 'uefi', diskBus: 'sata', nicModel: 'e1000e', source: { kind: 'iso', isoPath: iso, disk: { pool: pool.name, sizeGiB: 2 } } },
      { ...base, name: `${prefix}cloud`, osId: 'debian11', network: { kind: 'user' }, source: { kind: 'cloudImage', image: { from: 'file', path: image }, disk: { pool: pool.name, sizeGiB: 1 }, cloudInit: { hostname: 'guest', user: 'me', password: 'pw' } } },
      { ...base, name: `${prefix}kernel`, graphics: false, source: { kind: 'kernel', kernelPath: testGuestKernel, initrdPath: testGuestInitrd, cmdline: 'console=ttyS0 a<b&c "quoted"' } },
      { ...base, name: `${prefix}disk`, network: { kind: 'none' }, source: { kind: 'existingDisk', path: image, storage: { mode: 'import', pool: pool.name } } },
    ];
    for (const spec of specs) {
      const check = await client.call('vmCreate.check', { spec });
      expect(check.problems, spec.name).toEqual([]);
      expect(validateXml(check.xml ?? ''), spec.name).toContain('validates');
    }
    const uefi = (await client.call('vmCreate.check', { spec: specs[0] as VmCreateSpecInput })).xml ?? '';
    expect(uefi).toContain('<os firmware="efi">');
    expect(uefi).toContain('<libosinfo:os id="http://microsoft.com/win/11"/>');
  });
});
