// The doctor's libvirt section: virsh and its version, the daemon (monolithic libvirtd or modular
// virtqemud), each connection URI, the domain types QEMU offers, the default network and storage pool.
// Plain Node; never imports electron.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Fix, WireError } from '@shared/errors';
import type { Check, CheckStatus, LibvirtConnectionFacts, LibvirtDaemonMode, LibvirtFacts, LibvirtObjectState, Section } from '@shared/types';
import { toAppError } from '../app-errors';
import type { HostRoots } from '../config';
import { domainTypesFor, poolTargetPath } from '../libvirt/capabilities';
import { VirshError, type Virsh, type VirshFailureKind } from '../libvirt/virsh';
import {
  addToGroupCommand,
  asAdmin,
  installCommand,
  packages,
  reloginAdvice,
  restartServiceCommand,
  startServiceCommand,
  type FixContext,
} from './fixes';
import { describeAccess, findOnPath, inspectAccess, processNames, type Accounts, type FileAccess } from './host-files';
import { parseVirshInfo, parseVirshVersion } from './parsers';
import { makeSection } from './section';

export interface ConnectionObservation {
  uri: string;
  version?: { library?: string; hypervisor?: string; daemon?: string };
  failure?: {
    error: WireError;
    kind: VirshFailureKind | 'timeout' | 'virsh-missing';
    /** The daemon socket virsh named, and for a refused one, who may use it. */
    socket?: string;
    socketAccess?: FileAccess;
  };
  domainTypes: string[];
  network?: LibvirtObjectState | null;
  pool?: (LibvirtObjectState & { path?: string }) | null;
}

export interface LibvirtObservation {
  virsh: { found: boolean; version?: string };
  daemonsRunning: string[];
  /** Socket names under /run/libvirt: libvirt-sock, virtqemud-sock, ... */
  sockets: string[];
  installed: { libvirtd: boolean; virtqemud: boolean };
  connections: ConnectionObservation[];
}

const daemonNames = ['libvirtd', 'virtqemud', 'virtproxyd'];

function isSystemUri(uri: string): boolean {
  return /^qemu(\+\w+)?:\/\/[^/]*\/system$/.test(uri);
}

function failureOf(error: unknown): NonNullable<ConnectionObservation['failure']> {
  const appError = toAppError(error);
  const kind = error instanceof VirshError ? error.failure.kind : appError.code === 'TIMEOUT' ? 'timeout' : 'other';
  const socket = error instanceof VirshError ? error.failure.socket : undefined;
  return { error: appError.toWire(), kind, ...(socket ? { socket } : {}) };
}

async function objectState(virsh: Virsh, uri: string, infoCommand: string, name: string): Promise<LibvirtObjectState | null> {
  try {
    const info = parseVirshInfo(await virsh.run(uri, [infoCommand, name]));
    // pool-info says "State: running"; net-info says "Active: yes".
    const active = info.Active ? info.Active === 'yes' : info.State === 'running';
    return { active, autostart: info.Autostart === 'yes' };
  } catch (error) {
    if (error instanceof VirshError && error.failure.kind === 'not-found') return null;
    throw error;
  }
}

async function observeConnection(virsh: Virsh, uri: string, virshFound: boolean): Promise<ConnectionObservation> {
  if (!virshFound) {
    return {
      uri,
      domainTypes: [],
      failure: { kind: 'virsh-missing', error: { code: 'UNAVAILABLE', message: 'virsh is not installed' } },
    };
  }
  let version;
  try {
    version = parseVirshVersion(await virsh.run(uri, ['version', '--daemon']));
  } catch (error) {
    return { uri, domainTypes: [], failure: failureOf(error) };
  }
  const observation: ConnectionObservation = { uri, version, domainTypes: [] };
  const system = isSystemUri(uri);
  const [capabilities, network, pool, poolXml] = await Promise.allSettled([
    virsh.run(uri, ['capabilities']),
    system ? objectState(virsh, uri, 'net-info', 'default') : Promise.resolve(undefined),
    system ? objectState(virsh, uri, 'pool-info', 'default') : Promise.resolve(undefined),
    system ? virsh.run(uri, ['pool-dumpxml', 'default']) : Promise.resolve(undefined),
  ]);
  if (capabilities.status === 'fulfilled') observation.domainTypes = domainTypesFor(capabilities.value);
  if (network.status === 'fulfilled' && network.value !== undefined) observation.network = network.value;
  if (pool.status === 'fulfilled' && pool.value !== undefined) {
    const target = poolXml.status === 'fulfilled' && poolXml.value ? poolTargetPath(poolXml.value) : undefined;
    observation.pool = pool.value && { ...pool.value, ...(target ? { path: target } : {}) };
  }
  const firstFailure = [capabilities, network, pool].find((result) => result.status === 'rejected');
  if (firstFailure?.status === 'rejected') observation.failure = failureOf(firstFailure.reason);
  return observation;
}

