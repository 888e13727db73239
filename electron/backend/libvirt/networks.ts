// libvirt virtual networks through virsh: list (read from each network's XML with the parser), start, stop,
// autostart, and libvirt's default NAT network created when missing (written with the XML builder; it needs dnsmasq,
// and says how to install it when absent). Plain Node; never imports electron.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { AppError, type Fix } from '@shared/errors';
import type { VmDefaultNetworkPlan, VmNetwork, VmNetworkChange } from '@shared/vm-types';
import { abortableSleep } from '../abortable-sleep';
import type { BackendConfig } from '../config';
import { readFixContext } from '../host/doctor';
import { installCommand, type PackageNames } from '../host/fixes';
import { findOnPath } from '../host/host-files';
import { parseVirshInfo } from '../host/parsers';
import { isLocalUri } from './domain-actions';
import { VirshError, type Virsh } from './virsh';
import { runVirshLines } from './virsh-lines';
import { parseNetworkEventLine } from './virsh-output';

const dnsmasqPackages: PackageNames = { debian: 'dnsmasq-base', fedora: 'dnsmasq', arch: 'dnsmasq', suse: 'dnsmasq' };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === 'ip' || name === 'range',
});

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', format: true, indentBy: '  ', suppressEmptyNode: true });

interface NetworkXml {
  network?: {
    name?: string;
    uuid?: string;
    forward?: { '@mode'?: string } | string;
    bridge?: { '@name'?: string };
    ip?: { '@address'?: string; '@netmask'?: string; '@prefix'?: string; '@family'?: string; dhcp?: { range?: { '@start'?: string; '@end'?: string }[] } }[];
  };
}

function prefixOf(netmask: string): number {
  return netmask.split('.').reduce((bits, part) => bits + (Number(part) >>> 0).toString(2).replace(/0/g, '').length, 0);
}

/** Reads `virsh net-dumpxml` into the parts a list shows; state and autostart come from net-info. */
export function parseNetworkXml(xml: string): Omit<VmNetwork, 'active' | 'autostart' | 'persistent'> {
  const network = (parser.parse(xml) as NetworkXml).network;
  if (!network?.name) throw new AppError('INTERNAL', 'libvirt returned network XML without a name', { detail: xml.slice(0, 200) });
  const forward = network.forward;
  const forwardMode = forward === undefined ? 'isolated' : typeof forward === 'string' ? 'nat' : (forward['@mode'] ?? 'nat');
  const ips = network.ip ?? [];
  return {
    name: network.name,
    uuid: network.uuid ?? '',
    forwardMode,
    ...(network.bridge?.['@name'] ? { bridge: network.bridge['@name'] } : {}),
    addresses: ips.flatMap((ip) => {
      const address = ip['@address'];
      if (!address) return [];
      const prefix = ip['@prefix'] ?? (ip['@netmask'] ? String(prefixOf(ip['@netmask'])) : undefined);
      return [prefix ? `${address}/${prefix}` : address];
    }),
    dhcpRanges: ips.flatMap((ip) => (ip.dhcp?.range ?? []).flatMap((range) => (range['@start'] && range['@end'] ? [{ start: range['@start'], end: range['@end'] }] : []))),
  };
}

/** libvirt's own default network (as /usr/share/libvirt/networks/default.xml defines it). */
export function defaultNetworkXml(): string {
  return builder.build({
    network: {
      name: 'default',
      forward: { '@mode': 'nat' },
      bridge: { '@name': 'virbr0', '@stp': 'on', '@delay': '0' },
      ip: { '@address': '192.168.122.1', '@netmask': '255.255.255.0', dhcp: { range: { '@start': '192.168.122.2', '@end': '192.168.122.254' } } },
    },
  }) as string;
}

export interface NetworkEventOptions {
  env: NodeJS.ProcessEnv;
  retryMs?: number;
  maxRetryMs?: number;
  settleMs?: number;
}

/**
 * Follows `virsh net-event --loop` for one subscriber until `signal` aborts: `resync` once the child listens (read the
 * list now: nothing after it is missed), then each lifecycle event; when the child exits it is started again (at once
 * after a long life, else with a growing pause) and says `resync` again, since events in the gap are lost.
 */
