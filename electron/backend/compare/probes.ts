// The Compare lab's probes: one POSIX sh script each (busybox, coreutils and a guest's initramfs alike), run
// unchanged on the host, in a container and in a VM, and the parser that reads its output. Never imports electron.
import type { ProbeId, ProbeValue } from '@shared/compare-types';

export interface Probe {
  id: ProbeId;
  script: string;
  /** Generous: in a software-emulated VM every command is many times slower than on the host. */
  timeoutMs: number;
  parse(stdout: string): ProbeValue;
}

/** Iterations of the CPU-bound loop: about 0.3 s on a current host core, long enough for /proc/uptime's 10 ms. */
export const cpuLoopIterations = 1_000_000;

/** `key=value` lines into a map (the first `=` splits; later lines win). */
export function keyValues(stdout: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0 && /^[\w./-]+$/.test(line.slice(0, at).trim())) values.set(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  return values;
}

function required(values: Map<string, string>, key: string): string {
  const value = values.get(key);
  if (value === undefined || value === '') throw new Error(`the output has no ${key}= line`);
  return value;
}

function count(value: string, what: string): number {
  const number = Number(value);
  if (!Number.isFinite(number)) throw new Error(`${what} is not a number: ${value}`);
  return number;
}

const mib = 1024 * 1024;

/** cgroup v1 writes "no limit" as the largest page-aligned 64-bit number; v2 writes "max". */
export function cgroupLimit(raw: string | undefined): number | null {
  if (raw === undefined || raw === 'max' || raw === '-1') return null;
  const value = Number(raw);
  return Number.isFinite(value) && value < 2 ** 62 ? value : null;
}

function formatMiB(bytes: number): string {
  return bytes >= 10 * 1024 * mib ? `${(bytes / (1024 * mib)).toFixed(1)} GiB` : `${Math.round(bytes / mib)} MiB`;
}

const kernel: Probe = {
  id: 'kernel',
  script: 'echo "release=$(uname -r)"\necho "version=$(cat /proc/version)"',
  timeoutMs: 30_000,
  parse(stdout) {
    const values = keyValues(stdout);
    const release = required(values, 'release');
    return { summary: release, fields: { release, version: required(values, 'version') } };
  },
};

const virtualization: Probe = {
  id: 'virtualization',
  script: [
    `echo "cpu_flags=$(grep -o -w -E 'vmx|svm' /proc/cpuinfo | sort -u | tr '\\n' ' ')"`,
    `echo "hypervisor_flag=$(grep -q -w hypervisor /proc/cpuinfo && echo yes || echo no)"`,
    `echo "kvm_device=$([ -c /dev/kvm ] && echo yes || echo no)"`,
    `echo "kvm_module=$(ls -d /sys/module/kvm_intel /sys/module/kvm_amd 2>/dev/null | sed 's,.*/,,' | tr '\\n' ' ')"`,
  ].join('\n'),
  timeoutMs: 30_000,
  parse(stdout) {
    const values = keyValues(stdout);
    const flags = values.get('cpu_flags') ?? '';
    const module = values.get('kvm_module') ?? '';
    const fields = {
      hardwareVirtualization: flags || 'none',
      hypervisorFlag: required(values, 'hypervisor_flag'),
      kvmDevice: required(values, 'kvm_device'),
      kvmModule: module || 'none',
    };
    const parts = [
      flags ? `CPU offers ${flags.toUpperCase()}` : 'no VT-x/AMD-V flag',
      fields.kvmDevice === 'yes' ? '/dev/kvm present' : 'no /dev/kvm',
      fields.hypervisorFlag === 'yes' ? 'runs under a hypervisor' : 'bare metal',
    ];
    return { summary: parts.join(', '), fields };
  },
};

const cpu: Probe = {
  id: 'cpu',
  script: [
    `echo "cpus=$(grep -c '^processor' /proc/cpuinfo)"`,
    `echo "model=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"`,
  ].join('\n'),
  timeoutMs: 30_000,
  parse(stdout) {
    const values = keyValues(stdout);
    const cpus = count(required(values, 'cpus'), 'the CPU count');
    const model = values.get('model') || 'unknown model';
    return { summary: `${cpus} × ${model}`, fields: { cpus, model } };
  },
};

