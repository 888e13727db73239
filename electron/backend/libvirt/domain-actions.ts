// VM lifecycle through virsh: start, ACPI shutdown that waits for the guest (and says when it ignored the button),
// force off, reboot, reset, suspend/resume, autostart, and delete (undefine with snapshot metadata and NVRAM,
// then exactly the disks chosen, no other). Each action asks for a fresh read of the domain afterwards.
// Plain Node; never imports electron.
import { unlink } from 'node:fs/promises';
import { AppError } from '@shared/errors';
import type { VmDeleteResult, VmDisk, VmShutdownResult } from '@shared/vm-types';
import { toAppError } from '../app-errors';
import { parseDomainXml } from './domain-xml-read';
import { VirshError, type Virsh } from './virsh';
import type { VmChanges } from './vm-changes';
import { stateFromCode, parseDomstats } from './virsh-output';

export function isLocalUri(uri: string): boolean {
  return uri === 'qemu:///system' || uri === 'qemu:///session';
}

export type SimpleAction = 'start' | 'destroy' | 'reboot' | 'reset' | 'suspend' | 'resume';

export interface DomainActions {
  simple(uri: string, name: string, action: SimpleAction): Promise<void>;
  shutdown(uri: string, name: string, timeoutSeconds: number): Promise<VmShutdownResult>;
  setAutostart(uri: string, name: string, autostart: boolean): Promise<void>;
  remove(uri: string, name: string, diskTargets: string[]): Promise<VmDeleteResult>;
  state(uri: string, name: string): Promise<{ state: ReturnType<typeof stateFromCode>; exists: boolean }>;
}

const simpleArgs: Record<SimpleAction, string[]> = {
  start: ['start'],
  destroy: ['destroy'],
  reboot: ['reboot'],
  reset: ['reset'],
  suspend: ['suspend'],
  resume: ['resume'],
};

/** Deletes one disk's storage: through libvirt when a pool holds it, else (local connections only) the file itself. */
async function deleteDisk(virsh: Virsh, uri: string, disk: VmDisk): Promise<void> {
  if (disk.sourceType === 'volume' && disk.pool && disk.volume) {
    await virsh.run(uri, ['vol-delete', '--pool', disk.pool, '--', disk.volume]);
    return;
  }
  const path = disk.source!;
  try {
    await virsh.run(uri, ['vol-delete', '--', path]);
    return;
  } catch (error) {
    if (!(error instanceof VirshError && error.failure.kind === 'not-found')) throw error;
  }
  // No pool holds it: the file itself, which only a local connection can reach.
  if (!isLocalUri(uri)) throw new AppError('CONFLICT', `${path} is in no storage pool on ${uri}, so Isolab cannot delete it there.`);
  try {
    await unlink(path);
  } catch (error) {
    throw toAppError(error, `Deleting ${path}`);
  }
}

