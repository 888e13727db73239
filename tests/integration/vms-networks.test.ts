// libvirt networks and VM addresses against the real libvirtd: the default NAT network listed, a test network of
// our own started, stopped and autostarted through the backend, the default network's plan (dnsmasq found), the
// default network created when missing (the host's own put back exactly), and a VM's DHCP address (iPXE asks the
// default network's dnsmasq for one) in the list and the detail.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { XMLBuilder } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseVirshInfo } from '../../electron/backend/host/parsers';
import { defaultNetworkXml } from '../../electron/backend/libvirt/networks';
import { failure } from '../helpers/failure';
import { startBackend, waitFor, type TestBackend } from './helpers/docker-cli';
import type { VmNetworkChange } from '@shared/vm-types';
import { defineGuest, makeTestFolder, ownEventChildren, removeDomains, systemUri as uri, validateXml, virsh } from './helpers/vm-guest';

const prefix = 'itest-vm-net-';
const network = `${prefix}isolated`;

let test: TestBackend;
let folder: string;

function removeNetwork(): void {
  for (const args of [['net-destroy', network], ['net-undefine', network]]) {
    try {
      virsh(...args);
    } catch {
      // Not there, or not running.
    }
  }
}

beforeAll(() => {
  removeDomains(prefix);
  removeNetwork();
  folder = makeTestFolder('itest-vm-net-');
  test = startBackend('vm-network-test');
  const xml = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true }).build({
    network: { name: network, bridge: { '@_name': 'itvmbr0' }, ip: { '@_address': '10.213.77.1', '@_netmask': '255.255.255.0' } },
  }) as string;
  const file = path.join(folder, 'network.xml');
  fs.writeFileSync(file, xml);
  virsh('net-define', file);
});

/** The host's own default network as it was before a test removed it: definition, state and the VMs plugged in. */
interface SavedDefaultNetwork {
  xmlFile: string;
  uuid: string;
  active: boolean;
  autostart: boolean;
  /** The VMs' tap devices on its bridge: a bridge made anew has none of them. */
  ports: string[];
}
let savedDefault: SavedDefaultNetwork | undefined;

function defaultNetworkInfo(): Record<string, string> | undefined {
  try {
    return parseVirshInfo(virsh('net-info', 'default'));
  } catch {
    return undefined;
  }
}

function bridgePorts(bridge: string): string[] {
  const folder = `/sys/class/net/${bridge}/brif`;
  return fs.existsSync(folder) ? fs.readdirSync(folder) : [];
}

function saveDefaultNetwork(): SavedDefaultNetwork {
  const info = defaultNetworkInfo();
  if (!info) throw new Error('tests/env defines libvirt\'s default network; it is missing: run tests/env/vm-network.sh start');
  const xmlFile = path.join(folder, 'default-network.xml');
  fs.writeFileSync(xmlFile, virsh('net-dumpxml', '--inactive', 'default'));
  return { xmlFile, uuid: info.UUID ?? '', active: info.Active === 'yes', autostart: info.Autostart === 'yes', ports: bridgePorts(info.Bridge ?? 'virbr0') };
}

/** Puts the saved default network back as it was, whatever state a failed test left: idempotent. */
function restoreDefaultNetwork(saved: SavedDefaultNetwork): void {
  const info = defaultNetworkInfo();
  if (info && info.UUID !== saved.uuid) {
    if (info.Active === 'yes') virsh('net-destroy', 'default');
    virsh('net-undefine', 'default');
  }
  if (!defaultNetworkInfo()) virsh('net-define', saved.xmlFile);
  if (saved.active && defaultNetworkInfo()?.Active !== 'yes') virsh('net-start', 'default');
  virsh('net-autostart', ...(saved.autostart ? [] : ['--disable']), 'default');
  const bridge = defaultNetworkInfo()?.Bridge ?? 'virbr0';
  // As libvirtd does for running VMs when it restarts: plug their taps into the new bridge again.
  for (const port of saved.ports) {
    if (fs.existsSync(`/sys/class/net/${port}`) && !bridgePorts(bridge).includes(port)) execFileSync('ip', ['link', 'set', 'dev', port, 'master', bridge]);
  }
}

afterAll(() => {
  if (savedDefault) restoreDefaultNetwork(savedDefault);
  test?.close();
  removeDomains(prefix);
  removeNetwork();
  fs.rmSync(folder, { recursive: true, force: true });
});

