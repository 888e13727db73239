// Operating systems and their sensible VM settings from osinfo-db: the list through `osinfo-query` (libosinfo-bin),
// resources, firmware and virtio support from the database's XML (following derives-from/upgrades); built-in
// generic defaults when it is not installed. Plain Node; never imports electron.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { AppError, type Fix } from '@shared/errors';
import { genericOsDefaults } from '@shared/vm-create-schemas';
import type { OsList, OsVariant, VmOsDefaults } from '@shared/vm-create-types';
import type { CommandRunner } from '../exec';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const osinfoFix: Fix = {
  text: 'Install libosinfo-bin (osinfo-query) and osinfo-db for OS-specific defaults; without them Isolab uses generic ones.',
  command: 'sudo apt install libosinfo-bin osinfo-db',
};

/** `osinfo-query os --fields=…` prints a table with "|" between columns, a header and a dashed line. */
export function parseOsinfoTable(text: string, columns: number): string[][] {
  return text
    .split('\n')
    .slice(2)
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .filter((cells) => cells.length === columns && cells[0] !== '');
}

const queryFields = 'short-id,name,version,family,id';

export function parseOsList(text: string): (OsVariant & { url: string })[] {
  return parseOsinfoTable(text, 5).map(([id = '', name = '', version = '', family = '', url = '']) => ({ id, name, version, family, url }));
}

interface ResourcesXml {
  '@_arch'?: string;
  minimum?: { 'n-cpus'?: string; ram?: string; storage?: string };
  recommended?: { 'n-cpus'?: string; ram?: string; storage?: string };
}

interface OsXml {
  '@_id'?: string;
  family?: string;
  'derives-from'?: { '@_id'?: string }[];
  upgrades?: { '@_id'?: string }[];
  resources?: ResourcesXml[];
  firmware?: { '@_arch'?: string; '@_type'?: string; '@_supported'?: string }[];
  devices?: { device?: { '@_id'?: string }[] }[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  isArray: (name) => ['derives-from', 'upgrades', 'resources', 'firmware', 'devices', 'device'].includes(name),
});

/** What the OS record (and the records it derives from) says, with the nearest record winning. */
export interface OsFacts {
  family?: string;
  minimum: { cpus?: number; ramBytes?: number; storageBytes?: number };
  recommended: { cpus?: number; ramBytes?: number; storageBytes?: number };
  /** True when the OS (line) lists virtio devices: its kernel has the drivers. */
  virtio: boolean;
  /** True when only UEFI is supported for x86_64 (Windows 11). */
  uefiOnly: boolean;
}

const virtioDevicePrefix = 'http://pcisig.com/pci/1af4/';

/** http://microsoft.com/win/11 → <db>/os/microsoft.com/win-11.xml: how osinfo-db names its files. */
export function osinfoFileFor(dbDir: string, url: string): string | undefined {
  const match = /^https?:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!match?.[1] || !match[2]) return undefined;
  return path.join(dbDir, 'os', match[1], `${match[2].replaceAll('/', '-')}.xml`);
}