export function createDomainActions(virsh: Virsh, changes: VmChanges): DomainActions {
  async function state(uri: string, name: string) {
    try {
      const record = parseDomstats(await virsh.run(uri, ['domstats', '--raw', '--state', '--', name]))[0];
      return { state: stateFromCode(record?.fields['state.state']), exists: true };
    } catch (error) {
      if (error instanceof VirshError && error.failure.kind === 'not-found') return { state: 'shutoff' as const, exists: false };
      throw error;
    }
  }

  return {
    state,

    async simple(uri, name, action) {
      try {
        await virsh.run(uri, [...simpleArgs[action], '--', name], { timeoutMs: 120_000 });
      } finally {
        changes.touch(uri, name);
      }
    },

    async shutdown(uri, name, timeoutSeconds) {
      const started = Date.now();
      const before = await state(uri, name);
      if (!before.exists) throw new AppError('NOT_FOUND', `There is no VM named ${name} on ${uri}.`);
      if (before.state === 'shutoff') return { outcome: 'already-off', state: 'shutoff', waitedMs: 0 };
      let stopped: () => void = () => undefined;
      const off = new Promise<void>((resolve) => (stopped = resolve));
      // Listening before the button is pressed, so a quick power-off is not missed.
      const unwatch = await changes.watch(uri, (event) => {
        if (event.domain === name && event.event === 'lifecycle' && /^(Stopped|Undefined|Shutdown Finished)/.test(event.detail ?? '')) stopped();
      });
      let timer: NodeJS.Timeout | undefined;
      try {
        await virsh.run(uri, ['shutdown', '--mode', 'acpi', '--', name]);
        await Promise.race([off, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutSeconds * 1000)))]);
      } finally {
        clearTimeout(timer);
        unwatch();
        changes.touch(uri, name);
      }
      // QEMU may still be ending after "Shutdown Finished": the state is read until it says so, briefly.
      let after = await state(uri, name);
      for (let attempt = 0; after.exists && after.state !== 'shutoff' && attempt < 20 && Date.now() - started < timeoutSeconds * 1000; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        after = await state(uri, name);
      }
      const isOff = !after.exists || after.state === 'shutoff';
      return { outcome: isOff ? 'off' : 'ignored', state: after.state, waitedMs: Date.now() - started };
    },

    async setAutostart(uri, name, autostart) {
      try {
        await virsh.run(uri, ['autostart', ...(autostart ? [] : ['--disable']), '--', name]);
      } finally {
        changes.touch(uri, name);
      }
    },

    async remove(uri, name, diskTargets) {
      const facts = parseDomainXml(await virsh.run(uri, ['dumpxml', '--inactive', '--', name]));
      const chosen: VmDisk[] = [];
      for (const target of new Set(diskTargets)) {
        const disk = facts.disks.find((candidate) => candidate.target === target);
        if (!disk) throw new AppError('INVALID_ARGUMENT', `${name} has no disk ${target}: nothing was deleted.`, { detail: `Its disks: ${facts.disks.map((d) => d.target).join(', ') || 'none'}` });
        if (!disk.source) throw new AppError('INVALID_ARGUMENT', `Disk ${target} of ${name} has no storage to delete: nothing was deleted.`);
        if (disk.sourceType !== 'file' && disk.sourceType !== 'volume') {
          throw new AppError('INVALID_ARGUMENT', `Disk ${target} of ${name} is a ${disk.sourceType} device, which Isolab does not delete: nothing was deleted.`);
        }
        chosen.push(disk);
      }
      const info = await virsh.run(uri, ['dominfo', '--', name]);
      const persistent = /^Persistent:\s+yes$/m.test(info);
      const current = await state(uri, name);
      if (current.state !== 'shutoff') await virsh.run(uri, ['destroy', '--', name], { timeoutMs: 120_000 });
      if (persistent) {
        const flags = ['--snapshots-metadata', '--checkpoints-metadata', '--managed-save', ...(facts.firmware === 'uefi' ? ['--nvram'] : [])];
        await virsh.run(uri, ['undefine', ...flags, '--', name]);
      }
      changes.touch(uri, name);
      const deletedDisks: string[] = [];
      const failures: string[] = [];
      for (const disk of chosen) {
        try {
          await deleteDisk(virsh, uri, disk);
          deletedDisks.push(disk.source!);
        } catch (error) {
          failures.push(`${disk.source}: ${toAppError(error).message}`);
        }
      }
      if (failures.length > 0) {
        throw new AppError('INTERNAL', `${name} was deleted, but ${failures.length === 1 ? 'one disk' : `${failures.length} disks`} could not be.`, {
          detail: failures.join('\n'),
          fix: { text: 'Delete the files shown here by hand, or from their storage pool.' },
        });
      }
      const chosenSources = new Set(chosen.map((disk) => disk.source));
      return { deletedDisks, keptDisks: facts.disks.flatMap((disk) => (disk.source && !chosenSources.has(disk.source) ? [disk.source] : [])) };
    },
  };
}