describe('libvirt networks', () => {
  it('lists the default NAT network and ours', async () => {
    const networks = await test.client.call('vmNetworks.list', { uri });
    expect(networks.find((candidate) => candidate.name === 'default')).toMatchObject({
      active: true,
      forwardMode: 'nat',
      bridge: 'virbr0',
      addresses: ['192.168.122.1/24'],
      dhcpRanges: [{ start: '192.168.122.2', end: '192.168.122.254' }],
    });
    expect(networks.find((candidate) => candidate.name === network)).toMatchObject({
      active: false,
      autostart: false,
      persistent: true,
      forwardMode: 'isolated',
      bridge: 'itvmbr0',
      addresses: ['10.213.77.1/24'],
      dhcpRanges: [],
    });
  });

  it('starts, autostarts and stops our network, and its events arrive on vmNetworks.changed', async () => {
    const changes: VmNetworkChange[] = [];
    const subscription = test.client.subscribe('vmNetworks.changed', { uri }, { next: (change) => changes.push(change) });
    const resyncs = () => changes.filter((change) => change.kind === 'resync').length;
    await waitFor('the stream listening', () => (resyncs() === 1 ? true : undefined));
    expect(ownEventChildren('net-event')).toHaveLength(1);
    await test.client.call('vmNetworks.start', { uri, name: network });
    expect(virsh('net-info', network)).toMatch(/^Active:\s+yes$/m);
    await test.client.call('vmNetworks.setAutostart', { uri, name: network, autostart: true });
    expect(virsh('net-info', network)).toMatch(/^Autostart:\s+yes$/m);
    await test.client.call('vmNetworks.setAutostart', { uri, name: network, autostart: false });
    await test.client.call('vmNetworks.stop', { uri, name: network });
    const after = (await test.client.call('vmNetworks.list', { uri })).find((candidate) => candidate.name === network);
    expect(after).toMatchObject({ active: false, autostart: false });
    expect((await failure(test.client.call('vmNetworks.stop', { uri, name: network }))).code).toBe('CONFLICT');
    await waitFor('the Started and Stopped events', () =>
      changes.some((change) => change.kind === 'network' && change.name === network && change.event === 'Stopped') ? true : undefined,
    );
    expect(changes.filter((change) => change.kind === 'network' && change.name === network).map((change) => change.kind === 'network' && change.event)).toEqual(['Started', 'Stopped']);

    // Its child restarted after it exits, with a resync, and events flow again.
    process.kill(ownEventChildren('net-event')[0]!, 'SIGKILL');
    await waitFor('a resync after the restart', () => (resyncs() === 2 ? true : undefined));
    virsh('net-start', network);
    await waitFor('the Started event after the restart', () => (changes.filter((change) => change.kind === 'network' && change.event === 'Started').length === 2 ? true : undefined));
    virsh('net-destroy', network);
    subscription.unsubscribe();
    await waitFor('the net-event child gone', () => (ownEventChildren('net-event').length === 0 ? true : undefined));
  });

  it('knows the default network exists and dnsmasq is installed, and will not create a second one', async () => {
    expect(await test.client.call('vmNetworks.defaultPlan', { uri })).toEqual({ exists: true, dnsmasqFound: true });
    const error = await failure(test.client.call('vmNetworks.createDefault', { uri }));
    expect(error.code).toBe('CONFLICT');
    // What it would define passes libvirt's schema.
    expect(validateXml(defaultNetworkXml(), 'network', folder)).toMatch(/validates/);
  });

  it('fails with NOT_FOUND for a network that does not exist', async () => {
    expect((await failure(test.client.call('vmNetworks.start', { uri, name: `${prefix}missing` }))).code).toBe('NOT_FOUND');
  });
});

describe('the default network when missing', () => {
  it('plans and creates libvirt\'s default NAT network on virbr0, started and autostarted', async () => {
    savedDefault = saveDefaultNetwork();
    try {
      // Other tests on this host may need the network: it is gone only between here and createDefault.
      if (savedDefault.active) virsh('net-destroy', 'default');
      virsh('net-undefine', 'default');
      const plan = await test.client.call('vmNetworks.defaultPlan', { uri });
      const created = await test.client.call('vmNetworks.createDefault', { uri });
      expect(plan).toEqual({ exists: false, dnsmasqFound: true });
      expect(created).toMatchObject({
        name: 'default',
        active: true,
        autostart: true,
        persistent: true,
        forwardMode: 'nat',
        bridge: 'virbr0',
        addresses: ['192.168.122.1/24'],
        dhcpRanges: [{ start: '192.168.122.2', end: '192.168.122.254' }],
      });
      const info = defaultNetworkInfo();
      expect(info).toMatchObject({ Active: 'yes', Persistent: 'yes', Autostart: 'yes', Bridge: 'virbr0' });
      expect(info?.UUID).not.toBe(savedDefault.uuid);
      expect(fs.existsSync('/sys/class/net/virbr0')).toBe(true);
      expect((await failure(test.client.call('vmNetworks.createDefault', { uri }))).code).toBe('CONFLICT');
    } finally {
      restoreDefaultNetwork(savedDefault);
    }
    expect(defaultNetworkInfo()).toMatchObject({ UUID: savedDefault.uuid, Active: savedDefault.active ? 'yes' : 'no', Autostart: savedDefault.autostart ? 'yes' : 'no' });
    expect(virsh('net-dumpxml', '--inactive', 'default')).toBe(fs.readFileSync(savedDefault.xmlFile, 'utf8'));
  });
});

describe('VM addresses', () => {
  it('shows the address the default network leased to a VM', async () => {
    const name = `${prefix}pxe`;
    defineGuest({ name, serialLog: path.join(folder, 'pxe.log'), nic: { network: 'default' }, networkBoot: true });
    await test.client.call('vms.start', { uri, name });
    const row = await waitFor(
      'a DHCP lease for the VM',
      async () => (await test.client.call('vms.list', { uri })).find((vm) => vm.name === name && vm.addresses.length > 0),
      60_000,
    );
    expect(row.addresses[0]).toMatch(/^192\.168\.122\.\d+$/);
    const detail = await test.client.call('vms.detail', { uri, name });
    expect(detail.nics[0]).toMatchObject({ type: 'network', source: 'default', addresses: row.addresses });
    expect(detail.addresses).toEqual(row.addresses);
    await test.client.call('vms.destroy', { uri, name });
  });
});