const memory: Probe = {
  id: 'memory',
  script: `grep -E '^(MemTotal|MemAvailable):' /proc/meminfo`,
  timeoutMs: 30_000,
  parse(stdout) {
    const kib = (name: string) => {
      const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(stdout);
      if (!match?.[1]) throw new Error(`/proc/meminfo has no ${name}`);
      return Number(match[1]) * 1024;
    };
    const totalBytes = kib('MemTotal');
    const availableBytes = kib('MemAvailable');
    return { summary: `${formatMiB(totalBytes)} total, ${formatMiB(availableBytes)} available`, fields: { totalBytes, availableBytes } };
  },
};

const processes: Probe = {
  id: 'processes',
  script: 'echo "pid1=$(cat /proc/1/comm)"\necho "count=$(ls -d /proc/[0-9]* | wc -l)"',
  timeoutMs: 30_000,
  parse(stdout) {
    const values = keyValues(stdout);
    const pid1 = required(values, 'pid1');
    const visible = count(required(values, 'count'), 'the process count');
    return { summary: `PID 1 is ${pid1}; ${visible} processes visible`, fields: { pid1, count: visible } };
  },
};

const namespaces: Probe = {
  id: 'namespaces',
  script: 'for f in /proc/self/ns/*; do echo "${f##*/}=$(readlink "$f")"; done',
  timeoutMs: 30_000,
  parse(stdout) {
    const fields: Record<string, string> = {};
    for (const [name, link] of keyValues(stdout)) {
      const inode = /\[(\d+)\]/.exec(link)?.[1];
      if (inode) fields[name] = inode;
    }
    if (Object.keys(fields).length === 0) throw new Error('no namespace links were read from /proc/self/ns');
    return { summary: Object.entries(fields).map(([name, inode]) => `${name} ${inode}`).join(', '), fields };
  },
};

const cgroup: Probe = {
  id: 'cgroup',
  script: [
    'cat /proc/self/cgroup',
    'for f in memory.max memory/memory.limit_in_bytes pids.max pids/pids.max cpu.max cpu/cpu.cfs_quota_us; do',
    '  [ -r /sys/fs/cgroup/$f ] && echo "limit:$f=$(cat /sys/fs/cgroup/$f)"',
    'done',
    'true',
  ].join('\n'),
  timeoutMs: 30_000,
  parse(stdout) {
    const lines = stdout.split('\n');
    // cgroup v1: the memory controller's line; v2: the unified "0::" line.
    const path = /^\d+:memory:(.*)$/m.exec(stdout)?.[1] ?? /^0::(.*)$/m.exec(stdout)?.[1];
    const values = keyValues(lines.filter((line) => line.startsWith('limit:')).map((line) => line.slice('limit:'.length)).join('\n'));
    const memoryLimit = cgroupLimit(values.get('memory.max') ?? values.get('memory/memory.limit_in_bytes'));
    const pidsLimit = cgroupLimit(values.get('pids.max') ?? values.get('pids/pids.max'));
    if (path === undefined) return { summary: 'no cgroup information (cgroups not mounted)', fields: { path: 'none', memoryLimit: 'none', pidsLimit: 'none' } };
    const fields = {
      path,
      memoryLimit: memoryLimit === null ? 'none' : memoryLimit,
      pidsLimit: pidsLimit === null ? 'none' : pidsLimit,
    };
    const limits = [memoryLimit === null ? 'no memory limit' : `memory ≤ ${formatMiB(memoryLimit)}`, pidsLimit === null ? 'no pids limit' : `pids ≤ ${pidsLimit}`];
    return { summary: `${path}; ${limits.join(', ')}`, fields };
  },
};

const hostname: Probe = {
  id: 'hostname',
  script: 'echo "hostname=$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname)"',
  timeoutMs: 30_000,
  parse(stdout) {
    const name = required(keyValues(stdout), 'hostname');
    return { summary: name, fields: { hostname: name } };
  },
};

