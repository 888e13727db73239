// Internal snapshots of a domain through virsh: list (each read from its snapshot XML with the parser), create
// (with memory state while running), revert and delete. Plain Node; never imports electron.
import { XMLParser } from 'fast-xml-parser';
import { AppError } from '@shared/errors';
import type { VmSnapshot } from '@shared/vm-types';
import { parseDomainXml } from './domain-xml-read';
import { VirshError, type Virsh } from './virsh';
import type { VmChanges } from './vm-changes';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === 'disk',
  // The embedded domain definition is not needed here.
  stopNodes: ['domainsnapshot.domain', 'domainsnapshot.inactiveDomain'],
});

interface SnapshotXml {
  domainsnapshot?: {
    name?: string;
    description?: string;
    state?: string;
    creationTime?: string;
    parent?: { name?: string };
    memory?: { '@snapshot'?: string };
    disks?: { disk?: { '@snapshot'?: string }[] };
  };
}

/** Reads `virsh snapshot-dumpxml`. */
export function parseSnapshotXml(xml: string, current: boolean): VmSnapshot {
  const snapshot = (parser.parse(xml) as SnapshotXml).domainsnapshot;
  if (!snapshot?.name) throw new AppError('INTERNAL', 'libvirt returned snapshot XML without a name', { detail: xml.slice(0, 200) });
  const memory = snapshot.memory?.['@snapshot'] ?? 'no';
  const kinds = new Set([memory, ...(snapshot.disks?.disk ?? []).map((disk) => disk['@snapshot'] ?? 'no')].filter((kind) => kind !== 'no'));
  const location: VmSnapshot['location'] = kinds.size > 1 ? 'mixed' : kinds.has('external') ? 'external' : 'internal';
  return {
    name: snapshot.name,
    ...(snapshot.description ? { description: snapshot.description } : {}),
    state: snapshot.state ?? 'unknown',
    createdAt: Number(snapshot.creationTime ?? 0),
    ...(snapshot.parent?.name ? { parent: snapshot.parent.name } : {}),
    current,
    location,
    withMemory: memory !== 'no',
  };
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

export function createSnapshots(virsh: Virsh, changes: VmChanges) {
  async function current(uri: string, name: string): Promise<string | undefined> {
    try {
      return (await virsh.run(uri, ['snapshot-current', '--name', '--', name])).trim() || undefined;
    } catch (error) {
      // "the domain does not have a current snapshot"
      if (error instanceof VirshError && error.failure.kind !== 'not-found') return undefined;
      throw error;
    }
  }

  async function read(uri: string, name: string, snapshot: string, currentName: string | undefined): Promise<VmSnapshot> {
    return parseSnapshotXml(await virsh.run(uri, ['snapshot-dumpxml', '--', name, snapshot]), snapshot === currentName);
  }

  return {
    async list(uri: string, name: string): Promise<VmSnapshot[]> {
      const names = lines(await virsh.run(uri, ['snapshot-list', '--name', '--', name]));
      const currentName = await current(uri, name);
      const snapshots = await Promise.all(names.map((snapshot) => read(uri, name, snapshot, currentName)));
      return snapshots.sort((a, b) => a.createdAt - b.createdAt);
    },

    async create(uri: string, name: string, snapshot: string, description: string | undefined): Promise<VmSnapshot> {
      const facts = parseDomainXml(await virsh.run(uri, ['dumpxml', '--inactive', '--', name]));
      // Internal snapshots live inside qcow2 files: every writable disk must be one.
      const unsuitable = facts.disks.filter((disk) => disk.device === 'disk' && !disk.readOnly && disk.format !== 'qcow2');
      if (unsuitable.length > 0) {
        throw new AppError('CONFLICT', `${name} has ${unsuitable.map((disk) => `${disk.target} (${disk.format ?? 'unknown format'})`).join(', ')}: internal snapshots need every disk in qcow2 format.`, {
          fix: { text: 'Convert the disk to qcow2 (qemu-img convert -O qcow2) while the VM is off, or snapshot it with your storage tools.' },
        });
      }
      const exists = await virsh.run(uri, ['snapshot-info', '--', name, snapshot]).then(
        () => true,
        () => false,
      );
      if (exists) throw new AppError('CONFLICT', `${name} already has a snapshot named ${snapshot}.`, { fix: { text: 'Choose another name.' } });
      try {
        await virsh.run(uri, ['snapshot-create-as', '--name', snapshot, ...(description ? ['--description', description] : []), '--', name], { timeoutMs: 10 * 60_000 });
      } finally {
        changes.touch(uri, name);
      }
      return read(uri, name, snapshot, snapshot);
    },

    async revert(uri: string, name: string, snapshot: string): Promise<void> {
      try {
        await virsh.run(uri, ['snapshot-revert', '--', name, snapshot], { timeoutMs: 10 * 60_000 });
      } finally {
        changes.touch(uri, name);
      }
    },

    async remove(uri: string, name: string, snapshot: string): Promise<void> {
      try {
        await virsh.run(uri, ['snapshot-delete', '--', name, snapshot], { timeoutMs: 10 * 60_000 });
      } finally {
        changes.touch(uri, name);
      }
    },
  };
}
