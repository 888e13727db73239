// What the VM (libvirt) methods and streams return: connections, domains (list rows and detail), stats,
// snapshots and libvirt networks, as plain data for the wire. Pure TypeScript; imports only shared types.
import type { Fix, WireError } from './errors';

/** libvirt's domain states (`virsh domstate`), as words. */
export type VmState = 'running' | 'blocked' | 'paused' | 'shutdown' | 'shutoff' | 'crashed' | 'pmsuspended' | 'nostate';

/**
 * The acceleration a domain actually uses: `kvm` (hardware) or `tcg` (QEMU software emulation, domain type
 * `qemu`); `other` for other hypervisor types (xen, lxc…).
 */
export type VmAcceleration = 'kvm' | 'tcg' | 'other';

export type VmConnectionKind = 'system' | 'session' | 'remote';

/** One libvirt connection Isolab knows: the two local ones and the remote URIs the user added. */
export interface VmConnection {
  uri: string;
  kind: VmConnectionKind;
  /** Added by the user (can be removed); the local ones are built in. */
  custom: boolean;
  status: 'connected' | 'unavailable';
  /** "libvirt 9.0.0, QEMU 7.2.0", when connected. */
  version?: string;
  /** Domain types the hypervisor offers for x86_64 guests: qemu, kvm. */
  domainTypes: string[];
  /** Set when unavailable: what happened, libvirt's words, and the doctor's fix. */
  error?: WireError;
  /** When unavailable while someone listens: ms until the next attempt to reach it. */
  retryInMs?: number;
  /** For qemu:///session as root: the system daemon serves it (the same VMs as qemu:///system). */
  servedBySystemDaemon?: boolean;
}

/** One row of the VM list, read fresh after every libvirt event for that domain. */
export interface VmSummary {
  name: string;
  uuid: string;
  state: VmState;
  /** libvirt's reason for the state, as it says it: "booted", "destroyed", "user", "shutdown"… */
  reason: string;
  /** The domain's type in its XML: kvm, qemu… */
  domainType: string;
  acceleration: VmAcceleration;
  vcpus: number;
  /** Maximum memory, bytes. */
  memoryBytes: number;
  /** Sum of the virtual sizes of its disks (device disk), bytes; null when none could be read. */
  diskBytes: number | null;
  /** IPv4/IPv6 addresses known from DHCP leases or the guest agent; empty when none are known. */
  addresses: string[];
  autostart: boolean;
  persistent: boolean;
  /** The libosinfo short id from the domain's metadata (debian12, win11…), when set by the tool that made it. */
  osId?: string;
  title?: string;
}

export interface VmDisk {
  /** Guest device name (vda, sda, hdc): unique per domain, used to choose disks for deletion. */
  target: string;
  bus: string;
  device: 'disk' | 'cdrom' | 'floppy' | 'lun';
  /** file, block, volume, network… */
  sourceType: string;
  /** Host path (file, block) or pool/volume, or the network source's name; absent for an empty CD-ROM. */
  source?: string;
  /** For type volume: the pool and volume. */
  pool?: string;
  volume?: string;
  /** Driver type: qcow2, raw… */
  format?: string;
  readOnly: boolean;
  shareable: boolean;
  /** From `virsh domblkinfo`: virtual size and bytes used on the host; absent when not readable. */
  capacityBytes?: number;
  allocationBytes?: number;
  bootOrder?: number;
}

export interface VmNic {
  mac: string;
  /** network, bridge, user, direct… */
  type: string;
  /** Network name, bridge name or host device; absent for user-mode networking. */
  source?: string;
  model?: string;
  /** The host side's device while running (vnet0). */
  hostDevice?: string;
  addresses: string[];
}

export interface VmGraphics {
  type: string;
  /** Listen address, when it listens on a network address. */
  listen?: string;
  /** -1 or absent until it runs with autoport. */
  port?: number;
  autoport: boolean;
}

export interface VmConsole {
  kind: 'serial' | 'console' | 'channel';
  /** pty, file, unix, tcp… */
  type: string;
  /** While running: the pty's path (/dev/pts/3). */
  path?: string;
  /** serial, virtio… (console targets), or the channel's name (org.qemu.guest_agent.0). */
  target?: string;
  /** A file the console is also copied to (`<log file=…>`). */
  logFile?: string;
}

