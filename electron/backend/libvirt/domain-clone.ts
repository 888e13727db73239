// Clones a shut-off VM: each writable disk copied (vol-clone when a storage pool holds it, else qemu-img convert on a
// local connection), the definition rewritten through the XML parser and builder with the new name, a new UUID and
// new MAC addresses, then defined. Any failure removes the copies made so far. Plain Node; never imports electron.
import { randomBytes, randomUUID } from 'node:crypto';
import { access, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppError } from '@shared/errors';
import type { VmCloneResult } from '@shared/vm-types';
import { toAppError } from '../app-errors';
import type { CommandRunner } from '../exec';
import { isLocalUri } from './domain-actions';
import { attribute, buildOrdered, element, elements, parseOrdered, removeChildren, rootElement, setAttribute, setText, type OrderedNode } from './domain-xml-edit';
import { VirshError, type Virsh } from './virsh';
import type { VmChanges } from './vm-changes';

/** A locally administered MAC in QEMU's range, as libvirt itself picks. */
export function randomMac(): string {
  return ['52', '54', '00', ...[...randomBytes(3)].map((byte) => byte.toString(16).padStart(2, '0'))].join(':');
}

/** The clone's file for a disk: beside the original, named after the clone (vda keeps the bare name). */
export function clonedDiskName(original: string, newName: string, index: number): string {
  const extension = path.extname(original);
  return `${newName}${index === 0 ? '' : `-${index}`}${extension}`;
}

/** A disk the clone gets its own copy of. */
export interface CopiedDisk {
  target: string;
  source: string;
  format: string;
}

interface CopyPlan extends CopiedDisk {
  /** The pool that holds the original, when one does. */
  pool?: string;
  newPath: string;
}

function domainDevices(tree: OrderedNode[]): OrderedNode | undefined {
  return element(rootElement(tree, 'domain'), 'devices');
}

/**
 * The disks a clone copies: writable file disks. CD-ROMs, read-only and shared disks are used as they are; any other
 * writable disk (a block device, a network source) cannot be copied, which refuses the clone.
 */
export function copiedDisks(xml: string, name: string): CopiedDisk[] {
  const devices = domainDevices(parseOrdered(xml));
  return (devices ? elements(devices, 'disk') : []).flatMap((disk) => {
    const device = attribute(disk, 'device') ?? 'disk';
    const type = attribute(disk, 'type') ?? 'file';
    const shared = element(disk, 'readonly') !== undefined || element(disk, 'shareable') !== undefined;
    if (device !== 'disk' || shared) return [];
    const target = attribute(element(disk, 'target'), 'dev') ?? '?';
    const file = attribute(element(disk, 'source'), 'file');
    if (type !== 'file' || !file) throw new AppError('INVALID_ARGUMENT', `${name} has a ${type} disk (${target}) that Isolab cannot copy: nothing was changed.`);
    return [{ target, source: file, format: attribute(element(disk, 'driver'), 'type') ?? 'raw' }];
  });
}

/**
 * The clone's definition: the original's XML with the new name, UUID and MACs, the copied disks' new paths, no
 * NVRAM path (libvirt makes a fresh store from the firmware's template), no host-side NIC names, and console logs
 * named after the original renamed after the clone.
 */