const network: Probe = {
  id: 'network',
  // Addresses from ip (iproute2 or busybox); the interfaces from /proc/net/dev, which lists them even with no address.
  script: "ip -o addr show 2>/dev/null\necho '-- /proc/net/dev'\ncat /proc/net/dev",
  timeoutMs: 30_000,
  parse(stdout) {
    const [ipPart = '', devPart = ''] = stdout.split('-- /proc/net/dev');
    const addresses = [...ipPart.matchAll(/^\d+:\s+(\S+)\s+inet6?\s+(\S+)/gm)].map((match) => `${match[1]} ${match[2]}`);
    const interfaces = [...devPart.matchAll(/^\s*([\w.@-]+):\s*\d/gm)].map((match) => match[1]!);
    if (interfaces.length === 0) throw new Error('/proc/net/dev listed no network interface');
    const ipv4 = addresses.filter((entry) => !entry.includes(':'));
    return {
      summary: ipv4.length > 0 ? ipv4.join(', ') : `${interfaces.join(', ')} (no IPv4 address)`,
      fields: { interfaces: interfaces.join(' '), addresses: addresses.join(', ') || 'none' },
    };
  },
};

const rootfs: Probe = {
  id: 'rootfs',
  script: `echo "type=$(awk '$2 == "/" { t = $3 } END { print t }' /proc/mounts)"\ndf -k / | tail -n 1`,
  timeoutMs: 30_000,
  parse(stdout): ProbeValue {
    const type = required(keyValues(stdout), 'type');
    // df may wrap a long device name onto its own line, so read the numbers from the end of the last line.
    const columns = stdout.trim().split('\n').at(-1)?.trim().split(/\s+/) ?? [];
    const sizeKiB = Number(columns.at(-5));
    const usedKiB = Number(columns.at(-4));
    // An initramfs root (rootfs, in RAM) is no mount df can measure: it grows with what is written to it.
    if (!Number.isFinite(sizeKiB) || !Number.isFinite(usedKiB) || columns.at(-1) !== '/') {
      return { summary: `${type}, no fixed size (df cannot measure it)`, fields: { type } };
    }
    return {
      summary: `${type}, ${formatMiB(sizeKiB * 1024)} (${formatMiB(usedKiB * 1024)} used)`,
      fields: { type, sizeBytes: sizeKiB * 1024, usedBytes: usedKiB * 1024 },
    };
  },
};

const cpuLoop: Probe = {
  id: 'cpu-loop',
  script: [
    // The same awk everywhere when possible: busybox's, which containers, guests and most hosts have.
    "if command -v busybox >/dev/null 2>&1; then awk='busybox awk'; else awk=awk; fi",
    "start=$(cut -d' ' -f1 /proc/uptime)",
    `$awk 'BEGIN { for (i = 0; i < ${cpuLoopIterations}; i++) s += i % 7; print "sum=" s }'`,
    "end=$(cut -d' ' -f1 /proc/uptime)",
    'echo "awk=$awk"',
    'echo "start=$start"',
    'echo "end=$end"',
  ].join('\n'),
  timeoutMs: 180_000,
  parse(stdout) {
    const values = keyValues(stdout);
    const seconds = count(required(values, 'end'), 'the end time') - count(required(values, 'start'), 'the start time');
    const loopMs = Math.max(10, Math.round(seconds * 1000));
    const program = required(values, 'awk');
    return { summary: `${loopMs} ms for ${cpuLoopIterations.toLocaleString('en')} iterations (${program})`, fields: { loopMs, program, sum: required(values, 'sum') } };
  },
};

export const probes: readonly Probe[] = [kernel, virtualization, cpu, memory, processes, namespaces, cgroup, hostname, network, rootfs, cpuLoop];

export function probeById(id: ProbeId): Probe {
  const probe = probes.find((candidate) => candidate.id === id);
  if (!probe) throw new Error(`unknown probe ${id}`);
  return probe;
}