function numberOf(text: string | undefined): number | undefined {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

function resourcesFor(os: OsXml, level: 'minimum' | 'recommended') {
  const forArch = (os.resources ?? []).filter((resources) => resources['@_arch'] === 'x86_64' || resources['@_arch'] === 'all');
  const chosen = forArch.find((resources) => resources['@_arch'] === 'x86_64' && resources[level]) ?? forArch.find((resources) => resources[level]);
  const values = chosen?.[level];
  return { cpus: numberOf(values?.['n-cpus']), ramBytes: numberOf(values?.ram), storageBytes: numberOf(values?.storage) };
}

function fillMissing<T extends object>(target: T, source: T): void {
  for (const key of Object.keys(source) as (keyof T)[]) if (target[key] === undefined) target[key] = source[key];
}

/** Reads the OS record at `url` and its ancestors (at most 12 steps, against cycles). */
export async function readOsFacts(dbDir: string, url: string): Promise<OsFacts | undefined> {
  const facts: OsFacts = { minimum: {}, recommended: {}, virtio: false, uefiOnly: false };
  let found = false;
  let next: string | undefined = url;
  for (let step = 0; next && step < 12; step++) {
    const file = osinfoFileFor(dbDir, next);
    const text = file ? await readFile(file, 'utf8').catch(() => undefined) : undefined;
    const os = text ? (parser.parse(text) as { libosinfo?: { os?: OsXml } }).libosinfo?.os : undefined;
    if (!os) break;
    found = true;
    facts.family ??= os.family;
    fillMissing(facts.minimum, resourcesFor(os, 'minimum'));
    fillMissing(facts.recommended, resourcesFor(os, 'recommended'));
    const devices = (os.devices ?? []).flatMap((group) => group.device ?? []);
    if (devices.some((device) => device['@_id']?.startsWith(virtioDevicePrefix))) facts.virtio = true;
    if (step === 0) {
      const firmware = (os.firmware ?? []).filter((entry) => entry['@_arch'] === 'x86_64');
      facts.uefiOnly = firmware.some((entry) => entry['@_type'] === 'bios' && entry['@_supported'] === 'false');
    }
    next = os['derives-from']?.[0]?.['@_id'] ?? os.upgrades?.[0]?.['@_id'];
  }
  return found ? facts : undefined;
}

export function defaultsFromFacts(osId: string, facts: OsFacts): VmOsDefaults {
  // A recommendation inherited from an older release can be below this release's own minimum (Windows 11).
  const pick = (key: 'cpus' | 'ramBytes' | 'storageBytes') => {
    const values = [facts.recommended[key], facts.minimum[key]].filter((value) => value !== undefined);
    return values.length > 0 ? Math.max(...values) : undefined;
  };
  const ramBytes = pick('ramBytes');
  const storageBytes = pick('storageBytes');
  // Linux kernels have had virtio drivers for ages, even where an old record does not list the devices.
  const virtio = facts.virtio || facts.family === 'linux';
  return {
    osId,
    memoryMiB: ramBytes ? Math.max(256, Math.ceil(ramBytes / MiB)) : genericOsDefaults.memoryMiB,
    vcpus: pick('cpus') ?? genericOsDefaults.vcpus,
    diskGiB: storageBytes ? Math.max(1, Math.ceil(storageBytes / GiB)) : genericOsDefaults.diskGiB,
    firmware: facts.uefiOnly ? 'uefi' : 'bios',
    diskBus: virtio ? 'virtio' : 'sata',
    nicModel: virtio ? 'virtio' : 'e1000e',
    from: 'osinfo',
  };
}

export interface OsinfoService {
  list(signal?: AbortSignal): Promise<OsList>;
  /** The libosinfo URL id for a short id (for the domain metadata); NOT_FOUND when unknown. */
  urlFor(osId: string, signal?: AbortSignal): Promise<string>;
  defaults(osId: string | undefined, signal?: AbortSignal): Promise<VmOsDefaults>;
}

export function createOsinfoService(run: CommandRunner, options: { dbDir?: string; timeoutMs?: number } = {}): OsinfoService {
  const dbDir = options.dbDir ?? '/usr/share/osinfo';
  const timeoutMs = options.timeoutMs ?? 15_000;
  let cached: Promise<(OsVariant & { url: string })[]> | undefined;

  function all(signal?: AbortSignal) {
    cached ??= run('osinfo-query', ['os', `--fields=${queryFields}`], { timeoutMs, ...(signal ? { signal } : {}) }).then((result) => {
      if (result.exitCode !== 0) throw new AppError('INTERNAL', 'osinfo-query failed', { detail: result.stderr.trim() });
      return parseOsList(result.stdout).sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    });
    // A failure (not installed yet) is not remembered: installing it later must work without a restart.
    cached.catch(() => (cached = undefined));
    return cached;
  }

  async function urlFor(osId: string, signal?: AbortSignal): Promise<string> {
    const variant = (await all(signal)).find((candidate) => candidate.id === osId);
    if (!variant) throw new AppError('NOT_FOUND', `osinfo-db does not know the operating system "${osId}".`, { fix: { text: 'Choose one from the list, or "Generic".' } });
    return variant.url;
  }

  return {
    async list(signal) {
      try {
        return { variants: (await all(signal)).map(({ id, name, version, family }) => ({ id, name, version, family })) };
      } catch (error) {
        if (error instanceof AppError && error.code === 'NOT_FOUND') return { variants: [], fix: osinfoFix };
        throw error;
      }
    },
    urlFor,
    async defaults(osId, signal) {
      if (!osId) return genericOsDefaults;
      const facts = await readOsFacts(dbDir, await urlFor(osId, signal));
      return facts ? defaultsFromFacts(osId, facts) : { ...genericOsDefaults, osId };
    },
  };
}