export async function observeLibvirt(
  virsh: Virsh,
  uris: string[],
  roots: HostRoots,
  programPath: string,
  accounts: Accounts,
): Promise<LibvirtObservation> {
  let virshVersion: string | undefined;
  try {
    virshVersion = await virsh.version();
  } catch {
    virshVersion = undefined;
  }
  const [connections, running, sockets, libvirtd, virtqemud] = await Promise.all([
    Promise.all(uris.map((uri) => observeConnection(virsh, uri, virshVersion !== undefined))),
    processNames(roots),
    fs.readdir(path.join(roots.run, 'libvirt')).catch(() => [] as string[]),
    findOnPath('libvirtd', programPath),
    findOnPath('virtqemud', programPath),
  ]);
  await Promise.all(
    connections.map(async ({ failure }) => {
      if (failure?.kind === 'permission-denied' && failure.socket) failure.socketAccess = await inspectAccess(failure.socket, accounts);
    }),
  );
  return {
    virsh: { found: virshVersion !== undefined, ...(virshVersion ? { version: virshVersion } : {}) },
    daemonsRunning: daemonNames.filter((name) => running.has(name)),
    sockets: sockets.filter((name) => name.endsWith('-sock')),
    installed: { libvirtd: libvirtd !== undefined, virtqemud: virtqemud !== undefined },
    connections,
  };
}

function daemonMode(observation: LibvirtObservation): LibvirtDaemonMode {
  const { daemonsRunning, sockets } = observation;
  if (daemonsRunning.includes('virtqemud')) return 'modular';
  if (daemonsRunning.includes('libvirtd')) return 'monolithic';
  if (sockets.includes('virtqemud-sock')) return 'modular';
  if (sockets.includes('libvirt-sock')) return 'monolithic';
  return 'unknown';
}

function qemuDaemon(observation: LibvirtObservation): 'virtqemud' | 'libvirtd' {
  const { installed } = observation;
  return daemonMode(observation) === 'modular' || (!installed.libvirtd && installed.virtqemud) ? 'virtqemud' : 'libvirtd';
}

/**
 * Without systemd the daemon is started by hand, with virtlogd (which refuses a second instance) if it is not
 * running; a restart first kills a daemon that may be hung, which a polite signal would not stop.
 */
function daemonByHand(context: FixContext, daemon: string, restart: boolean): string {
  const start = `pgrep -x -u root virtlogd >/dev/null || virtlogd -d; ${daemon} -d`;
  return asAdmin(context, `sh -c '${restart ? `pkill -KILL -x -u root ${daemon}; ${start}` : start}'`);
}

function startDaemonFix(observation: LibvirtObservation, context: FixContext): Fix {
  const { installed } = observation;
  if (!installed.libvirtd && !installed.virtqemud) {
    return { text: 'Install the libvirt daemon and QEMU.', command: installCommand(context, packages.libvirtDaemon) };
  }
  const daemon = qemuDaemon(observation);
  const units = daemon === 'virtqemud' ? ['virtqemud.socket', 'virtnetworkd.socket', 'virtstoraged.socket'] : ['libvirtd'];
  return { text: 'Start the libvirt daemon.', command: startServiceCommand(context, units, daemonByHand(context, daemon, false)) };
}

