// The RPC handlers for VMs: connections, domains (list, detail, XML, lifecycle, delete, clone), snapshots, libvirt
// networks, the live `vms.changed` stream and `vms.stats` (domstats about every second, only while subscribed).
// Every call runs on a known connection and explains a libvirt that is down with the doctor's fix. Never imports electron.
import type { Api } from '@shared/api';
import type { VmStatsSample } from '@shared/vm-types';
import type { BackendConfig } from '../config';
import { runCommand, type CommandRunner } from '../exec';
import type { MethodHandlers, StreamHandlers, StreamSink } from '../rpc-server';
import { createLibvirtConnections, type LibvirtConnections } from './connections';
import { createDomainActions, type SimpleAction } from './domain-actions';
import { createDomainCloner } from './domain-clone';
import { createDomainReader } from './domains';
import type { SettingsStore } from '../settings';
import { createVmNetworks, followNetworkEvents } from './networks';
import { createSnapshots } from './snapshots';
import { createVirsh, type Virsh } from './virsh';
import { withoutTtyPrompt } from './virsh-lines';
import { parseDomstats, statsSample, type StatsReading } from './virsh-output';
import { createVmChanges, type VmChanges } from './vm-changes';

type VmMethodName = Extract<keyof Api['methods'], `vms.${string}` | `vmSnapshots.${string}` | `vmNetworks.${string}`>;
type VmTopicName = 'vms.changed' | 'vms.stats' | 'vmNetworks.changed';

export interface VmHandlers {
  methods: Pick<MethodHandlers<Api>, VmMethodName>;
  streams: Pick<StreamHandlers<Api>, VmTopicName>;
  connections: LibvirtConnections;
  changes: VmChanges;
  dispose(): void;
}

export interface VmHandlerOptions {
  run?: CommandRunner;
  /** How often `vms.stats` samples; 1 s by default. */
  statsIntervalMs?: number;
}

/** Every virsh call of the VM area runs remote connections with libvirt's no_tty option. */
export function withoutTty(virsh: Virsh): Virsh {
  return { run: (uri, args, options) => virsh.run(withoutTtyPrompt(uri), args, options), version: (options) => virsh.version(options) };
}

const statsArgs = ['domstats', '--raw', '--state', '--cpu-total', '--balloon', '--vcpu', '--interface', '--block'];

