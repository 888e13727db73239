// Reads libvirt domain XML (`virsh dumpxml`) with fast-xml-parser into the typed parts of a VM's detail: OS and
// osinfo metadata, firmware, machine, domain type (the acceleration used), CPU, memory, disks, NICs, graphics,
// consoles. Pure parsing; plain Node, never imports electron.
import { XMLParser } from 'fast-xml-parser';
import { AppError } from '@shared/errors';
import type { VmAcceleration, VmConsole, VmDetail, VmDisk, VmGraphics, VmNic } from '@shared/vm-types';

const repeated = new Set(['disk', 'interface', 'graphics', 'serial', 'console', 'channel', 'boot', 'listen', 'parallel']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => repeated.has(name),
});

type Node = Record<string, unknown>;

function node(value: unknown): Node | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Node) : undefined;
}

function nodes(value: unknown): Node[] {
  const items: unknown[] = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.flatMap((item): Node[] => {
    const found = node(item);
    if (found) return [found];
    // An element without attributes or children (<boot/>-like text) comes as a plain string.
    return typeof item === 'string' ? [{ '#text': item }] : [];
  });
}

/** An element's text, whether the parser made it a string (no attributes) or an object with #text. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  const found = node(value)?.['#text'];
  return typeof found === 'string' && found !== '' ? found : undefined;
}

function attr(value: unknown, name: string): string | undefined {
  const found = node(value)?.[`@${name}`];
  return typeof found === 'string' ? found : undefined;
}

function integer(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

const unitFactors: Record<string, number> = {
  b: 1,
  bytes: 1,
  k: 1024,
  kib: 1024,
  kb: 1000,
  m: 1024 ** 2,
  mib: 1024 ** 2,
  mb: 1000 ** 2,
  g: 1024 ** 3,
  gib: 1024 ** 3,
  gb: 1000 ** 3,
  t: 1024 ** 4,
  tib: 1024 ** 4,
  tb: 1000 ** 4,
};

/** `<memory unit='KiB'>524288</memory>` in bytes; libvirt's default unit is KiB. */
function memoryBytes(element: unknown): number {
  const amount = integer(text(element)) ?? 0;
  const unit = (attr(element, 'unit') ?? 'KiB').toLowerCase();
  return amount * (unitFactors[unit] ?? 1024);
}

export function accelerationOf(domainType: string): VmAcceleration {
  if (domainType === 'kvm') return 'kvm';
  if (domainType === 'qemu') return 'tcg';
  return 'other';
}

function readDisk(element: Node): VmDisk | undefined {
  const target = attr(element.target, 'dev');
  if (!target) return undefined;
  const sourceType = attr(element, 'type') ?? 'file';
  const source = node(element.source);
  const pool = attr(source, 'pool');
  const volume = attr(source, 'volume');
  const path = attr(source, 'file') ?? attr(source, 'dev') ?? attr(source, 'dir') ?? attr(source, 'name') ?? (pool && volume ? `${pool}/${volume}` : undefined);
  const device = (attr(element, 'device') ?? 'disk') as VmDisk['device'];
  const format = attr(element.driver, 'type');
  const bootOrder = integer(attr(element.boot, 'order'));
  return {
    target,
    bus: attr(element.target, 'bus') ?? '',
    device,
    sourceType,
    ...(path ? { source: path } : {}),
    ...(pool ? { pool } : {}),
    ...(volume ? { volume } : {}),
    ...(format ? { format } : {}),
    readOnly: 'readonly' in element,
    shareable: 'shareable' in element,
    ...(bootOrder === undefined ? {} : { bootOrder }),
  };
}

function readNic(element: Node): VmNic {
  const type = attr(element, 'type') ?? 'network';
  const source = node(element.source);
  const sourceName = attr(source, 'network') ?? attr(source, 'bridge') ?? attr(source, 'dev');
  const model = attr(element.model, 'type');
  const hostDevice = attr(element.target, 'dev');
  return {
    mac: (attr(element.mac, 'address') ?? '').toLowerCase(),
    type,
    ...(sourceName ? { source: sourceName } : {}),
    ...(model ? { model } : {}),
    ...(hostDevice ? { hostDevice } : {}),
    addresses: [],
  };
}

function readGraphics(element: Node): VmGraphics {
  const listenElement = nodes(element.listen).find((listen) => attr(listen, 'address'));
  const listen = attr(element, 'listen') ?? attr(listenElement, 'address');
  const port = integer(attr(element, 'port'));
  return {
    type: attr(element, 'type') ?? 'unknown',
    ...(listen ? { listen } : {}),
    ...(port === undefined ? {} : { port }),
    autoport: attr(element, 'autoport') === 'yes',
  };
}

