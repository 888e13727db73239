// Reads domains through virsh: one domain's list row or detail (dumpxml + dominfo + domstats, addresses while it
// runs), and the whole list (one domstats for every domain, one dumpxml each). Plain Node; never imports electron.
import { AppError } from '@shared/errors';
import type { VmDetail, VmSummary } from '@shared/vm-types';
import { parseVirshInfo } from '../host/parsers';
import { parseDomainXml, type DomainXmlFacts } from './domain-xml-read';
import { VirshError, type Virsh } from './virsh';
import { diskCapacities, parseDhcpLeases, parseDomifaddr, parseDomstats, reasonFromCode, stateFromCode, type DomainStatsRecord } from './virsh-output';

export interface DomainReader {
  /** A list row read fresh; null when the domain does not exist (any more). */
  summary(uri: string, name: string): Promise<VmSummary | null>;
  list(uri: string): Promise<VmSummary[]>;
  detail(uri: string, name: string): Promise<VmDetail>;
  xml(uri: string, name: string, inactive: boolean): Promise<string>;
}

const statsGroups = ['--state', '--block'];
/** How many domains are read at once for the list. */
const listConcurrency = 8;

function isNotFound(error: unknown): boolean {
  return error instanceof VirshError && error.failure.kind === 'not-found';
}

async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return results;
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

interface Flags {
  autostart: boolean;
  persistent: boolean;
}

/** The row from its XML facts, its domstats record and its flags. */
export function toSummary(facts: DomainXmlFacts, stats: DomainStatsRecord | undefined, flags: Flags, addresses: string[]): VmSummary {
  const state = stateFromCode(stats?.fields['state.state']);
  const capacities = stats ? diskCapacities(stats.fields) : new Map<string, { capacity: number }>();
  const disks = facts.disks.filter((disk) => disk.device === 'disk');
  const sized = disks.flatMap((disk) => capacities.get(disk.target)?.capacity ?? []);
  return {
    name: facts.name,
    uuid: facts.uuid,
    state,
    reason: reasonFromCode(state, stats?.fields['state.reason']),
    domainType: facts.domainType,
    acceleration: facts.acceleration,
    vcpus: facts.vcpus,
    memoryBytes: facts.memoryBytes,
    diskBytes: sized.length > 0 ? sized.reduce((sum, size) => sum + size, 0) : null,
    addresses,
    autostart: flags.autostart,
    persistent: flags.persistent,
    ...(facts.osId ? { osId: facts.osId } : {}),
    ...(facts.title ? { title: facts.title } : {}),
  };
}

export function createDomainReader(virsh: Virsh): DomainReader {
  const run = (uri: string, args: string[]) => virsh.run(uri, args);

  /** Addresses by MAC: the network's DHCP leases (domifaddr's default) and, with an agent channel, the agent's view. */
  async function addresses(uri: string, name: string, facts: DomainXmlFacts): Promise<Map<string, string[]>> {
    const sources = [run(uri, ['domifaddr', '--', name])];
    if (facts.hasGuestAgentChannel) sources.push(run(uri, ['domifaddr', '--source', 'agent', '--', name]));
    const found = new Map<string, string[]>();
    for (const result of await Promise.allSettled(sources)) {
      // No lease yet, or no agent answering: nothing known, which is not an error.
      if (result.status !== 'fulfilled') continue;
      for (const { mac, address } of parseDomifaddr(result.value)) {
        const list = found.get(mac) ?? [];
        if (!list.includes(address)) list.push(address);
        found.set(mac, list);
      }
    }
    return found;
  }

  async function readOne(uri: string, name: string) {
    const [xml, info, stats] = await Promise.all([
      run(uri, ['dumpxml', '--', name]),
      run(uri, ['dominfo', '--', name]),
      run(uri, ['domstats', '--raw', ...statsGroups, '--', name]),
    ]);
    const facts = parseDomainXml(xml);
    const fields = parseVirshInfo(info);
    const record = parseDomstats(stats)[0];
    const running = record !== undefined && stateFromCode(record.fields['state.state']) !== 'shutoff';
    const byMac = running ? await addresses(uri, name, facts) : new Map<string, string[]>();
    const flags = { autostart: fields.Autostart === 'enable', persistent: fields.Persistent === 'yes' };
    return { xml, facts, record, flags, byMac };
  }

  const flatAddresses = (facts: DomainXmlFacts, byMac: Map<string, string[]>) => [...new Set(facts.nics.flatMap((nic) => byMac.get(nic.mac) ?? []))];

  return {
    async summary(uri, name) {
      try {
        const { facts, record, flags, byMac } = await readOne(uri, name);
        return toSummary(facts, record, flags, flatAddresses(facts, byMac));
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    async list(uri) {
      const [stats, autostarted, persistent, networks] = await Promise.all([
        run(uri, ['domstats', '--raw', ...statsGroups]),
        run(uri, ['list', '--all', '--autostart', '--name']),
        run(uri, ['list', '--all', '--persistent', '--name']),
        run(uri, ['net-list', '--name']).catch(() => ''),
      ]);
      const records = parseDomstats(stats);
      const autostart = new Set(lines(autostarted));
      const persistentNames = new Set(lines(persistent));
      // One read of each active network's leases serves every domain's addresses.
      const leases = new Map<string, string[]>();
      for (const text of await Promise.all(lines(networks).map((network) => run(uri, ['net-dhcp-leases', '--', network]).catch(() => '')))) {
        for (const { mac, address } of parseDhcpLeases(text)) leases.set(mac, [...(leases.get(mac) ?? []), address]);
      }
      const rows = await inBatches(records, listConcurrency, async (record) => {
        let xml: string;
        try {
          xml = await run(uri, ['dumpxml', '--', record.name]);
        } catch (error) {
          // Undefined between the two reads: its event says so.
          if (isNotFound(error)) return undefined;
          throw error;
        }
        const facts = parseDomainXml(xml);
        const running = stateFromCode(record.fields['state.state']) !== 'shutoff';
        const byMac = running && facts.hasGuestAgentChannel ? await addresses(uri, record.name, facts) : leases;
        return toSummary(facts, record, { autostart: autostart.has(record.name), persistent: persistentNames.has(record.name) }, running ? flatAddresses(facts, byMac) : []);
      });
      return rows.filter((row): row is VmSummary => row !== undefined);
    },

    async detail(uri, name) {
      const { facts, record, flags, byMac } = await readOne(uri, name);
      const capacities = record ? diskCapacities(record.fields) : new Map<string, { capacity: number; allocation: number }>();
      const snapshots = await run(uri, ['snapshot-list', '--name', '--', name]).catch(() => '');
      const summary = toSummary(facts, record, flags, flatAddresses(facts, byMac));
      const detail: VmDetail = {
        ...facts,
        ...summary,
        disks: facts.disks.map((disk) => {
          const size = capacities.get(disk.target);
          return size ? { ...disk, capacityBytes: size.capacity, allocationBytes: size.allocation } : disk;
        }),
        nics: facts.nics.map((nic) => ({ ...nic, addresses: byMac.get(nic.mac) ?? [] })),
        snapshotCount: lines(snapshots).length,
      };
      return detail;
    },

    async xml(uri, name, inactive) {
      const xml = await run(uri, ['dumpxml', ...(inactive ? ['--inactive'] : []), '--', name]);
      if (!xml.trim()) throw new AppError('INTERNAL', `libvirt returned no XML for ${name}`);
      return xml;
    },
  };
}