export async function followNetworkEvents(uri: string, deliver: (change: VmNetworkChange) => void, signal: AbortSignal, options: NetworkEventOptions): Promise<void> {
  const retryMs = options.retryMs ?? 250;
  const maxRetryMs = options.maxRetryMs ?? 5000;
  let delay = retryMs;
  while (!signal.aborted) {
    const started = Date.now();
    await runVirshLines({
      uri,
      args: ['net-event', '--loop', '--event', 'lifecycle'],
      env: options.env,
      signal,
      settleMs: options.settleMs ?? 150,
      onLine: (line) => {
        const event = parseNetworkEventLine(line);
        if (event) deliver({ kind: 'network', name: event.network, event: event.detail });
      },
      onListening: () => deliver({ kind: 'resync' }),
    });
    if (signal.aborted) return;
    const livedLong = Date.now() - started > 2000;
    const wait = livedLong ? 0 : delay;
    delay = livedLong ? retryMs : Math.min(delay * 2, maxRetryMs);
    if (wait > 0) await abortableSleep(wait, signal);
  }
}

export function createVmNetworks(config: BackendConfig, virsh: Virsh) {
  async function dnsmasqFix(): Promise<Fix> {
    const context = await readFixContext(config);
    return { text: 'libvirt runs dnsmasq for the network\'s DHCP and DNS: install it, then start the network again.', command: installCommand(context, dnsmasqPackages) };
  }

  /** A start that failed for want of dnsmasq gets the install command as its fix. */
  async function explainStart(error: unknown): Promise<never> {
    if (error instanceof VirshError && /dnsmasq/i.test(error.detail ?? '')) {
      throw new AppError('UNAVAILABLE', `The network cannot start: dnsmasq is missing.`, { detail: error.detail ?? '', fix: await dnsmasqFix() });
    }
    throw error;
  }

  async function read(uri: string, name: string): Promise<VmNetwork> {
    const [xml, info] = await Promise.all([virsh.run(uri, ['net-dumpxml', '--', name]), virsh.run(uri, ['net-info', '--', name])]);
    const fields = parseVirshInfo(info);
    return { ...parseNetworkXml(xml), active: fields.Active === 'yes', autostart: fields.Autostart === 'yes', persistent: fields.Persistent === 'yes' };
  }

  async function plan(uri: string): Promise<VmDefaultNetworkPlan> {
    const exists = await virsh.run(uri, ['net-info', '--', 'default']).then(
      () => true,
      (error: unknown) => {
        if (error instanceof VirshError && error.failure.kind === 'not-found') return false;
        throw error;
      },
    );
    // On a remote host the daemon's own PATH is unknown here: the start itself says when dnsmasq is missing.
    const dnsmasqFound = !isLocalUri(uri) || (await findOnPath('dnsmasq', config.programPath)) !== undefined;
    return { exists, dnsmasqFound, ...(dnsmasqFound ? {} : { fix: await dnsmasqFix() }) };
  }

  return {
    read,
    plan,

    async list(uri: string): Promise<VmNetwork[]> {
      const names = (await virsh.run(uri, ['net-list', '--all', '--name']))
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
      return Promise.all(names.map((name) => read(uri, name)));
    },

    async start(uri: string, name: string): Promise<void> {
      await virsh.run(uri, ['net-start', '--', name]).catch(explainStart);
    },

    async stop(uri: string, name: string): Promise<void> {
      await virsh.run(uri, ['net-destroy', '--', name]);
    },

    async setAutostart(uri: string, name: string, autostart: boolean): Promise<void> {
      await virsh.run(uri, ['net-autostart', ...(autostart ? [] : ['--disable']), '--', name]);
    },

    async createDefault(uri: string): Promise<VmNetwork> {
      const current = await plan(uri);
      if (current.exists) throw new AppError('CONFLICT', `${uri} already has a network named default.`, { fix: { text: 'Start it from the list instead.' } });
      if (!current.dnsmasqFound) throw new AppError('UNAVAILABLE', 'The default network needs dnsmasq, which is not installed.', current.fix ? { fix: current.fix } : {});
      const folder = await mkdtemp(path.join(tmpdir(), 'isolab-network-'));
      try {
        const file = path.join(folder, 'default.xml');
        await writeFile(file, defaultNetworkXml(), { mode: 0o600 });
        await virsh.run(uri, ['net-define', '--', file]);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
      try {
        await virsh.run(uri, ['net-start', '--', 'default']).catch(explainStart);
        await virsh.run(uri, ['net-autostart', '--', 'default']);
      } catch (error) {
        // Defined but unable to run: leave nothing behind, so the next try starts clean.
        await virsh.run(uri, ['net-destroy', '--', 'default']).catch(() => undefined);
        await virsh.run(uri, ['net-undefine', '--', 'default']).catch(() => undefined);
        throw error;
      }
      return read(uri, 'default');
    },
  };
}
