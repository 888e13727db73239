// The libvirt connections Isolab offers (qemu:///system, qemu:///session and the remote URIs the user added), each
// read with the doctor's own libvirt checks so an unreachable one carries the doctor's verdict and fix; and
// withLibvirt(), which runs virsh work on a known connection and explains a connection failure the same way.
// Plain Node; never imports electron.
import { AppError, type Fix } from '@shared/errors';
import { localUris } from '@shared/vm-schemas';
import type { VmConnection, VmConnectionKind } from '@shared/vm-types';
import type { BackendConfig } from '../config';
import { readFixContext } from '../host/doctor';
import type { FixContext } from '../host/fixes';
import { readAccounts } from '../host/host-files';
import { assessLibvirt, observeLibvirt } from '../host/libvirt-check';
import type { SettingsStore } from '../settings';
import { VirshError, type Virsh } from './virsh';

export interface LibvirtConnections {
  /** Every connection, each read now. */
  list(): Promise<VmConnection[]>;
  /** One connection read now (it must be known). */
  read(uri: string): Promise<VmConnection>;
  add(uri: string): Promise<VmConnection[]>;
  remove(uri: string): Promise<VmConnection[]>;
  /** Throws INVALID_ARGUMENT for a URI that is neither local nor added by the user. */
  ensureKnown(uri: string): Promise<void>;
  /**
   * Runs `work` on a known connection. A failure to reach libvirt becomes UNAVAILABLE or PERMISSION_DENIED with the
   * doctor's fix; other virsh failures keep their code, with a message that starts with `action`.
   */
  withLibvirt<T>(uri: string, action: string, work: () => Promise<T>): Promise<T>;
}

const connectionFailures = new Set(['daemon-not-running', 'connection-refused', 'permission-denied', 'not-authorized']);

export function connectionKind(uri: string): VmConnectionKind {
  if (uri === 'qemu:///system') return 'system';
  if (uri === 'qemu:///session') return 'session';
  return 'remote';
}

/** Whether a virsh failure means libvirt itself could not be reached (rather than the request failing). */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof VirshError)) return false;
  return connectionFailures.has(error.failure.kind) || /failed to connect to the hypervisor|Cannot recv data|End of file while reading data/i.test(error.detail ?? '');
}

/**
 * For a remote connection the doctor's local fixes do not apply: libvirt reaches the host over SSH, which must log in
 * without a prompt, and the daemon must run there. The command checks both (display only; Isolab never runs it).
 */
export function remoteFix(uri: string): Fix {
  const url = new URL(uri);
  // ssh takes an IPv6 address without the URI's brackets.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const target = `${url.username ? `${decodeURIComponent(url.username)}@` : ''}${host}`;
  const keyfile = url.searchParams.get('keyfile');
  const options = [...(url.port ? ['-p', url.port] : []), ...(keyfile ? ['-i', keyfile] : [])];
  return {
    text: `libvirt reaches ${host} over SSH, which must log in without a password prompt (an ssh-agent or a key file), and the libvirt daemon must run there. This must print the daemon's version:`,
    command: ['ssh', '-o', 'BatchMode=yes', ...options, target, 'virsh', '--connect', `qemu://${url.pathname}`, 'version', '--daemon'].join(' '),
  };
}

export function createLibvirtConnections(config: BackendConfig, virsh: Virsh, settings: SettingsStore): LibvirtConnections {
  const remoteUris = async () => (await settings.load()).libvirtRemoteUris ?? [];
  let fixContext: Promise<FixContext> | undefined;

  async function read(uri: string): Promise<VmConnection> {
    fixContext ??= readFixContext(config);
    const accounts = await readAccounts(config.roots);
    const [observation, context] = await Promise.all([observeLibvirt(virsh, [uri], config.roots, config.programPath, accounts), fixContext]);
    const section = assessLibvirt(observation, context);
    const facts = section.facts.connections[0];
    const check = section.checks.find((candidate) => candidate.label === uri) ?? section.checks.find((candidate) => candidate.status === 'error');
    const custom = !(localUris as readonly string[]).includes(uri);
    const base = { uri, kind: connectionKind(uri), custom, domainTypes: facts?.domainTypes ?? [], ...(facts?.servedBySystemDaemon ? { servedBySystemDaemon: true } : {}) };
    if (facts?.reachable) {
      return { ...base, status: 'connected', version: `libvirt ${facts.daemonVersion ?? facts.libraryVersion ?? ''}${facts.hypervisor ? `, ${facts.hypervisor}` : ''}` };
    }
    const error = facts?.error ?? { code: 'UNAVAILABLE' as const, message: check?.summary ?? `${uri} is not reachable` };
    return {
      ...base,
      status: 'unavailable',
      error: {
        code: error.code === 'PERMISSION_DENIED' ? 'PERMISSION_DENIED' : 'UNAVAILABLE',
        message: `libvirt at ${uri} is not reachable: ${check?.summary.replace(/^Not reachable: /, '') ?? error.message}`,
        ...(error.detail ? { detail: error.detail } : {}),
        ...(custom ? { fix: remoteFix(uri) } : check?.fix ? { fix: check.fix } : {}),
      },
    };
  }

  async function uris(): Promise<string[]> {
    return [...localUris, ...(await remoteUris())];
  }

  async function ensureKnown(uri: string): Promise<void> {
    if ((await uris()).includes(uri)) return;
    throw new AppError('INVALID_ARGUMENT', `${uri} is not one of Isolab's libvirt connections.`, {
      fix: { text: 'Add it as a connection first (VMs → connection → Add a remote connection).' },
    });
  }

  const list = async () => Promise.all((await uris()).map(read));

  return {
    list,
    async read(uri) {
      await ensureKnown(uri);
      return read(uri);
    },
    ensureKnown,
    async add(uri) {
      await settings.update((saved) => {
        const current = saved.libvirtRemoteUris ?? [];
        if (current.includes(uri)) throw new AppError('CONFLICT', `${uri} is already one of the connections.`);
        return { libvirtRemoteUris: [...current, uri] };
      });
      return list();
    },
    async remove(uri) {
      await settings.update((saved) => {
        const current = saved.libvirtRemoteUris ?? [];
        if (!current.includes(uri)) throw new AppError('NOT_FOUND', `${uri} is not one of the connections you added.`);
        return { libvirtRemoteUris: current.filter((candidate) => candidate !== uri) };
      });
      return list();
    },
    async withLibvirt(uri, action, work) {
      await ensureKnown(uri);
      try {
        return await work();
      } catch (error) {
        if (isConnectionFailure(error)) {
          const connection = await read(uri);
          if (connection.error) throw AppError.fromWire(connection.error);
        }
        if (error instanceof VirshError) {
          throw new AppError(error.code, `${action}: ${error.message.replace(/^virsh \S* on \S+ failed: /, '')}`, {
            ...(error.detail ? { detail: error.detail } : {}),
            ...(error.fix ? { fix: error.fix } : {}),
          });
        }
        throw error;
      }
    },
  };
}
