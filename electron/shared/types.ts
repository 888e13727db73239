// Data types that cross the RPC boundary: what the backend reports and the renderer shows.
// Pure TypeScript: imports only other shared files; no node:*, DOM or electron.
import type { Fix, WireError } from './errors';

export type CheckStatus = 'ok' | 'warning' | 'error';

/** One thing the doctor looked at, what it found, and what to do about it. */
export interface Check {
  /** Stable id, for keys and tests: `kvm.device`, `docker.endpoint.rootful`. */
  id: string;
  /** What was checked, as a user would name it: "/dev/kvm", "qemu:///system". */
  label: string;
  status: CheckStatus;
  /** What was found, in one sentence. */
  summary: string;
  /** Longer explanation, or the engine's own words. */
  detail?: string;
  fix?: Fix;
}

export interface Section<Facts> {
  /** The worst status among the checks. */
  status: CheckStatus;
  summary: string;
  checks: Check[];
  facts: Facts;
}

export interface HostInfo {
  hostname: string;
  os: string;
  kernel: string;
  arch: string;
  cpuModel: string;
  cpuCount: number;
  memoryBytes: number;
  user: string;
  uid: number;
  initSystem: 'systemd' | 'other';
}

export type Acceleration = 'kvm' | 'tcg';

export interface KvmFacts {
  /** What new VMs will use: hardware KVM, or QEMU software emulation (TCG). */
  acceleration: Acceleration;
  /** Why acceleration is what it is, in one sentence. */
  reason: string;
  device: {
    present: boolean;
    /** Readable and writable by this user. */
    usable: boolean;
    /** Octal permission bits, owner and group, when present: "0660", "root", "kvm". */
    mode?: string;
    owner?: string;
    group?: string;
  };
  cpu: { vendor: string; model: string; virtualizationFlag: 'vmx' | 'svm' | null };
  /** Loaded KVM modules: kvm, kvm_intel, kvm_amd, kvm_pvm. */
  modules: string[];
  hostIsVirtualMachine: boolean;
  /** The hypervisor this host runs under, when the firmware names it. */
  hypervisor?: string;
  /** The `nested` parameter of kvm_intel/kvm_amd; null when neither is loaded. */
  nested: boolean | null;
}

export interface LibvirtObjectState {
  active: boolean;
  autostart: boolean;
}

export interface LibvirtConnectionFacts {
  uri: string;
  reachable: boolean;
  libraryVersion?: string;
  daemonVersion?: string;
  /** "QEMU 7.2.0" */
  hypervisor?: string;
  /** Domain types offered for x86_64 guests: "qemu", "kvm". */
  domainTypes: string[];
  /** Present state, or null when not defined. Undefined when not checked. */
  defaultNetwork?: LibvirtObjectState | null;
  defaultPool?: (LibvirtObjectState & { path?: string }) | null;
  /** For qemu:///session as root: the system daemon serves it. */
  servedBySystemDaemon: boolean;
  error?: WireError;
}

export type LibvirtDaemonMode = 'monolithic' | 'modular' | 'unknown';

export interface LibvirtFacts {
  virsh: { found: boolean; version?: string };
  daemon: { mode: LibvirtDaemonMode; running: string[] };
  connections: LibvirtConnectionFacts[];
}

export type DockerEndpointSource =
  | 'DOCKER_HOST'
  | 'docker context'
  | 'rootful socket'
  | 'rootless socket'
  | 'Podman socket (rootless)'
  | 'Podman socket (rootful)';

export type DockerEndpointState = 'answers' | 'missing' | 'refused' | 'permission-denied' | 'timeout' | 'error';

export interface DockerEndpointFacts {
  source: DockerEndpointSource;
  /** unix:///var/run/docker.sock, tcp://host:2376, ssh://user@host */
  address: string;
  /** For a context: its name. */
  contextName?: string;
  state: DockerEndpointState;
  message: string;
  /** The first endpoint that answers is the one Isolab uses. */
  used: boolean;
}

export interface DockerEngineFacts {
  /** "Docker Engine - Community", "Podman Engine", ... */
  product: string;
  serverVersion: string;
  apiVersion: string;
  operatingSystem: string;
  storageDriver: string;
  cgroupDriver: string;
  cgroupVersion?: string;
  kernelVersion: string;
  hostKernel: string;
  /** The engine's kernel differs from the host's: it runs in a VM (as Docker Desktop's does). */
  runsInVm: boolean;
}

export interface DockerFacts {
  endpoints: DockerEndpointFacts[];
  engine: DockerEngineFacts | null;
}

export interface GroupMembership {
  group: string;
  exists: boolean;
  /** Listed for this user in the group database (or the user's primary group). */
  listed: boolean;
  /** Held by this running process; a new membership needs a new login. */
  active: boolean;
  /** What the group grants. */
  purpose: string;
}

export interface GroupsFacts {
  user: string;
  uid: number;
  isRoot: boolean;
  memberships: GroupMembership[];
}

export interface HostReport {
  generatedAt: string;
  durationMs: number;
  host: HostInfo;
  kvm: Section<KvmFacts>;
  libvirt: Section<LibvirtFacts>;
  docker: Section<DockerFacts>;
  groups: Section<GroupsFacts>;
}

export type HostSectionId = 'kvm' | 'libvirt' | 'docker' | 'groups';
