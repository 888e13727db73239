// Parses what virsh prints for VMs: `domstats --raw` records, state and reason codes, `virsh event --loop` lines,
// `domifaddr` and `net-dhcp-leases` tables, and the stats sample computed from two domstats readings.
// Pure parsing; plain Node, never imports electron.
import type { VmState, VmStatsSample } from '@shared/vm-types';

/** One domain of `virsh domstats --raw`: its name and its key=value fields, as printed. */
export interface DomainStatsRecord {
  name: string;
  fields: Record<string, string>;
}

export function parseDomstats(text: string): DomainStatsRecord[] {
  const records: DomainStatsRecord[] = [];
  let current: DomainStatsRecord | undefined;
  for (const line of text.split('\n')) {
    const header = /^Domain: '(.*)'$/.exec(line);
    if (header) {
      current = { name: header[1] ?? '', fields: {} };
      records.push(current);
      continue;
    }
    const field = /^\s+([^=\s]+)=(.*)$/.exec(line);
    if (field && current) current.fields[field[1]!] = field[2]!;
  }
  return records;
}

// virDomainState, in order.
const stateNames: VmState[] = ['nostate', 'running', 'blocked', 'paused', 'shutdown', 'shutoff', 'crashed', 'pmsuspended'];

// The reason enums per state (virDomainRunningReason, virDomainPausedReason, ...), as virsh domstate --reason says them.
const reasonNames: Partial<Record<VmState, string[]>> = {
  running: ['unknown', 'booted', 'migrated', 'restored', 'from snapshot', 'unpaused', 'migration canceled', 'save canceled', 'woken up', 'crashed', 'post-copy', 'post-copy failed'],
  paused: ['unknown', 'user', 'migrating', 'saving', 'dumping', 'I/O error', 'watchdog', 'from snapshot', 'shutting down', 'creating snapshot', 'starting up', 'post-copy', 'post-copy failed', 'API error'],
  shutoff: ['unknown', 'shutdown', 'destroyed', 'crashed', 'migrated', 'saved', 'failed', 'from snapshot', 'daemon'],
  shutdown: ['unknown', 'user'],
  crashed: ['unknown', 'panicked'],
};

export function stateFromCode(code: string | undefined): VmState {
  return stateNames[Number(code)] ?? 'nostate';
}

export function reasonFromCode(state: VmState, code: string | undefined): string {
  return reasonNames[state]?.[Number(code)] ?? 'unknown';
}

function numberField(fields: Record<string, string>, key: string): number {
  const value = Number(fields[key]);
  return Number.isFinite(value) ? value : 0;
}

/** Sum of `prefix.N.suffix` over N < `prefix.count`. */
function sumIndexed(fields: Record<string, string>, prefix: 'block' | 'net', suffix: string): number {
  const count = numberField(fields, `${prefix}.count`);
  let total = 0;
  for (let index = 0; index < count; index++) total += numberField(fields, `${prefix}.${index}.${suffix}`);
  return total;
}

/** Virtual size of each disk domstats reports (by target), bytes; a disk without capacity (empty CD-ROM) is left out. */
export function diskCapacities(fields: Record<string, string>): Map<string, { capacity: number; allocation: number }> {
  const sizes = new Map<string, { capacity: number; allocation: number }>();
  const count = numberField(fields, 'block.count');
  for (let index = 0; index < count; index++) {
    const name = fields[`block.${index}.name`];
    const capacity = fields[`block.${index}.capacity`];
    // A disk's backing chain repeats its name with a backingIndex; the first entry is the top image.
    if (!name || capacity === undefined || sizes.has(name)) continue;
    sizes.set(name, { capacity: Number(capacity), allocation: numberField(fields, `block.${index}.physical`) || numberField(fields, `block.${index}.allocation`) });
  }
  return sizes;
}

/** The counters a stats sample is computed from. */
export interface StatsReading {
  time: number;
  fields: Record<string, string>;
}