export interface VmDirectKernelBoot {
  kernel: string;
  initrd?: string;
  cmdline?: string;
}

/** The detail page's overview, read from the domain XML and domblkinfo. */
export interface VmDetail extends VmSummary {
  description?: string;
  /** From libosinfo metadata (an id such as http://debian.org/debian/12). */
  osInfoUrl?: string;
  /** hvm, or linux/exe for other kinds. */
  osType: string;
  arch: string;
  machine: string;
  firmware: 'bios' | 'uefi';
  /** The UEFI firmware's code file and NVRAM store, when UEFI. */
  loader?: string;
  nvram?: string;
  secureBoot: boolean;
  bootDevices: string[];
  directKernelBoot?: VmDirectKernelBoot;
  cpu: { mode?: string; model?: string; sockets?: number; cores?: number; threads?: number; currentVcpus: number };
  /** Current (balloon) memory, bytes. */
  currentMemoryBytes: number;
  disks: VmDisk[];
  nics: VmNic[];
  graphics: VmGraphics[];
  consoles: VmConsole[];
  /** The emulator binary: /usr/bin/qemu-system-x86_64. */
  emulator?: string;
  hasGuestAgentChannel: boolean;
  snapshotCount: number;
}

export type VmShutdownOutcome =
  /** The guest powered off within the time. */
  | 'off'
  /** It was not running to begin with. */
  | 'already-off'
  /** The guest did not react to the ACPI power button in time: offer force off. */
  | 'ignored';

export interface VmShutdownResult {
  outcome: VmShutdownOutcome;
  /** The state after waiting. */
  state: VmState;
  waitedMs: number;
}

export interface VmDeleteResult {
  /** Disks removed, by host path. */
  deletedDisks: string[];
  /** Disks kept (not chosen), by host path. */
  keptDisks: string[];
}

export interface VmCloneResult {
  name: string;
  uuid: string;
  /** New disk paths, in the clone's disk order. */
  disks: string[];
}

/** One `vms.stats` sample, from `virsh domstats`; rates are over the time since the previous sample. */
export interface VmStatsSample {
  /** ms since epoch. */
  time: number;
  state: VmState;
  /** Share of the domain's vCPUs in use, 0–100 (100 = every vCPU busy). */
  cpuPercent: number;
  vcpus: number;
  /** Memory given to the guest and what QEMU holds in host RAM (RSS), bytes. */
  memoryBytes: number;
  memoryRssBytes: number;
  /** Bytes per second, summed over every disk / interface. */
  diskReadRate: number;
  diskWriteRate: number;
  netRxRate: number;
  netTxRate: number;
}

export interface VmSnapshot {
  name: string;
  description?: string;
  /** The domain's state when it was taken: running, shutoff, paused… */
  state: string;
  /** Unix seconds. */
  createdAt: number;
  parent?: string;
  current: boolean;
  /** internal (inside the qcow2) or external. */
  location: 'internal' | 'external' | 'mixed';
  /** Memory state included (taken while running). */
  withMemory: boolean;
}

export interface VmNetwork {
  name: string;
  uuid: string;
  active: boolean;
  autostart: boolean;
  persistent: boolean;
  /** nat, route, open, bridge… or 'isolated' without a forward element. */
  forwardMode: string;
  bridge?: string;
  /** "192.168.122.1/24" per address family. */
  addresses: string[];
  dhcpRanges: { start: string; end: string }[];
}

/**
 * What `vmNetworks.changed` pushes: `resync` once libvirt's event stream listens, and again after it was restarted
 * (read the list now; events in a gap are lost), and each network's lifecycle event (Defined, Started, Stopped…).
 */
export type VmNetworkChange = { kind: 'network'; name: string; event: string } | { kind: 'resync' };

/** What the default NAT network looks like before it is created. */
export interface VmDefaultNetworkPlan {
  exists: boolean;
  /** dnsmasq (libvirt runs it for DHCP and DNS) is installed; without it the network cannot start. */
  dnsmasqFound: boolean;
  fix?: Fix;
}

/**
 * What `vms.changed` pushes for one connection: its state, one domain read again after an event (null: gone),
 * or the whole list (first, and after the event stream was restarted, since events in the gap are lost).
 */
export type VmChange =
  | { kind: 'connection'; connection: VmConnection }
  | { kind: 'domain'; name: string; vm: VmSummary | null }
  | { kind: 'domains'; vms: VmSummary[] };
