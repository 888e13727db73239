// What virsh prints for VMs, recorded from this machine's libvirt 9.0: `domstats --raw` (all domains, and two
// readings of a running one for rates), `virsh event --loop --all` lines, `domifaddr` and `net-dhcp-leases`
// tables (a real DHCP lease from iPXE), snapshot and network XML.
import { describe, expect, it } from 'vitest';
import { defaultNetworkXml, parseNetworkXml } from '../../electron/backend/libvirt/networks';
import { parseSnapshotXml } from '../../electron/backend/libvirt/snapshots';
import {
  createLineSplitter,
  diskCapacities,
  parseDhcpLeases,
  parseDomifaddr,
  parseDomstats,
  parseEventLine,
  parseNetworkEventLine,
  reasonFromCode,
  stateFromCode,
  statsSample,
} from '../../electron/backend/libvirt/virsh-output';
import { readLibvirtFixture as fixture } from './host-fixture-support';

describe('domstats', () => {
  it('splits every domain into its fields', async () => {
    const records = parseDomstats(await fixture('domstats-all.txt'));
    expect(records.map((record) => record.name)).toEqual([
      'itest-vm-probe',
      'itest-vm-fixture-kernel',
      'itest-vm-fixture-running',
      'itest-vm-fixture-full',
      'itest-vm-fixture-uefi',
    ]);
    const full = records.find((record) => record.name === 'itest-vm-fixture-full')!;
    expect(stateFromCode(full.fields['state.state'])).toBe('shutoff');
    expect(reasonFromCode('shutoff', full.fields['state.reason'])).toBe('failed');
    // The empty CD-ROM (sda) has no capacity and is left out.
    expect([...diskCapacities(full.fields)]).toEqual([
      ['vda', { capacity: 67108864, allocation: 196616 }],
      ['vdb', { capacity: 16777216, allocation: 16777216 }],
    ]);
  });

  it('names states and reasons as virsh domstate --reason does', () => {
    expect(stateFromCode('1')).toBe('running');
    expect(reasonFromCode('running', '1')).toBe('booted');
    expect(stateFromCode('3')).toBe('paused');
    expect(reasonFromCode('paused', '1')).toBe('user');
    expect(stateFromCode('7')).toBe('pmsuspended');
    expect(stateFromCode(undefined)).toBe('nostate');
    expect(reasonFromCode('shutoff', '99')).toBe('unknown');
  });

  it('turns two readings into CPU %, memory and rates', async () => {
    const [first] = parseDomstats(await fixture('domstats-pxe-1.txt'));
    const [second] = parseDomstats(await fixture('domstats-pxe-2.txt'));
    const previous = { time: 1_000, fields: first!.fields };
    const current = { time: 4_000, fields: second!.fields };
    const sample = statsSample(current, previous);
    // cpu.time went from 10.948883 s to 12.986932 s; the readings were taken about 3 s apart, on one vCPU.
    expect(sample.cpuPercent).toBeCloseTo(((12986932000 - 10948883000) / 3e9) * 100, 5);
    expect(sample).toMatchObject({ state: 'running', vcpus: 1, memoryBytes: 128 * 1024 ** 2, netRxRate: (1934 - 1840) / 3, netTxRate: (2286 - 2242) / 3, diskReadRate: 0 });
    expect(sample.memoryRssBytes).toBeGreaterThan(0);
    const firstSample = statsSample(previous, undefined);
    expect(firstSample.cpuPercent).toBe(0);
    expect(firstSample.netRxRate).toBe(0);
  });

  it('divides CPU time by the vCPUs in use and never goes above 100 %', async () => {
    const [running] = parseDomstats(await fixture('domstats-running.txt'));
    const fields = running!.fields;
    const later = { ...fields, 'cpu.time': String(Number(fields['cpu.time']) + 1e9) };
    expect(statsSample({ time: 2000, fields: later }, { time: 1000, fields }).cpuPercent).toBeCloseTo(50, 5);
    const impossible = { ...fields, 'cpu.time': String(Number(fields['cpu.time']) + 9e9) };
    expect(statsSample({ time: 2000, fields: impossible }, { time: 1000, fields }).cpuPercent).toBe(100);
  });
});