function readConsole(kind: VmConsole['kind'], element: Node): VmConsole {
  const path = attr(element.source, 'path') ?? attr(element, 'tty');
  const target = kind === 'channel' ? attr(element.target, 'name') : (attr(element.target, 'type') ?? undefined);
  const logFile = attr(element.log, 'file');
  return {
    kind,
    type: attr(element, 'type') ?? 'pty',
    ...(path ? { path } : {}),
    ...(target ? { target } : {}),
    ...(logFile ? { logFile } : {}),
  };
}

/** What the domain XML alone says; the caller adds state, sizes, addresses, autostart and snapshots. */
export type DomainXmlFacts = Omit<VmDetail, 'state' | 'reason' | 'autostart' | 'persistent' | 'addresses' | 'diskBytes' | 'snapshotCount'>;

export function parseDomainXml(xml: string): DomainXmlFacts {
  let parsed: Node;
  try {
    parsed = parser.parse(xml) as Node;
  } catch (error) {
    throw new AppError('INTERNAL', 'libvirt returned domain XML that cannot be read', { detail: String(error) });
  }
  const domain = node(parsed.domain);
  const name = text(domain?.name);
  if (!domain || !name) throw new AppError('INTERNAL', 'libvirt returned XML that is not a domain definition', { detail: xml.slice(0, 200) });

  const os = node(domain.os) ?? {};
  const type = os.type;
  const devices = node(domain.devices) ?? {};
  const cpu = node(domain.cpu);
  const topology = node(cpu?.topology);
  const maxVcpus = integer(text(domain.vcpu)) ?? 1;
  const currentVcpus = integer(attr(domain.vcpu, 'current')) ?? maxVcpus;
  const loader = text(os.loader);
  const nvram = text(os.nvram);
  const uefi = attr(os, 'firmware') === 'efi' || (loader !== undefined && attr(os.loader, 'type') === 'pflash') || nvram !== undefined;
  const osInfo = node(node(node(domain.metadata)?.libosinfo)?.os);
  const osInfoUrl = attr(osInfo, 'id');
  const domainType = attr(domain, 'type') ?? 'unknown';
  const kernel = text(os.kernel);
  const initrd = text(os.initrd);
  const cmdline = text(os.cmdline);
  const title = text(domain.title);
  const description = text(domain.description);
  const channels = nodes(devices.channel).map((element) => readConsole('channel', element));
  const model = text(cpu?.model);
  const cpuMode = attr(cpu, 'mode');
  const emulator = text(devices.emulator);

  return {
    name,
    uuid: text(domain.uuid) ?? '',
    domainType,
    acceleration: accelerationOf(domainType),
    vcpus: currentVcpus,
    memoryBytes: memoryBytes(domain.memory),
    currentMemoryBytes: domain.currentMemory === undefined ? memoryBytes(domain.memory) : memoryBytes(domain.currentMemory),
    ...(title ? { title } : {}),
    ...(description ? { description } : {}),
    ...(osInfoUrl ? { osInfoUrl, osId: osIdFromUrl(osInfoUrl) } : {}),
    osType: text(type) ?? 'hvm',
    arch: attr(type, 'arch') ?? '',
    machine: attr(type, 'machine') ?? '',
    firmware: uefi ? 'uefi' : 'bios',
    ...(loader ? { loader } : {}),
    ...(nvram ? { nvram } : {}),
    secureBoot: attr(os.loader, 'secure') === 'yes',
    bootDevices: nodes(os.boot).flatMap((boot) => attr(boot, 'dev') ?? []),
    ...(kernel ? { directKernelBoot: { kernel, ...(initrd ? { initrd } : {}), ...(cmdline ? { cmdline } : {}) } } : {}),
    cpu: {
      ...(cpuMode ? { mode: cpuMode } : {}),
      ...(model ? { model } : {}),
      ...(topology
        ? {
            sockets: integer(attr(topology, 'sockets')) ?? 1,
            cores: integer(attr(topology, 'cores')) ?? 1,
            threads: integer(attr(topology, 'threads')) ?? 1,
          }
        : {}),
      currentVcpus,
    },
    disks: nodes(devices.disk).flatMap((element) => readDisk(element) ?? []),
    nics: nodes(devices.interface).map(readNic),
    graphics: nodes(devices.graphics).map(readGraphics),
    consoles: [
      ...nodes(devices.serial).map((element) => readConsole('serial', element)),
      ...nodes(devices.console).map((element) => readConsole('console', element)),
      ...channels,
    ],
    ...(emulator ? { emulator } : {}),
    hasGuestAgentChannel: channels.some((channel) => channel.target === 'org.qemu.guest_agent.0'),
  };
}

/** libosinfo ids are URLs (http://debian.org/debian/12); the short id tools show is derived from the last parts. */
export function osIdFromUrl(url: string): string {
  const parts = url.replace(/^[a-z]+:\/\//, '').split('/').filter(Boolean);
  if (parts.length >= 3) return `${parts[parts.length - 2]}${parts[parts.length - 1]}`;
  return parts.at(-1) ?? url;
}
