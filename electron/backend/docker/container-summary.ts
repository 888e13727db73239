// Turns the engine's container JSON (a /containers/json row, an inspect document) into the contract's
// ContainerSummary and ContainerDetail. Pure; no I/O, never imports electron.
import type { ContainerDetail, ContainerState, ContainerSummary, MountInfo, PortBinding } from '@shared/docker-types';

/** A /containers/json row, as Docker and Podman send it (fields they may leave out are optional). */
export interface ContainerRow {
  Id: string;
  Names?: string[] | null;
  Image?: string;
  ImageID?: string;
  Command?: string;
  Created?: number;
  Ports?: { IP?: string; PrivatePort: number; PublicPort?: number; Type?: string }[] | null;
  Labels?: Record<string, string> | null;
  State?: string;
  Status?: string;
  NetworkSettings?: { Networks?: Record<string, unknown> | null } | null;
}

/** The parts of an inspect document the detail page shows. */
export interface ContainerInspect {
  Id: string;
  Path?: string;
  Args?: string[] | null;
  State?: { Status?: string; Pid?: number; ExitCode?: number; OOMKilled?: boolean; StartedAt?: string; FinishedAt?: string };
  Config?: {
    Hostname?: string;
    User?: string;
    Tty?: boolean;
    OpenStdin?: boolean;
    Env?: string[] | null;
    Cmd?: string[] | null;
    Entrypoint?: string[] | string | null;
    WorkingDir?: string;
  };
  HostConfig?: {
    RestartPolicy?: { Name?: string; MaximumRetryCount?: number };
    AutoRemove?: boolean;
    NanoCpus?: number;
    Memory?: number;
    PidsLimit?: number | null;
  };
  Mounts?: { Type?: string; Name?: string; Source?: string; Destination?: string; RW?: boolean }[] | null;
  NetworkSettings?: {
    Networks?: Record<string, { IPAddress?: string; MacAddress?: string; Gateway?: string; Aliases?: string[] | null }> | null;
  };
}

const states: readonly ContainerState[] = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];

function stateOf(text: string | undefined): ContainerState {
  const state = (text ?? '').toLowerCase();
  return (states as readonly string[]).includes(state) ? (state as ContainerState) : 'dead';
}

/** A container's own name is its one name without a further "/" (the others are legacy link aliases). */
export function containerName(names: readonly string[] | null | undefined, id: string): string {
  const list = names ?? [];
  const own = list.find((name) => name.lastIndexOf('/') === 0) ?? list[0];
  return own ? own.replace(/^\//, '') : id.slice(0, 12);
}

const protocols: readonly PortBinding['protocol'][] = ['tcp', 'udp', 'sctp'];

function portsOf(rows: ContainerRow['Ports']): PortBinding[] {
  const ports = (rows ?? []).map((row): PortBinding => {
    const protocol = protocols.find((known) => known === row.Type) ?? 'tcp';
    const published = row.PublicPort !== undefined && row.PublicPort > 0;
    return {
      containerPort: row.PrivatePort,
      protocol,
      ...(published ? { hostIp: row.IP ?? '0.0.0.0', hostPort: row.PublicPort } : {}),
    };
  });
  const ipOrder = (a: PortBinding, b: PortBinding) => ((a.hostIp ?? '') < (b.hostIp ?? '') ? -1 : (a.hostIp ?? '') > (b.hostIp ?? '') ? 1 : 0);
  // The engine lists ports in no stable order; a row that reshuffles on every read would flicker.
  return ports.sort((a, b) => a.containerPort - b.containerPort || (a.hostPort ?? 0) - (b.hostPort ?? 0) || ipOrder(a, b));
}

export function toContainerSummary(row: ContainerRow): ContainerSummary {
  const labels = row.Labels ?? {};
  const composeProject = labels['com.docker.compose.project'];
  return {
    id: row.Id,
    name: containerName(row.Names, row.Id),
    image: row.Image ?? '',
    imageId: row.ImageID ?? '',
    command: row.Command ?? '',
    state: stateOf(row.State),
    status: row.Status ?? '',
    created: row.Created ?? 0,
    ports: portsOf(row.Ports),
    labels,
    ...(composeProject ? { composeProject } : {}),
    networks: Object.keys(row.NetworkSettings?.Networks ?? {}),
  };
}

const mountTypes: readonly MountInfo['type'][] = ['bind', 'volume', 'tmpfs', 'npipe', 'cluster', 'image'];

function mountsOf(mounts: ContainerInspect['Mounts']): MountInfo[] {
  return (mounts ?? []).map((mount) => {
    const type = mountTypes.find((known) => known === mount.Type) ?? 'volume';
    return {
      type,
      source: type === 'volume' ? (mount.Name ?? mount.Source ?? '') : (mount.Source ?? ''),
      target: mount.Destination ?? '',
      readOnly: mount.RW === false,
    };
  });
}

function list(value: string[] | string | null | undefined): string[] {
  if (value === null || value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

// The engine reports "no limit" as 0 or -1 depending on version; the contract says null.
function pidsLimitOf(limit: number | null | undefined): number | null {
  return limit === null || limit === undefined || limit <= 0 ? null : limit;
}

/** The list row supplies what inspect lacks (the status text, published ports as the list shows them). */
export function toContainerDetail(summary: ContainerSummary, inspect: ContainerInspect): ContainerDetail {
  const config = inspect.Config ?? {};
  const host = inspect.HostConfig ?? {};
  const state = inspect.State ?? {};
  const args = inspect.Args ?? [];
  const started = state.StartedAt && !state.StartedAt.startsWith('0001-') ? state.StartedAt : undefined;
  const finished = state.FinishedAt && !state.FinishedAt.startsWith('0001-') ? state.FinishedAt : undefined;
  return {
    ...summary,
    state: stateOf(state.Status ?? summary.state),
    command: [inspect.Path ?? '', ...args].filter((part, index) => index > 0 || part !== '').join(' '),
    args,
    entrypoint: list(config.Entrypoint),
    cmd: list(config.Cmd),
    env: config.Env ?? [],
    workingDir: config.WorkingDir ?? '',
    user: config.User ?? '',
    hostname: config.Hostname ?? '',
    tty: config.Tty ?? false,
    openStdin: config.OpenStdin ?? false,
    mounts: mountsOf(inspect.Mounts),
    networkSettings: Object.entries(inspect.NetworkSettings?.Networks ?? {}).map(([name, network]) => ({
      name,
      ipAddress: network.IPAddress ?? '',
      macAddress: network.MacAddress ?? '',
      gateway: network.Gateway ?? '',
      aliases: network.Aliases ?? [],
    })),
    restartPolicy: { name: host.RestartPolicy?.Name || 'no', maximumRetryCount: host.RestartPolicy?.MaximumRetryCount ?? 0 },
    autoRemove: host.AutoRemove ?? false,
    limits: { nanoCpus: host.NanoCpus ?? 0, memoryBytes: host.Memory ?? 0, pidsLimit: pidsLimitOf(host.PidsLimit) },
    ...(started ? { startedAt: started } : {}),
    ...(finished ? { finishedAt: finished } : {}),
    ...(finished || (state.Status === 'exited' && state.ExitCode !== undefined) ? { exitCode: state.ExitCode ?? 0 } : {}),
    oomKilled: state.OOMKilled ?? false,
    pid: state.Pid ?? 0,
    raw: inspect,
  };
}