/** A sample from two readings of the same domain; rates and CPU % need the previous one (absent: zero). */
export function statsSample(current: StatsReading, previous: StatsReading | undefined): VmStatsSample {
  const fields = current.fields;
  const state = stateFromCode(fields['state.state']);
  const vcpus = numberField(fields, 'vcpu.current') || numberField(fields, 'vcpu.maximum') || 1;
  const seconds = previous ? (current.time - previous.time) / 1000 : 0;
  const rate = (value: (reading: StatsReading) => number) => {
    if (!previous || seconds <= 0) return 0;
    return Math.max(0, (value(current) - value(previous)) / seconds);
  };
  const cpuNs = rate((reading) => numberField(reading.fields, 'cpu.time'));
  return {
    time: current.time,
    state,
    cpuPercent: Math.min(100, (cpuNs / 1e9 / vcpus) * 100),
    vcpus,
    memoryBytes: numberField(fields, 'balloon.current') * 1024,
    memoryRssBytes: numberField(fields, 'balloon.rss') * 1024,
    diskReadRate: rate((reading) => sumIndexed(reading.fields, 'block', 'rd.bytes')),
    diskWriteRate: rate((reading) => sumIndexed(reading.fields, 'block', 'wr.bytes')),
    netRxRate: rate((reading) => sumIndexed(reading.fields, 'net', 'rx.bytes')),
    netTxRate: rate((reading) => sumIndexed(reading.fields, 'net', 'tx.bytes')),
  };
}

/** One line of `virsh event --loop --all`: which event, for which domain, and libvirt's words about it. */
export interface DomainEvent {
  event: string;
  domain: string;
  detail?: string;
}

// `event 'lifecycle' for domain 'NAME': Started Booted`; the detail may itself contain quotes (agent-lifecycle),
// so the name ends at the first quote followed by the end or by ": ".
const eventLine = /^(?:\S+ \S+: )?event '([^']+)' for domain '(.*?)'(?:: (.*))?$/;

export function parseEventLine(line: string): DomainEvent | undefined {
  const match = eventLine.exec(line.trimEnd());
  if (!match) return undefined;
  const [, event, domain, detail] = match;
  if (!event || domain === undefined) return undefined;
  return { event, domain, ...(detail ? { detail } : {}) };
}

/** One line of `virsh net-event --loop`: `event 'lifecycle' for network NAME: Started` (the name is not quoted). */
export function parseNetworkEventLine(line: string): { event: string; network: string; detail: string } | undefined {
  const match = /^(?:\S+ \S+: )?event '([^']+)' for network (.+): (\S+)$/.exec(line.trimEnd());
  if (!match) return undefined;
  const [, event, network, detail] = match;
  return event && network && detail ? { event, network, detail } : undefined;
}

/** Splits a growing stream of text into lines; the last partial line waits for the next chunk. */
export function createLineSplitter(onLine: (line: string) => void): { push(chunk: string): void; end(): void } {
  let rest = '';
  return {
    push(chunk) {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const part of parts) if (part.trim()) onLine(part);
    },
    end() {
      if (rest.trim()) onLine(rest);
      rest = '';
    },
  };
}

/** Rows of a virsh table (`domifaddr`, `net-dhcp-leases`): the cells of each line under the dashes. */
export function tableRows(text: string): string[][] {
  const lines = text.split('\n');
  const ruler = lines.findIndex((line) => /^-{5,}/.test(line.trim()));
  const body = ruler === -1 ? lines : lines.slice(ruler + 1);
  return body.map((line) => line.trim().split(/\s+/)).filter((cells) => cells.length > 1 && cells[0] !== '');
}

/** `virsh domifaddr`: interface → addresses (without prefix length); a continuation row leaves name and MAC empty. */
export function parseDomifaddr(text: string): { mac: string; address: string }[] {
  const rows: { mac: string; address: string }[] = [];
  let mac = '';
  for (const cells of tableRows(text)) {
    // Full rows: name, MAC, protocol, address; continuation rows: "-", "-", protocol, address (or just protocol, address).
    const address = cells.at(-1) ?? '';
    if (cells.length >= 4 && cells[1] !== '-') mac = (cells[1] ?? '').toLowerCase();
    if (!/^[0-9a-f.:]+\/\d+$/i.test(address) || !mac) continue;
    const bare = address.replace(/\/\d+$/, '');
    // The loopback the agent reports is no address to reach the guest at.
    if (bare === '127.0.0.1' || bare === '::1' || bare.toLowerCase().startsWith('fe80:')) continue;
    rows.push({ mac, address: bare });
  }
  return rows;
}

/** `virsh net-dhcp-leases NETWORK`: MAC → address (without prefix length). */
export function parseDhcpLeases(text: string): { mac: string; address: string }[] {
  return tableRows(text).flatMap((cells) => {
    // Expiry time is two cells (date time), then MAC, protocol, address, hostname, client id.
    const mac = cells.find((cell) => /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(cell));
    const address = cells.find((cell) => /^[0-9a-f.:]+\/\d+$/i.test(cell));
    return mac && address ? [{ mac: mac.toLowerCase(), address: address.replace(/\/\d+$/, '') }] : [];
  });
}