describe('virsh event lines', () => {
  it('parses every recorded line', async () => {
    const text = await fixture('virsh-event-loop.txt');
    const events = text.split('\n').filter(Boolean).map(parseEventLine);
    expect(events.every(Boolean)).toBe(true);
    expect(events[0]).toEqual({ event: 'lifecycle', domain: 'itest-term-record', detail: 'Defined Added' });
    expect(events).toContainEqual({ event: 'agent-lifecycle', domain: 'itest-vm-fixture-running', detail: "state: 'disconnected' reason: 'domain started'" });
    expect(events).toContainEqual({ event: 'lifecycle', domain: 'itest-vm-fixture-running', detail: 'Stopped Destroyed' });
    expect(events).toContainEqual({ event: 'metadata-change', domain: 'itest-vm-probe', detail: 'type description, uri <null>' });
  });

  it('reads lines with a timestamp, without detail, and names with quotes', () => {
    expect(parseEventLine("2026-11-26 00:53:08.781+0000: event 'reboot' for domain 'itest-vm-probe'")).toEqual({ event: 'reboot', domain: 'itest-vm-probe' });
    expect(parseEventLine("event 'lifecycle' for domain 'it's mine': Started Booted")).toEqual({ event: 'lifecycle', domain: "it's mine", detail: 'Started Booted' });
    expect(parseEventLine('error: Disconnected from qemu:///system due to end of file')).toBeUndefined();
  });

  it('parses network events, whose names are not quoted', async () => {
    const lines = (await fixture('net-event-loop.txt')).split('\n').filter(Boolean);
    expect(lines.map(parseNetworkEventLine).map((event) => event?.detail)).toEqual(['Defined', 'Started', 'Stopped', 'Undefined']);
    expect(parseNetworkEventLine(lines[0]!)).toEqual({ event: 'lifecycle', network: 'itest-vm-netev', detail: 'Defined' });
    expect(parseNetworkEventLine("event 'lifecycle' for domain 'x': Started Booted")).toBeUndefined();
  });

  it('splits chunks into whole lines', () => {
    const lines: string[] = [];
    const splitter = createLineSplitter((line) => lines.push(line));
    splitter.push("event 'lifecycle' for dom");
    splitter.push("ain 'a': Started Booted\nevent 'reboot' for domain 'b'\n\nevent");
    expect(lines).toEqual(["event 'lifecycle' for domain 'a': Started Booted", "event 'reboot' for domain 'b'"]);
    splitter.end();
    expect(lines.at(-1)).toBe('event');
  });
});

describe('address tables', () => {
  it('reads a DHCP lease from domifaddr', async () => {
    expect(parseDomifaddr(await fixture('domifaddr-lease.txt'))).toEqual([{ mac: '52:54:00:12:34:56', address: '192.168.122.76' }]);
    expect(parseDomifaddr(' Name       MAC address          Protocol     Address\n-------------------------------------------------------------------------------\n\n')).toEqual([]);
  });

  it('reads net-dhcp-leases', async () => {
    expect(parseDhcpLeases(await fixture('net-dhcp-leases.txt'))).toEqual([{ mac: '52:54:00:12:34:56', address: '192.168.122.76' }]);
  });
});

describe('snapshot and network XML', () => {
  it('reads a snapshot taken while running and one taken while off', async () => {
    expect(parseSnapshotXml(await fixture('snapshot-running.xml'), false)).toEqual({
      name: 'first',
      description: 'before the change',
      state: 'running',
      createdAt: 1795654513,
      current: false,
      location: 'internal',
      withMemory: true,
    });
    expect(parseSnapshotXml(await fixture('snapshot-shutoff.xml'), true)).toMatchObject({ name: 'second', state: 'shutoff', parent: 'first', current: true, withMemory: false, location: 'internal' });
  });

  it('reads the default NAT network and writes one that reads back the same', async () => {
    const recorded = parseNetworkXml(await fixture('network-default.xml'));
    expect(recorded).toEqual({
      name: 'default',
      uuid: '616f6092-cba6-4855-88c7-04f3d68d562f',
      forwardMode: 'nat',
      bridge: 'virbr0',
      addresses: ['192.168.122.1/24'],
      dhcpRanges: [{ start: '192.168.122.2', end: '192.168.122.254' }],
    });
    expect({ ...parseNetworkXml(defaultNetworkXml()), uuid: recorded.uuid }).toEqual(recorded);
  });
});
