// What the create wizard's methods and stream return: the host's limits and choices, OS defaults, per-field
// problems, progress, and the created VM. Pure TypeScript; imports only shared types.
import type { Fix } from './errors';
import type { StoragePool } from './storage-types';

/** Whether a helper program is installed, and how to install it when not. */
export interface ToolAvailability {
  available: boolean;
  /** The program found (genisoimage, xorrisofs…). */
  program?: string;
  fix?: Fix;
}

/** What the wizard needs to know about one connection before the user fills anything in. */
export interface VmCreateOptions {
  uri: string;
  /** The domain type new VMs get: kvm when /dev/kvm is usable (and offered), else qemu (TCG software emulation). */
  domainType: 'kvm' | 'qemu';
  /** Why: the doctor's verdict for local connections, the capabilities for remote ones. */
  accelerationReason: string;
  accelerationFix?: Fix;
  host: { memoryBytes: number; cpus: number };
  /** UEFI is offered only when OVMF firmware is installed for the hypervisor. */
  uefi: ToolAvailability;
  /** genisoimage or xorrisofs, which the cloud-init seed needs. */
  seedTool: ToolAvailability;
  /** osinfo-query (libosinfo-bin): without it, only generic OS defaults. */
  osinfo: ToolAvailability;
  networks: { name: string; active: boolean }[];
  pools: StoragePool[];
  /** Names already taken by domains on this connection. */
  existingNames: string[];
}

export interface OsVariant {
  /** libosinfo short id: debian11, win11… */
  id: string;
  name: string;
  family: string;
  version: string;
}

export interface OsList {
  /** Empty with `fix` when osinfo-query is not installed. */
  variants: OsVariant[];
  fix?: Fix;
}

/** Sensible settings for an OS: osinfo-db's recommended (else minimum) resources, or built-in generic ones. */
export interface VmOsDefaults {
  osId?: string;
  memoryMiB: number;
  vcpus: number;
  diskGiB: number;
  firmware: 'bios' | 'uefi';
  diskBus: 'virtio' | 'sata';
  nicModel: 'virtio' | 'e1000e';
  from: 'osinfo' | 'builtin';
}

/** One thing wrong with the spec, against the host: `field` is the spec's dotted path (source.disk.sizeGiB). */
export interface VmCreateProblem {
  field: string;
  message: string;
}

export interface VmCreateCheck {
  problems: VmCreateProblem[];
  /** The domain XML Isolab would define, when there are no problems. */
  xml?: string;
}

export type VmCreateStep = 'checking' | 'downloading' | 'verifying' | 'preparing-disk' | 'building-seed' | 'defining' | 'starting' | 'done';

export interface VmCreateProgress {
  step: VmCreateStep;
  /** What is happening, for people: "Downloading debian-12.qcow2", "Starting itest". */
  message: string;
  /** While downloading: bytes so far, and the total when the server said it. */
  download?: { receivedBytes: number; totalBytes?: number };
  /** With step 'done'. */
  result?: VmCreated;
}

export interface VmCreated {
  uri: string;
  name: string;
  domainType: 'kvm' | 'qemu';
  started: boolean;
  /** Host paths of the volumes created for it (system disk, cloud-init seed). */
  volumes: string[];
}
