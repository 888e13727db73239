// What the Compare lab's methods and streams return: probe runs in the host, a container and a VM, the host's
// view of both, the start-time race and the guided experiments, as plain data for the wire. Pure TypeScript.
import type { WireError } from './errors';

export type CompareSubject = 'host' | 'container' | 'vm';

/** How a command reached its subject. */
export type ProbeVia = 'host' | 'docker-exec' | 'guest-agent' | 'serial-console' | 'ssh';

export const probeIds = ['kernel', 'virtualization', 'cpu', 'memory', 'processes', 'namespaces', 'cgroup', 'hostname', 'network', 'rootfs', 'cpu-loop'] as const;
export type ProbeId = (typeof probeIds)[number];

/** A parsed probe value: named fields (strings or numbers), plus the one line the table shows. */
export interface ProbeValue {
  summary: string;
  fields: Record<string, string | number>;
}

/** One probe run in one subject: the exact command, its raw output, and what was read from it. */
export interface ProbeRun {
  probe: ProbeId;
  subject: CompareSubject;
  via: ProbeVia;
  /** The command line as a user would type it (`docker exec NAME sh -c '…'`, `virsh qemu-agent-command …`). */
  command: string;
  /** The shell script run inside the subject (the same for all three). */
  script: string;
  stdout: string;
  stderr: string;
  exitCode: number;
  /** When the run started (ms since the epoch) and how long it took, measured by the backend. */
  startedAt: number;
  durationMs: number;
  value?: ProbeValue;
  error?: WireError;
}

/** The subjects one lab run compares, as the engines describe them. */
export interface CompareSubjects {
  host: { hostname: string; kernelRelease: string };
  container?: { id: string; name: string; image: string; imageId: string; engineKernel: string; engineOs: string };
  vm?: {
    uri: string;
    name: string;
    domainType: string;
    acceleration: 'kvm' | 'tcg' | 'other';
    vcpus: number;
    memoryBytes: number;
    /** How commands reach the guest; absent when none does, and then `error` says why. */
    via?: ProbeVia;
    error?: WireError;
  };
}

export type ProbeEvent =
  | { type: 'subjects'; subjects: CompareSubjects }
  | { type: 'run'; run: ProbeRun }
  | { type: 'done'; finishedAt: number };

export interface HostProcessRow {
  hostPid: number;
  /** The pid inside the subject's pid namespace (NSpid), when the host can read it. */
  innerPid?: number;
  user: string;
  command: string;
  rssBytes?: number;
}

/** The two subjects as the host sees them, with where each figure came from. */
export interface HostView {
  takenAt: number;
  hostProcessCount: number;
  container?: {
    processes: HostProcessRow[];
    /** The container's cgroup memory usage (page cache excluded) and limit (null: none), from the engine's stats. */
    memoryUsageBytes: number;
    memoryLimitBytes: number | null;
    image: { id: string; sizeBytes: number; layers: number; sharedSizeBytes: number | null };
    /** The container's own writable layer. */
    writableLayerBytes: number;
    sources: string[];
  };
  vm?: {
    /** The qemu process behind the VM: one host process, whatever runs inside. */
    qemu?: HostProcessRow & { threads: number };
    memoryBytes: number;
    disks: { target: string; path: string; capacityBytes: number; allocationBytes: number }[];
    /** Kernel and initramfs files the VM boots directly (kernel boot), with their sizes. */
    bootFiles: { path: string; sizeBytes: number }[];
    sources: string[];
  };
}

export type RacePhase = 'create' | 'start' | 'first-output' | 'ready';

/** One start of one subject: ms from the start of that run to the end of each phase. */
export interface RaceRun {
  run: number;
  phases: Partial<Record<RacePhase, number>>;
  /** What counted as ready: the marker or prompt seen, or "agent answered". */
  readyBy?: string;
  error?: WireError;
}

export interface RaceResult {
  runs: number;
  container: RaceRun[];
  vm: RaceRun[];
  /** Medians over the runs that reached each phase. */
  median: { container: Partial<Record<RacePhase, number>>; vm: Partial<Record<RacePhase, number>> };
  commands: { container: string[]; vm: string[] };
}

export type RaceEvent =
  | { type: 'phase'; subject: 'container' | 'vm'; run: number; phase: RacePhase; atMs: number }
  | { type: 'run'; subject: 'container' | 'vm'; result: RaceRun }
  | { type: 'done'; result: RaceResult };

export const experimentIds = ['kernel', 'host-sees', 'memory-limit', 'pids-limit', 'race', 'portability', 'docker-in-vm'] as const;
export type ExperimentId = (typeof experimentIds)[number];

export interface ExperimentStep {
  index: number;
  title: string;
  subject: CompareSubject;
  /** The command shown in the step's terminal, as a user would type it. */
  command: string;
}

export type ExperimentEvent =
  | { type: 'step'; step: ExperimentStep }
  | { type: 'output'; index: number; text: string }
  | { type: 'step-done'; index: number; exitCode: number | null; findings: Record<string, string | number>; error?: WireError }
  | { type: 'done'; conclusion: string; findings: Record<string, string | number> };
