// libvirt storage pools and volumes through virsh: list (capacity, allocation), create a directory pool and the
// default pool, volumes list/create/delete/resize/upload. XML read with fast-xml-parser, written with its builder.
// Plain Node; never imports electron.
import { mkdir, mkdtemp, rm, rmdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { AppError } from '@shared/errors';
import type { DefaultPoolPlan, StoragePool, StoragePoolState, StorageVolume } from '@shared/storage-types';
import type { BackendConfig } from '../config';
import type { Virsh } from './virsh';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false });
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true });

type XmlValue = string | { '#text'?: string; '@_unit'?: string } | undefined;

function textOf(value: XmlValue): string | undefined {
  return typeof value === 'string' ? value : value?.['#text'];
}

function bytesOf(value: XmlValue): number {
  const number = Number(textOf(value) ?? 0);
  return Number.isFinite(number) ? number : 0;
}

/** Runs `task` over `items`, at most `limit` at a time (one virsh process each), keeping the order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** `virsh pool-info` prints "Key: value" lines. */
function infoFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return fields;
}

const poolStates: Record<string, StoragePoolState> = {
  running: 'running',
  inactive: 'inactive',
  building: 'building',
  degraded: 'degraded',
  inaccessible: 'inaccessible',
};

interface PoolXml {
  pool?: {
    '@_type'?: string;
    uuid?: string;
    capacity?: XmlValue;
    allocation?: XmlValue;
    available?: XmlValue;
    target?: { path?: string };
  };
}

export function parsePool(name: string, infoText: string, poolXml: string): StoragePool {
  const info = infoFields(infoText);
  const pool = (parser.parse(poolXml) as PoolXml).pool ?? {};
  const state = poolStates[info.get('State') ?? ''] ?? 'inactive';
  const active = state === 'running';
  return {
    name,
    uuid: pool.uuid ?? info.get('UUID') ?? '',
    type: pool['@_type'] ?? 'unknown',
    state,
    autostart: info.get('Autostart') === 'yes',
    persistent: info.get('Persistent') === 'yes',
    ...(pool.target?.path ? { path: pool.target.path } : {}),
    capacityBytes: active ? bytesOf(pool.capacity) : 0,
    allocationBytes: active ? bytesOf(pool.allocation) : 0,
    availableBytes: active ? bytesOf(pool.available) : 0,
  };
}

interface VolumeXml {
  volume?: {
    '@_type'?: string;
    name?: string;
    key?: string;
    capacity?: XmlValue;
    allocation?: XmlValue;
    target?: { path?: string; format?: { '@_type'?: string } };
    backingStore?: { path?: string };
  };
}

export function parseVolume(volumeXml: string): StorageVolume {
  const volume = (parser.parse(volumeXml) as VolumeXml).volume ?? {};
  const format = volume.target?.format?.['@_type'];
  return {
    name: volume.name ?? '',
    path: volume.target?.path ?? volume.key ?? '',
    type: volume['@_type'] ?? 'file',
    ...(format ? { format } : {}),
    capacityBytes: bytesOf(volume.capacity),
    allocationBytes: bytesOf(volume.allocation),
    ...(volume.backingStore?.path ? { backingPath: volume.backingStore.path } : {}),
  };
}

export function buildDirPoolXml(name: string, targetPath: string): string {
  return builder.build({ pool: { '@_type': 'dir', name, target: { path: targetPath } } }) as string;
}

/**
 * Where the default pool goes. For a user's own session daemon: the app's data dir
 * ($XDG_DATA_HOME/isolab/images). QEMU of the system daemon runs as its own user, which cannot enter a home
 * folder (0700), so system connections (and root's session, served by the system daemon) use libvirt's
 * standard /var/lib/libvirt/images, as virt-manager does.
 */
export function defaultPoolPath(uri: string, config: Pick<BackendConfig, 'env' | 'identity'>): string {
  const ownSession = uri === 'qemu:///session' && config.identity.uid !== 0;
  if (!ownSession) return '/var/lib/libvirt/images';
  const xdg = config.env.XDG_DATA_HOME;
  const dataHome = xdg && path.isAbsolute(xdg) ? xdg : path.join(config.identity.home, '.local', 'share');
  return path.join(dataHome, 'isolab', 'images');
}

export function isLocalUri(uri: string): boolean {
  return uri === 'qemu:///system' || uri === 'qemu:///session';
}

