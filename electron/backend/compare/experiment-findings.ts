// What the guided experiments read from the output they show: kernel lines, process lists, /proc status fields,
// the fork flood's counts, the engine's events as `docker events` prints them, SSH keys and the cloud-init
// user-data for a VM with Docker. Pure functions (no I/O); never imports electron.
import { keyValues } from './probes';

const mib = 1024 * 1024;

/** Bytes for a sentence: "37 MiB", "2.0 GiB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * mib) return `${(bytes / (1024 * mib)).toFixed(1)} GiB`;
  if (bytes >= mib) return `${Math.round(bytes / mib)} MiB`;
  return `${Math.round(bytes / 1024)} KiB`;
}

/** "1 process", "3 processes". */
export function counted(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : noun.endsWith('s') ? `${noun}es` : `${noun}s`}`;
}

/** Milliseconds for a sentence: "840 ms", "6.4 s". */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** `uname -r; cat /proc/version`: the release (first line) and the kernel's version line. */
export function readKernel(stdout: string): { release: string; version: string } {
  const lines = stdout.split('\n').map((line) => line.trim()).filter(Boolean);
  const release = lines[0];
  const version = lines.find((line) => line.startsWith('Linux version '));
  if (!release || !version) throw new Error('no kernel release and /proc/version line');
  return { release, version };
}

/** Rows of a process list: `ps` rows (a pid first) or `/proc/PID` paths; headers and errors are not counted. */
export function countProcessRows(stdout: string): number {
  return stdout.split('\n').filter((line) => /^\s*(\/proc\/)?\d+(\s|$)/.test(line)).length;
}

/** `grep … /proc/PID/status` lines: "VmRSS:  1234 kB" → bytes, "Threads: 5" → 5. */
export function readStatusFields(stdout: string): Record<string, number> {
  const fields: Record<string, number> = {};
  for (const match of stdout.matchAll(/^(?:\S+:)?(\w+):\s+(\d+)( kB)?\s*$/gm)) {
    fields[match[1]!] = Number(match[2]) * (match[3] ? 1024 : 1);
  }
  return fields;
}

/**
 * The fork flood's report (see forkFloodScript): how many background processes started, how many forks the
 * kernel refused, the processes visible right after, and the pids cgroup's limit and refusal count when set.
 */
export interface ForkFlood {
  started: number;
  refused: number;
  processes: number;
  pidsMax?: number;
  refusedByCgroup?: number;
}

export function readForkFlood(stdout: string): ForkFlood {
  const values = keyValues(stdout);
  const number = (key: string) => {
    const value = Number(values.get(key));
    if (!values.has(key) || !Number.isFinite(value)) throw new Error(`no ${key}= line`);
    return value;
  };
  const pidsMax = Number(values.get('pids.max'));
  const refusedByCgroup = /^max (\d+)$/.exec(values.get('pids.events') ?? '')?.[1];
  return {
    started: number('started'),
    refused: number('refused'),
    processes: number('processes'),
    ...(Number.isFinite(pidsMax) && values.has('pids.max') ? { pidsMax } : {}),
    ...(refusedByCgroup === undefined ? {} : { refusedByCgroup: Number(refusedByCgroup) }),
  };
}

export type AllocationOutcome = 'completed' | 'oom-killed' | 'refused' | 'failed';

/** What became of `dd` asking for a buffer: its exit code and last words say who stopped it. */
export function allocationOutcome(exitCode: number, output: string): AllocationOutcome {
  if (exitCode === 0) return 'completed';
  if (exitCode === 137) return 'oom-killed';
  if (/out of memory|memory exhausted|cannot allocate/i.test(output)) return 'refused';
  return 'failed';
}

/** The last line of output that is not empty (the message a failed command ended with). */
export function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  );
}

export interface EngineEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

/**
 * One event as `docker events` prints it: time (UTC), type, action, id, attributes by name. The time has
 * microseconds, not the CLI's nanoseconds: timeNano is beyond a JavaScript number's exact integers.
 */
export function formatEngineEvent(event: EngineEvent): string {
  const micros = Math.round((event.timeNano ?? (event.time ?? 0) * 1e9) / 1000);
  const seconds = new Date(Math.floor(micros / 1e6) * 1000).toISOString().slice(0, 19);
  const fraction = String(micros % 1e6).padStart(6, '0');
  const attributes = Object.entries(event.Actor?.Attributes ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
  return `${seconds}.${fraction}Z ${event.Type ?? 'unknown'} ${event.Action ?? 'unknown'} ${event.Actor?.ID ?? ''}${attributes ? ` (${attributes})` : ''}`;
}

/** `qemu-img info` fields for one disk: format, virtual and on-disk size, backing file. */
export function readQemuImgInfo(stdout: string): { format?: string; backingFile?: string } {
  const format = /^file format:\s*(\S+)/m.exec(stdout)?.[1];
  const backingFile = /^backing file:\s*(.+)$/m.exec(stdout)?.[1]?.trim();
  return { ...(format ? { format } : {}), ...(backingFile ? { backingFile } : {}) };
}

/** `docker version`: the server's version, when the engine answered. */
export function readDockerServerVersion(stdout: string): string | undefined {
  const server = stdout.split(/^Server:/m)[1];
  return server ? /^\s*Version:\s*(\S+)/m.exec(server)?.[1] : undefined;
}

/** SSH public keys among the lines (`cat ~/.ssh/id_*.pub`). */
export function publicKeys(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^(ssh-(rsa|ed25519)|ecdsa-sha2-nistp\d+|sk-\S+@openssh\.com) [A-Za-z0-9+/=]+/.test(line));
}

/**
 * #cloud-config for a VM with Docker that `DOCKER_HOST=ssh://USER@ADDRESS` reaches: a user in the docker group
 * with these keys, and Docker installed and started. JSON is YAML too, so every value is escaped by a real
 * serialiser (as the VM wizard's seed is).
 */
export function dockerUserData(user: string, keys: string[]): string {
  const config = {
    users: [
      'default',
      {
        name: user,
        groups: ['docker'],
        shell: '/bin/bash',
        sudo: 'ALL=(ALL) NOPASSWD:ALL',
        lock_passwd: true,
        ...(keys.length > 0 ? { ssh_authorized_keys: keys } : {}),
      },
    ],
    package_update: true,
    packages: ['docker.io'],
    runcmd: [['systemctl', 'enable', '--now', 'docker']],
  };
  const note =
    keys.length > 0
      ? `# Docker in a VM, reached from the host with DOCKER_HOST=ssh://${user}@ADDRESS`
      : '# No SSH public key was found in ~/.ssh: run ssh-keygen -t ed25519, then add the line of ~/.ssh/id_ed25519.pub under ssh_authorized_keys';
  // One key a line: JSON still, and short enough to read in a terminal.
  const body = Object.entries(config).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  return `#cloud-config\n${note}\n{\n${body.join(',\n')}\n}\n`;
}