function connectionFix(
  connection: ConnectionObservation,
  observation: LibvirtObservation,
  context: FixContext,
): Fix | undefined {
  const failure = connection.failure;
  if (!failure) return undefined;
  const system = isSystemUri(connection.uri);
  if (/Unable to get system bus connection/.test(failure.error.detail ?? '')) {
    const startDbus = startServiceCommand(context, ['dbus'], asAdmin(context, 'service dbus start'));
    if (system && !context.isRoot) {
      return {
        text:
          `libvirt asks polkit, over the D-Bus system bus, whether ${context.user} may manage system VMs, and D-Bus ` +
          `is not running. Start it; members of the libvirt group are then allowed (${reloginAdvice}).`,
        command: `${startDbus} && ${addToGroupCommand(context, 'libvirt')}`,
      };
    }
    return { text: 'libvirt needs the D-Bus system bus, which is not running.', command: startDbus };
  }
  switch (failure.kind) {
    case 'virsh-missing':
      return { text: 'Install the libvirt client.', command: installCommand(context, packages.virsh) };
    case 'daemon-not-running':
      return system
        ? startDaemonFix(observation, context)
        : { text: 'virsh starts a per-user daemon for qemu:///session; it did not start. Its own message is above.' };
    case 'connection-refused':
    case 'timeout':
      return {
        text: failure.kind === 'timeout' ? 'The daemon does not answer: restart it.' : 'The daemon left a socket behind but is not running: restart it.',
        command: restartServiceCommand(
          context,
          qemuDaemon(observation),
          daemonByHand(context, qemuDaemon(observation), true),
        ),
      };
    case 'permission-denied':
    case 'not-authorized': {
      if (!system) return undefined;
      const access = failure.socketAccess;
      const group = access?.group && access.group !== 'root' ? access.group : 'libvirt';
      const why = access?.permissions
        ? `${describeAccess(access)}: only root${access.group === 'root' ? '' : ` and members of ${access.group}`} may use it. `
        : '';
      return { text: `${why}Add ${context.user} to the ${group} group, ${reloginAdvice}.`, command: addToGroupCommand(context, group) };
    }
    default:
      return {
        text: context.systemd
          ? 'See the message above; the daemon logs to the journal (journalctl -u libvirtd -u virtqemud).'
          : 'See the message above; the daemon logs to /var/log/libvirt/libvirtd.log.',
      };
  }
}

function connectionCheck(
  connection: ConnectionObservation,
  observation: LibvirtObservation,
  context: FixContext,
  systemReachable: boolean,
): Check {
  const id = `libvirt.connection.${isSystemUri(connection.uri) ? 'system' : 'session'}`;
  const servedBySystem = context.isRoot && !isSystemUri(connection.uri);
  if (connection.version?.daemon) {
    const types = connection.domainTypes.length > 0 ? `; domain types: ${connection.domainTypes.join(', ')}` : '';
    return {
      id,
      label: connection.uri,
      status: 'ok',
      summary: `Reachable: libvirt ${connection.version.daemon} daemon, ${connection.version.hypervisor ?? 'hypervisor unknown'}${types}.`,
      ...(servedBySystem
        ? { detail: 'As root, qemu:///session is served by the system daemon: it shows the same VMs as qemu:///system.' }
        : {}),
    };
  }
  const fix = connectionFix(connection, observation, context);
  const error = connection.failure?.error;
  // The session connection is optional while the system one works.
  const status: CheckStatus = isSystemUri(connection.uri) || !systemReachable ? 'error' : 'warning';
  return {
    id,
    label: connection.uri,
    status,
    summary: `Not reachable: ${error?.detail?.split('\n').at(-1) ?? error?.message ?? 'no answer'}`,
    ...(error?.detail ? { detail: error.detail } : {}),
    ...(fix ? { fix } : {}),
  };
}

function objectCheck(
  id: string,
  label: string,
  state: ConnectionObservation['network'],
  uri: string,
  what: { noun: string; define: string[]; start: string; autostart: string },
  context: FixContext,
): Check {
  const virsh = (args: string) => asAdmin(context, `virsh --connect ${uri} ${args}`);
  if (state === null || state === undefined) {
    return {
      id,
      label,
      status: 'warning',
      summary: `There is no ${what.noun} named "default".`,
      fix: { text: `Define and start it.`, command: [...what.define, what.start, what.autostart].map(virsh).join(' && ') },
    };
  }
  if (!state.active) {
    return {
      id,
      label,
      status: 'warning',
      summary: `Defined, but not running${state.autostart ? '' : ', and not started at boot'}.`,
      fix: { text: 'Start it, and start it at boot.', command: [what.start, what.autostart].map(virsh).join(' && ') },
    };
  }
  if (!state.autostart) {
    return {
      id,
      label,
      status: 'warning',
      summary: 'Running, but not started at boot.',
      fix: { text: 'Start it at boot.', command: virsh(what.autostart) },
    };
  }
  return { id, label, status: 'ok', summary: 'Running, and started at boot.' };
}

