// What the Docker service returns: containers, images, volumes, networks, logs, stats, pull progress and
// the engine's connection state, as plain data for the wire. Pure TypeScript; imports only shared types.
import type { WireError } from './errors';
import type { DockerEndpointFacts, DockerEngineFacts } from './types';

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface PortBinding {
  containerPort: number;
  protocol: 'tcp' | 'udp' | 'sctp';
  /** Set when published: the host address ("0.0.0.0", "127.0.0.1", "::") and port. */
  hostIp?: string;
  hostPort?: number;
}

/** One row of the container list. */
export interface ContainerSummary {
  id: string;
  name: string;
  image: string;
  imageId: string;
  command: string;
  state: ContainerState;
  /** The engine's own words: "Up 3 minutes", "Exited (137) 2 hours ago". */
  status: string;
  /** Unix seconds. */
  created: number;
  ports: PortBinding[];
  labels: Record<string, string>;
  /** The `com.docker.compose.project` label, for grouping. */
  composeProject?: string;
  networks: string[];
}

export interface MountInfo {
  type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';
  /** Volume name for volumes, host path for binds. */
  source: string;
  target: string;
  readOnly: boolean;
}

export interface ContainerNetworkInfo {
  name: string;
  ipAddress: string;
  macAddress: string;
  gateway: string;
  aliases: string[];
}

/** The detail page's overview, read from inspect; `raw` is the engine's inspect JSON itself. */
export interface ContainerDetail extends ContainerSummary {
  command: string;
  args: string[];
  entrypoint: string[];
  cmd: string[];
  env: string[];
  workingDir: string;
  user: string;
  hostname: string;
  tty: boolean;
  openStdin: boolean;
  mounts: MountInfo[];
  networkSettings: ContainerNetworkInfo[];
  restartPolicy: { name: string; maximumRetryCount: number };
  autoRemove: boolean;
  limits: { nanoCpus: number; memoryBytes: number; pidsLimit: number | null };
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  oomKilled: boolean;
  pid: number;
  raw: unknown;
}

export interface ContainerProcesses {
  titles: string[];
  processes: string[][];
}

export interface CreatedContainer {
  id: string;
  name: string;
  warnings: string[];
}

export interface LogLine {
  stream: 'stdout' | 'stderr';
  /** RFC 3339 with nanoseconds, when timestamps were asked for. */
  time?: string;
  text: string;
}

/** One `containers.logs` event: the lines that arrived since the last one (batched). */
export interface LogBatch {
  lines: LogLine[];
  /** The container stopped (follow ended): no more lines will come. */
  ended?: boolean;
}

export interface ContainerStatsSample {
  /** ms since epoch, from the engine's `read`. */
  time: number;
  cpuPercent: number;
  onlineCpus: number;
  memoryUsage: number;
  memoryLimit: number;
  networkRx: number;
  networkTx: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
}

/** CPU and memory of every running container, for the list (`containers.usage`). */
export type ContainerUsage = Record<string, { cpuPercent: number; memoryUsage: number; memoryLimit: number }>;

export interface ImageSummary {
  id: string;
  /** repo:tag, empty for a dangling image. */
  tags: string[];
  digests: string[];
  size: number;
  created: number;
  /** How many containers (any state) use it. */
  containers: number;
  dangling: boolean;
}

export interface ImageLayer {
  id: string;
  created: number;
  createdBy: string;
  size: number;
  comment: string;
  tags: string[];
}

export interface ImageDetail extends ImageSummary {
  architecture: string;
  os: string;
  config: { cmd: string[]; entrypoint: string[]; env: string[]; workingDir: string; user: string; exposedPorts: string[] };
  rootFsLayers: string[];
  history: ImageLayer[];
  raw: unknown;
}

export interface PruneEstimate {
  count: number;
  /** Bytes freed by removing them. */
  size: number;
}

export interface PruneResult {
  deleted: string[];
  spaceReclaimed: number;
}

export interface PullLayer {
  id: string;
  /** "Waiting", "Downloading", "Extracting", "Pull complete", "Already exists". */
  status: string;
  current: number;
  total: number;
}

/** One `images.pull` event: the whole state so far (layers in order of appearance). */
export interface PullProgress {
  reference: string;
  layers: PullLayer[];
  /** Bytes done / total over layers whose size is known. */
  current: number;
  total: number;
  /** The last status line that is not about a layer ("Digest: …", "Status: Downloaded newer image …"). */
  status: string;
  done: boolean;
}

export interface VolumeSummary {
  name: string;
  driver: string;
  mountpoint: string;
  created: string;
  labels: Record<string, string>;
  scope: string;
  /** Names of the containers that mount it. */
  usedBy: string[];
}

export interface NetworkSummary {
  id: string;
  name: string;
  driver: string;
  scope: string;
  internal: boolean;
  subnets: string[];
  created: string;
  labels: Record<string, string>;
  /** Names of the containers attached to it. */
  usedBy: string[];
  /** bridge, host and none cannot be removed. */
  builtIn: boolean;
}

/** The Docker connection: every candidate, which one is used, and why not when none is. */
export interface DockerConnection {
  endpoints: DockerEndpointFacts[];
  /** Address chosen by the user; absent means the first that answers. */
  chosen?: string;
  status: 'connected' | 'unavailable';
  /** Set when connected. */
  address?: string;
  engine?: DockerEngineFacts;
  /** Set when unavailable: what happened and the doctor's fix. */
  error?: WireError;
  /** When unavailable: ms until the next reconnect attempt. */
  retryInMs?: number;
}

/**
 * What `docker.changed` pushes: the connection changed, a container changed (fresh read), the whole container
 * list (after the engine came back, since events during an outage are lost: replace yours), or a list to re-read.
 */
export type DockerChange =
  | { kind: 'connection'; connection: DockerConnection }
  | { kind: 'container'; id: string; container: ContainerSummary | null }
  | { kind: 'containers'; containers: ContainerSummary[] }
  | { kind: 'images' }
  | { kind: 'volumes' }
  | { kind: 'networks' };