export function cloneDefinition(xml: string, options: { name: string; newName: string; uuid: string; newPaths: ReadonlyMap<string, string> }): string {
  const tree = parseOrdered(xml);
  const domain = rootElement(tree, 'domain');
  setText(element(domain, 'name')!, options.newName);
  const uuidElement = element(domain, 'uuid');
  if (uuidElement) setText(uuidElement, options.uuid);
  const os = element(domain, 'os');
  if (os) removeChildren(os, 'nvram');
  const devices = element(domain, 'devices');
  for (const disk of devices ? elements(devices, 'disk') : []) {
    const source = element(disk, 'source');
    const newPath = options.newPaths.get(attribute(source, 'file') ?? '');
    if (source && newPath && (attribute(disk, 'device') ?? 'disk') === 'disk') setAttribute(source, 'file', newPath);
  }
  for (const nic of devices ? elements(devices, 'interface') : []) {
    const mac = element(nic, 'mac');
    if (mac) setAttribute(mac, 'address', randomMac());
    removeChildren(nic, 'target');
  }
  for (const kind of ['serial', 'console']) {
    for (const port of devices ? elements(devices, kind) : []) {
      const log = element(port, 'log');
      const file = attribute(log, 'file');
      if (log && file?.includes(options.name)) setAttribute(log, 'file', path.join(path.dirname(file), path.basename(file).split(options.name).join(options.newName)));
    }
  }
  return buildOrdered(tree);
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

export function createDomainCloner(virsh: Virsh, run: CommandRunner, changes: VmChanges) {
  async function poolOf(uri: string, file: string): Promise<string | undefined> {
    try {
      return (await virsh.run(uri, ['vol-pool', '--', file])).trim() || undefined;
    } catch (error) {
      if (error instanceof VirshError && error.failure.kind === 'not-found') return undefined;
      throw error;
    }
  }

  async function copy(uri: string, plan: CopyPlan): Promise<void> {
    if (plan.pool) {
      await virsh.run(uri, ['vol-clone', '--pool', plan.pool, '--', plan.source, path.basename(plan.newPath)], { timeoutMs: 30 * 60_000 });
      return;
    }
    const result = await run('qemu-img', ['convert', '-O', plan.format, '--', plan.source, plan.newPath], { timeoutMs: 30 * 60_000 });
    if (result.exitCode !== 0) throw new AppError('INTERNAL', `Copying ${plan.source} failed`, { detail: result.stderr.trim() });
  }

  async function removeCopy(uri: string, plan: CopyPlan): Promise<void> {
    if (plan.pool) await virsh.run(uri, ['vol-delete', '--', plan.newPath]).catch(() => undefined);
    else await unlink(plan.newPath).catch(() => undefined);
  }

  return async function clone(uri: string, name: string, newName: string): Promise<VmCloneResult> {
    const taken = await virsh.run(uri, ['dominfo', '--', newName]).then(
      () => true,
      (error: unknown) => {
        if (error instanceof VirshError && error.failure.kind === 'not-found') return false;
        throw error;
      },
    );
    if (taken) throw new AppError('CONFLICT', `A VM named ${newName} already exists on ${uri}.`, { fix: { text: 'Choose another name for the clone.' } });
    const stateText = (await virsh.run(uri, ['domstate', '--', name])).trim();
    if (stateText !== 'shut off') {
      throw new AppError('CONFLICT', `${name} is ${stateText}: only a shut-off VM can be cloned, so its disks are consistent.`, { fix: { text: `Shut ${name} down first.` } });
    }

    const xml = await virsh.run(uri, ['dumpxml', '--inactive', '--security-info', '--', name]);
    const plans: CopyPlan[] = [];
    const usedPaths = new Set<string>();
    for (const disk of copiedDisks(xml, name)) {
      const pool = await poolOf(uri, disk.source);
      if (!pool && !isLocalUri(uri)) throw new AppError('INVALID_ARGUMENT', `${disk.source} is in no storage pool on ${uri}, so it cannot be copied there: nothing was changed.`);
      let index = 0;
      let newPath = path.join(path.dirname(disk.source), clonedDiskName(disk.source, newName, index));
      while (usedPaths.has(newPath) || (await exists(newPath))) newPath = path.join(path.dirname(disk.source), clonedDiskName(disk.source, newName, ++index));
      usedPaths.add(newPath);
      plans.push({ ...disk, ...(pool ? { pool } : {}), newPath });
    }
    const uuid = randomUUID();

    const made: CopyPlan[] = [];
    const folder = await mkdtemp(path.join(tmpdir(), 'isolab-clone-'));
    try {
      for (const plan of plans) {
        await copy(uri, plan);
        made.push(plan);
      }
      const file = path.join(folder, 'domain.xml');
      const newPaths = new Map(plans.map((plan) => [plan.source, plan.newPath]));
      await writeFile(file, cloneDefinition(xml, { name, newName, uuid, newPaths }), { mode: 0o600 });
      await virsh.run(uri, ['define', '--', file]);
    } catch (error) {
      for (const plan of made) await removeCopy(uri, plan);
      throw toAppError(error, `Cloning ${name} as ${newName}`);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
    changes.touch(uri, newName);
    return { name: newName, uuid, disks: plans.map((plan) => plan.newPath) };
  };
}
