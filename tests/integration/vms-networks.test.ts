// libvirt networks and VM addresses against the real libvirtd: the default NAT network listed, a test network of
// our own started, stopped and autostarted through the backend, the default network's plan (dnsmasq found), and a
// VM's DHCP address (iPXE asks the default network's dnsmasq for one) in the list and the detail.
import fs from 'node:fs';
import path from 'node:path';
import { XMLBuilder } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
afterAll(() => {
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
