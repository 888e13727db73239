// The RPC handlers of the Compare lab: probes, host view, lab containers, the start-time race, the guided
// experiments and the VMs' SSH settings, each on a known libvirt connection and the Docker endpoint in use.
// Never imports electron.
import type { Api } from '@shared/api';
import type { BackendConfig } from '../config';
import type { DockerAccess } from '../docker/docker-access';
import { runCommand, type CommandRunner } from '../exec';
import type { LibvirtConnections } from '../libvirt/connections';
import { createDomainReader } from '../libvirt/domains';
import { createVirsh } from '../libvirt/virsh';
import { withoutTty } from '../libvirt/vm-handlers';
import type { MethodHandlers, RpcContext, StreamHandlers, StreamSink } from '../rpc-server';
import type { SettingsStore } from '../settings';
import { createContainerShell } from './container-shell';
import { runExperiment } from './experiments';
import { createHostShell } from './host-shell';
import { createHostView } from './host-view';
import { createLabContainers } from './lab-containers';
import { runProbes } from './probe-runs';
import { runStartRace } from './start-race';
import { openVmShell } from './vm-shell';
import { createVmSshSettings } from './vm-ssh-settings';

type CompareMethodName = Extract<keyof Api['methods'], `compare.${string}`>;
type CompareTopicName = Extract<keyof Api['streams'], `compare.${string}`>;

export interface CompareHandlers {
  methods: Pick<MethodHandlers<Api>, CompareMethodName>;
  streams: Pick<StreamHandlers<Api>, CompareTopicName>;
  dispose(): void;
}

export function createCompareHandlers(
  config: BackendConfig,
  docker: DockerAccess,
  connections: LibvirtConnections,
  settings: SettingsStore,
  options: { run?: CommandRunner } = {},
): CompareHandlers {
  const life = new AbortController();
  const env = { ...config.env, PATH: config.programPath };
  const virsh = withoutTty(createVirsh(options.run ?? runCommand, { timeoutMs: 30_000 }, env));
  const reader = createDomainReader(virsh);
  const vmDetail = (uri: string, name: string) => connections.withLibvirt(uri, `Reading VM ${name}`, () => reader.detail(uri, name));
  const hostView = createHostView({ docker, vmDetail, roots: config.roots });
  const labContainers = createLabContainers(docker);
  const vmSsh = createVmSshSettings({ settings, env, addresses: async (vm) => (await vmDetail(vm.uri, vm.name)).addresses });
  const shells = {
    hostShell: () => createHostShell(env),
    containerShell: (id: string, name: string) => createContainerShell(docker, id, name, config.roots.proc),
    vmShell: async (vm: { uri: string; name: string }, signal: AbortSignal) => {
      await connections.ensureKnown(vm.uri);
      return openVmShell({ virsh, env, ssh: vmSsh }, vm, { signal });
    },
  };

  /**
   * Runs a stream's work on a known libvirt connection (when it names one) until the client unsubscribes or the
   * backend ends; the stream ends with the work's error, or normally.
   */
  function streamOn<Event>(uri: string | undefined, sink: StreamSink<Event>, context: RpcContext, work: (emit: (event: Event) => void, signal: AbortSignal) => Promise<unknown>): void {
    const signal = AbortSignal.any([context.signal, life.signal]);
    (async () => {
      if (uri) await connections.ensureKnown(uri);
      await work((event) => sink.next(event), signal);
    })().then(
      () => sink.end(),
      (error: unknown) => sink.error(error),
    );
  }

  return {
    methods: {
      'compare.launchContainer': ({ image }) => labContainers.launch(image),
      'compare.cleanup': () => labContainers.cleanup(),
      'compare.hostView': async (args, context) => {
        if (args.vm) await connections.ensureKnown(args.vm.uri);
        return hostView.read(args, context.signal);
      },
      'compare.vmSsh': async ({ vm }) => {
        await connections.ensureKnown(vm.uri);
        return (await vmSsh.config(vm)) ?? null;
      },
      'compare.setVmSsh': async ({ vm, ssh }) => {
        await connections.ensureKnown(vm.uri);
        return vmSsh.save(vm, ssh);
      },
    },
    streams: {
      'compare.probe': (args, sink, context) =>
        streamOn(args.vm?.uri, sink, context, (emit, signal) => runProbes({ docker, vmDetail, ...shells }, args, emit, signal)),
      'compare.race': (args, sink, context) => streamOn(args.vm.uri, sink, context, (emit, signal) => runStartRace({ docker, virsh, env }, args, emit, signal)),
      'compare.experiment': (args, sink, context) =>
        streamOn(args.vm?.uri, sink, context, (emit, signal) =>
          runExperiment(
            {
              docker,
              ...shells,
              race: (raceArgs, onEvent, raceSignal) => runStartRace({ docker, virsh, env }, raceArgs, onEvent, raceSignal),
              hostView: (viewArgs, viewSignal) => hostView.read(viewArgs, viewSignal),
              vmInfo: async (vm) => {
                const detail = await vmDetail(vm.uri, vm.name);
                return { state: detail.state, addresses: detail.addresses, acceleration: detail.acceleration };
              },
            },
            args,
            emit,
            signal,
          ),
        ),
    },
    dispose: () => life.abort(),
  };
}