/** Writes `xml` to a private temporary file for `virsh define`-style commands, which read a file. */
export async function withXmlFile<T>(xml: string, use: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'isolab-xml-'));
  try {
    const file = path.join(dir, 'definition.xml');
    await writeFile(file, xml, { mode: 0o600 });
    return await use(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface StorageServiceOptions {
  /** The default pool's name and folder; tests give their own. */
  defaultPool?: (uri: string) => { name: string; path: string };
}

export type StorageService = ReturnType<typeof createStorageService>;

export function createStorageService(virsh: Virsh, config: Pick<BackendConfig, 'env' | 'identity'>, options: StorageServiceOptions = {}) {
  const defaultPool = options.defaultPool ?? ((uri: string) => ({ name: 'default', path: defaultPoolPath(uri, config) }));

  async function pool(uri: string, name: string, signal?: AbortSignal): Promise<StoragePool> {
    const given = signal ? { signal } : {};
    const [info, xml] = await Promise.all([
      virsh.run(uri, ['pool-info', '--bytes', name], given),
      virsh.run(uri, ['pool-dumpxml', name], given),
    ]);
    return parsePool(name, info, xml);
  }

  async function poolNames(uri: string, signal?: AbortSignal): Promise<string[]> {
    const names = await virsh.run(uri, ['pool-list', '--all', '--name'], signal ? { signal } : {});
    return names.split('\n').map((name) => name.trim()).filter(Boolean);
  }

  async function volumeNames(uri: string, poolName: string): Promise<string[]> {
    const listed = await virsh.run(uri, ['vol-list', '--pool', poolName]);
    // "name  path" rows. A volume name never holds "/", so the path starts at the first " /" (names may have spaces).
    return listed
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => /^(.*?)\s+\//.exec(line)?.[1] ?? line.split(/\s+/)[0] ?? line);
  }

  async function volume(uri: string, poolName: string, name: string): Promise<StorageVolume> {
    return parseVolume(await virsh.run(uri, ['vol-dumpxml', '--pool', poolName, name]));
  }

  async function createPool(uri: string, name: string, targetPath: string): Promise<StoragePool> {
    if ((await poolNames(uri)).includes(name)) {
      throw new AppError('CONFLICT', `A storage pool named ${name} already exists on ${uri}.`, { fix: { text: 'Choose another name.' } });
    }
    await withXmlFile(buildDirPoolXml(name, targetPath), (file) => virsh.run(uri, ['pool-define', file]));
    try {
      await virsh.run(uri, ['pool-build', name]);
      await virsh.run(uri, ['pool-start', name]);
      await virsh.run(uri, ['pool-autostart', name]);
    } catch (error) {
      await virsh.run(uri, ['pool-destroy', name]).catch(() => undefined);
      await virsh.run(uri, ['pool-undefine', name]).catch(() => undefined);
      throw error;
    }
    return pool(uri, name);
  }

  return {
    pool,
    volume,
    createPool,

    async pools(uri: string, signal?: AbortSignal): Promise<StoragePool[]> {
      const names = await poolNames(uri, signal);
      return mapLimited(names, 4, (name) => pool(uri, name, signal));
    },

    async startPool(uri: string, name: string): Promise<StoragePool> {
      await virsh.run(uri, ['pool-start', name]);
      return pool(uri, name);
    },

    async deletePool(uri: string, name: string, deleteFolder: boolean): Promise<void> {
      const found = await pool(uri, name);
      if (found.state === 'running') await virsh.run(uri, ['pool-destroy', name]);
      if (found.persistent) await virsh.run(uri, ['pool-undefine', name]);
      // rmdir, not rm -r: a folder that still holds files is the user's data, and stays.
      if (deleteFolder && found.path && isLocalUri(uri)) {
        await rmdir(found.path).catch((error: unknown) => {
          throw new AppError('CONFLICT', `The pool ${name} is removed, but its folder ${found.path} is not empty, so it stays.`, {
            detail: String(error),
          });
        });
      }
    },

    async defaultPoolPlan(uri: string): Promise<DefaultPoolPlan> {
      const planned = defaultPool(uri);
      return { ...planned, needed: !(await poolNames(uri)).includes(planned.name) };
    },

    async createDefaultPool(uri: string): Promise<StoragePool> {
      const planned = defaultPool(uri);
      // pool-build makes only the last folder; a local data dir may lack its parents too.
      if (isLocalUri(uri)) await mkdir(path.dirname(planned.path), { recursive: true });
      return createPool(uri, planned.name, planned.path);
    },

    volumeNames,

    async volumes(uri: string, poolName: string): Promise<StorageVolume[]> {
      return mapLimited(await volumeNames(uri, poolName), 4, (name) => volume(uri, poolName, name));
    },

    async createVolume(uri: string, poolName: string, name: string, capacityBytes: number, format: 'qcow2' | 'raw'): Promise<StorageVolume> {
      await virsh.run(uri, ['vol-create-as', poolName, name, `${capacityBytes}b`, '--format', format]);
      return volume(uri, poolName, name);
    },

    async deleteVolume(uri: string, poolName: string, name: string): Promise<void> {
      await virsh.run(uri, ['vol-delete', '--pool', poolName, name]);
    },

    async resizeVolume(uri: string, poolName: string, name: string, capacityBytes: number): Promise<StorageVolume> {
      const current = await volume(uri, poolName, name);
      if (capacityBytes < current.capacityBytes) {
        throw new AppError('INVALID_ARGUMENT', `${name} is ${current.capacityBytes} bytes; shrinking a volume would cut off the guest's data.`, {
          fix: { text: 'Give a size at least as large as the current one.' },
        });
      }
      if (capacityBytes > current.capacityBytes) await virsh.run(uri, ['vol-resize', '--pool', poolName, name, `${capacityBytes}b`]);
      return volume(uri, poolName, name);
    },

    /** Streams a host file into a volume (works for remote connections too); `timeoutMs` bounds big images. */
    async uploadVolume(uri: string, poolName: string, name: string, file: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
      await virsh.run(uri, ['vol-upload', '--pool', poolName, name, file], { timeoutMs, ...(signal ? { signal } : {}) });
    },
  };
}