export function assessLibvirt(observation: LibvirtObservation, context: FixContext): Section<LibvirtFacts> {
  const mode = daemonMode(observation);
  const systemConnection = observation.connections.find((connection) => isSystemUri(connection.uri));
  const systemReachable = systemConnection?.version?.daemon !== undefined;
  const anyReachable = observation.connections.some((connection) => connection.version?.daemon !== undefined);
  const checks: Check[] = [
    observation.virsh.found
      ? { id: 'libvirt.virsh', label: 'virsh', status: 'ok', summary: `virsh ${observation.virsh.version} is installed.` }
      : {
          id: 'libvirt.virsh',
          label: 'virsh',
          status: 'error',
          summary: 'virsh is not installed: Isolab manages VMs through it.',
          fix: { text: 'Install the libvirt client.', command: installCommand(context, packages.virsh) },
        },
  ];
  if (observation.virsh.found) {
    const running = observation.daemonsRunning.filter((name) => name !== 'virtproxyd');
    checks.push(
      running.length > 0 || anyReachable
        ? {
            id: 'libvirt.daemon',
            label: 'libvirt daemon',
            status: 'ok',
            summary:
              mode === 'modular'
                ? `Modular daemons: virtqemud${running.includes('virtqemud') ? ' is running' : ' answers through its socket'}.`
                : mode === 'monolithic'
                  ? `Monolithic libvirtd${running.includes('libvirtd') ? ' is running' : ' answers through its socket'}.`
                  : 'A libvirt daemon answers.',
          }
        : {
            id: 'libvirt.daemon',
            label: 'libvirt daemon',
            status: 'error',
            summary: 'No libvirt daemon is running (neither libvirtd nor virtqemud).',
            fix: startDaemonFix(observation, context),
          },
    );
    for (const connection of observation.connections) {
      checks.push(connectionCheck(connection, observation, context, systemReachable));
    }
  }
  if (systemConnection && systemReachable) {
    checks.push(
      objectCheck('libvirt.network', `default network (${systemConnection.uri})`, systemConnection.network, systemConnection.uri, {
        noun: 'network',
        define: ['net-define /usr/share/libvirt/networks/default.xml'],
        start: 'net-start default',
        autostart: 'net-autostart default',
      }, context),
      objectCheck('libvirt.pool', `default storage pool (${systemConnection.uri})`, systemConnection.pool, systemConnection.uri, {
        noun: 'storage pool',
        define: ['pool-define-as default dir --target /var/lib/libvirt/images', 'pool-build default'],
        start: 'pool-start default',
        autostart: 'pool-autostart default',
      }, context),
    );
  }

  const connections: LibvirtConnectionFacts[] = observation.connections.map((connection) => ({
    uri: connection.uri,
    reachable: connection.version?.daemon !== undefined,
    ...(connection.version?.library ? { libraryVersion: connection.version.library } : {}),
    ...(connection.version?.daemon ? { daemonVersion: connection.version.daemon } : {}),
    ...(connection.version?.hypervisor ? { hypervisor: connection.version.hypervisor } : {}),
    domainTypes: connection.domainTypes,
    ...(connection.network !== undefined ? { defaultNetwork: connection.network } : {}),
    ...(connection.pool !== undefined ? { defaultPool: connection.pool } : {}),
    servedBySystemDaemon: context.isRoot && !isSystemUri(connection.uri),
    ...(connection.failure ? { error: connection.failure.error } : {}),
  }));
  const reachable = connections.find((connection) => connection.reachable);
  const daemonLabel = mode === 'modular' ? 'modular virtqemud' : mode === 'monolithic' ? 'monolithic libvirtd' : 'daemon';
  const summary = !observation.virsh.found
    ? 'virsh is not installed'
    : reachable
      ? `libvirt ${reachable.daemonVersion} (${daemonLabel}), ${reachable.hypervisor ?? 'QEMU'}`
      : 'The libvirt daemon is not reachable';
  return makeSection(summary, checks, {
    virsh: observation.virsh,
    daemon: { mode, running: observation.daemonsRunning },
    connections,
  });
}