/** `settings` keeps the remote connections the user added. */
export function createVmHandlers(config: BackendConfig, settings: SettingsStore, options: VmHandlerOptions = {}): VmHandlers {
  const run = options.run ?? runCommand;
  const statsIntervalMs = options.statsIntervalMs ?? 1000;
  const life = new AbortController();
  const virsh = withoutTty(createVirsh(run, { timeoutMs: 30_000 }, { ...config.env, PATH: config.programPath }));
  const connections = createLibvirtConnections(config, virsh, settings);
  const reader = createDomainReader(virsh);
  const childEnv = { ...config.env, PATH: config.programPath };
  const changes = createVmChanges(connections, reader, { env: childEnv });
  const actions = createDomainActions(virsh, changes);
  const clone = createDomainCloner(virsh, run, changes);
  const snapshots = createSnapshots(virsh, changes);
  const networks = createVmNetworks(config, virsh);
  const on = connections.withLibvirt;

  const simple = (action: SimpleAction, verb: string) => ({ uri, name }: { uri: string; name: string }) =>
    on(uri, `${verb} ${name}`, () => actions.simple(uri, name, action));

  /** Starts a stream's source once the URI is known to be one of the connections; else the stream ends with why. */
  function onKnown(uri: string, sink: StreamSink<unknown>, subscription: AbortSignal, start: (signal: AbortSignal) => void): void {
    const signal = AbortSignal.any([subscription, life.signal]);
    connections.ensureKnown(uri).then(
      () => {
        if (!signal.aborted) start(signal);
      },
      (error: unknown) => sink.error(error),
    );
  }

  function stats(uri: string, name: string, sink: StreamSink<VmStatsSample>, signal: AbortSignal): void {
    let previous: StatsReading | undefined;
    let timer: NodeJS.Timeout | undefined;
    const tick = async () => {
      let text: string;
      try {
        text = await on(uri, `Reading the stats of ${name}`, () => virsh.run(uri, [...statsArgs, '--', name], { signal }));
      } catch (error) {
        if (!signal.aborted) sink.error(error);
        return;
      }
      if (signal.aborted) return;
      const record = parseDomstats(text)[0];
      if (record) {
        const reading = { time: Date.now(), fields: record.fields };
        sink.next(statsSample(reading, previous));
        previous = reading;
      }
      timer = setTimeout(() => void tick(), statsIntervalMs);
    };
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    void tick();
  }

  return {
    connections,
    changes,
    methods: {
      'vms.connections': () => connections.list(),
      'vms.addConnection': ({ uri }) => connections.add(uri),
      'vms.removeConnection': ({ uri }) => connections.remove(uri),

      'vms.list': ({ uri }) => on(uri, 'Listing the VMs', () => reader.list(uri)),
      'vms.detail': ({ uri, name }) => on(uri, `Reading ${name}`, () => reader.detail(uri, name)),
      'vms.xml': ({ uri, name, inactive }) => on(uri, `Reading the XML of ${name}`, () => reader.xml(uri, name, inactive)),

      'vms.start': simple('start', 'Starting'),
      'vms.destroy': simple('destroy', 'Forcing off'),
      'vms.reboot': simple('reboot', 'Rebooting'),
      'vms.reset': simple('reset', 'Resetting'),
      'vms.suspend': simple('suspend', 'Pausing'),
      'vms.resume': simple('resume', 'Resuming'),
      'vms.shutdown': ({ uri, name, timeoutSeconds }) => on(uri, `Shutting down ${name}`, () => actions.shutdown(uri, name, timeoutSeconds)),
      'vms.setAutostart': ({ uri, name, autostart }) =>
        on(uri, `${autostart ? 'Turning on' : 'Turning off'} autostart of ${name}`, () => actions.setAutostart(uri, name, autostart)),
      'vms.delete': ({ uri, name, disks }) => on(uri, `Deleting ${name}`, () => actions.remove(uri, name, disks)),
      'vms.clone': ({ uri, name, newName }) => on(uri, `Cloning ${name}`, () => clone(uri, name, newName)),

      'vmSnapshots.list': ({ uri, name }) => on(uri, `Listing the snapshots of ${name}`, () => snapshots.list(uri, name)),
      'vmSnapshots.create': ({ uri, name, snapshot, description }) =>
        on(uri, `Taking snapshot ${snapshot} of ${name}`, () => snapshots.create(uri, name, snapshot, description)),
      'vmSnapshots.revert': ({ uri, name, snapshot }) => on(uri, `Reverting ${name} to ${snapshot}`, () => snapshots.revert(uri, name, snapshot)),
      'vmSnapshots.delete': ({ uri, name, snapshot }) => on(uri, `Deleting snapshot ${snapshot} of ${name}`, () => snapshots.remove(uri, name, snapshot)),

      'vmNetworks.list': ({ uri }) => on(uri, 'Listing the networks', () => networks.list(uri)),
      'vmNetworks.start': ({ uri, name }) => on(uri, `Starting network ${name}`, () => networks.start(uri, name)),
      'vmNetworks.stop': ({ uri, name }) => on(uri, `Stopping network ${name}`, () => networks.stop(uri, name)),
      'vmNetworks.setAutostart': ({ uri, name, autostart }) =>
        on(uri, `${autostart ? 'Turning on' : 'Turning off'} autostart of network ${name}`, () => networks.setAutostart(uri, name, autostart)),
      'vmNetworks.defaultPlan': ({ uri }) => on(uri, 'Checking the default network', () => networks.plan(uri)),
      'vmNetworks.createDefault': ({ uri }) => on(uri, 'Creating the default network', () => networks.createDefault(uri)),
    },
    streams: {
      'vms.changed': ({ uri }, sink, context) =>
        onKnown(uri, sink, context.signal, (signal) => {
          const unsubscribe = changes.subscribe(uri, (change) => sink.next(change));
          signal.addEventListener('abort', unsubscribe, { once: true });
        }),
      'vmNetworks.changed': ({ uri }, sink, context) =>
        onKnown(uri, sink, context.signal, (signal) => void followNetworkEvents(uri, (change) => sink.next(change), signal, { env: childEnv })),
      'vms.stats': ({ uri, name }, sink, context) => stats(uri, name, sink, AbortSignal.any([context.signal, life.signal])),
    },
    dispose() {
      life.abort();
      changes.dispose();
    },
  };
}
