// What the Compare lab's measurements show: per probe, whether the container and the VM see what the host sees,
// a plain-language explanation built from the measured values, and which of the seven claims it supports.
// Pure TypeScript: the page and the exported report use the same words.
import type { CompareSubject, CompareSubjects, ProbeId, ProbeRun } from './compare-types';

/** The seven claims the lab demonstrates, each by at least one measurement. */
export const claims = [
  { id: 1, text: 'KVM needs VT-x/AMD-V and makes Linux a hypervisor' },
  { id: 2, text: 'KVM guests run near-native (an emulated VM does not)' },
  { id: 3, text: 'A VM runs its own OS' },
  { id: 4, text: 'Containers isolate with namespaces and cgroups on the shared kernel' },
  { id: 5, text: 'Containers start fast and cost little' },
  { id: 6, text: 'Images make apps portable' },
  { id: 7, text: 'Docker inside a VM combines both' },
] as const;

export const probeTitles: Record<ProbeId, string> = {
  kernel: 'Kernel',
  virtualization: 'Virtualization',
  cpu: 'CPUs seen inside',
  memory: 'Memory seen inside',
  processes: 'PID 1 and processes',
  namespaces: 'Namespaces',
  cgroup: 'Cgroup and limits',
  hostname: 'Hostname',
  network: 'Network',
  rootfs: 'Root filesystem',
  'cpu-loop': 'CPU-bound loop',
};

const probeClaims: Record<ProbeId, number[]> = {
  kernel: [3, 4],
  virtualization: [1],
  cpu: [3],
  memory: [3, 4],
  processes: [4],
  namespaces: [4],
  cgroup: [4],
  hostname: [4],
  network: [4],
  rootfs: [6],
  'cpu-loop': [2],
};

export type Verdict = 'same' | 'differs' | 'unknown';

export interface ProbeRow {
  probe: ProbeId;
  title: string;
  claims: number[];
  runs: Partial<Record<CompareSubject, ProbeRun>>;
  /** The container's and the VM's value against the host's. */
  verdict: { container?: Verdict; vm?: Verdict };
  explanation: string;
}

type Fields = Record<string, string | number>;

function fieldsOf(run: ProbeRun | undefined): Fields | undefined {
  return run?.value?.fields;
}

/** The field that decides "same as the host" for each probe; namespaces compare every link. */
const keyField: Partial<Record<ProbeId, string>> = {
  kernel: 'release',
  cpu: 'cpus',
  memory: 'totalBytes',
  processes: 'count',
  cgroup: 'path',
  hostname: 'hostname',
  network: 'addresses',
  rootfs: 'type',
};

function verdictOf(probe: ProbeId, host: Fields | undefined, other: Fields | undefined): Verdict {
  if (!host || !other) return 'unknown';
  if (probe === 'namespaces') return namespaceDifferences(host, other).length === 0 ? 'same' : 'differs';
  if (probe === 'cpu-loop') return 'unknown';
  if (probe === 'virtualization') return host.hardwareVirtualization === other.hardwareVirtualization && host.kvmDevice === other.kvmDevice ? 'same' : 'differs';
  const field = keyField[probe];
  return field && host[field] === other[field] ? 'same' : 'differs';
}

/** Namespace kinds whose inode differs from the host's. */
export function namespaceDifferences(host: Fields, other: Fields): string[] {
  return Object.keys(host).filter((kind) => other[kind] !== undefined && other[kind] !== host[kind]);
}

const mib = 1024 * 1024;
const inMiB = (bytes: unknown) => `${Math.round(Number(bytes) / mib)} MiB`;

function vmEngine(subjects: CompareSubjects): string {
  if (!subjects.vm) return '';
  if (subjects.vm.acceleration === 'kvm') return 'under KVM (hardware virtualization)';
  if (subjects.vm.acceleration === 'tcg') return 'under QEMU software emulation (TCG), not KVM';
  return `as a ${subjects.vm.domainType} domain`;
}

function explain(probe: ProbeId, host?: Fields, container?: Fields, vm?: Fields, subjects?: CompareSubjects): string {
  const parts: string[] = [];
  switch (probe) {
    case 'kernel':
      if (host && container) {
        parts.push(
          host.release === container.release
            ? `The container reports the host's own kernel (${host.release}): containers share the host's kernel.`
            : `The container reports kernel ${container.release}, not the host's ${host.release}: the Docker engine runs inside a VM of its own.`,
        );
      }
      if (host && vm) {
        parts.push(
          host.release === vm.release
            ? `The VM reports ${vm.release}, the same release as the host: it still boots its own copy of that kernel.`
            : `The VM boots its own kernel (${vm.release}), not the host's (${host.release}).`,
        );
      }
      break;
    case 'virtualization':
      if (host) {
        const flags = host.hardwareVirtualization === 'none' ? 'offers no VT-x/AMD-V' : `offers ${String(host.hardwareVirtualization).toUpperCase()}`;
        parts.push(`The host's CPU ${flags}${host.kvmDevice === 'yes' ? ' and /dev/kvm exists' : ' and there is no /dev/kvm'}.`);
      }
      if (subjects?.vm) {
        parts.push(
          subjects.vm.acceleration === 'kvm'
            ? 'The VM runs under KVM: the Linux kernel is the hypervisor and the CPU runs guest code directly.'
            : `The VM runs ${vmEngine(subjects)}: without VT-x/AMD-V (or a usable /dev/kvm) QEMU translates every guest instruction.`,
        );
      }
      if (vm?.hypervisorFlag === 'yes') parts.push('Inside the VM the CPU says it runs under a hypervisor.');
      break;
    case 'cpu':
      if (host && container) parts.push(`The container sees all ${host.cpus} host CPUs: a CPU limit would be enforced by cgroups, not hidden.`);
      if (vm) parts.push(`The VM sees only its ${vm.cpus} virtual CPU(s).`);
      break;
    case 'memory':
      if (host && container) parts.push(`/proc/meminfo in the container shows the host's ${inMiB(container.totalBytes)}: a memory limit lives in the cgroup, not in the kernel's view.`);
      if (vm) parts.push(`The VM's kernel manages its own ${inMiB(vm.totalBytes)} of RAM.`);
      break;
    case 'processes':
      if (host && container) parts.push(`The container sees ${container.count} processes and its PID 1 is ${container.pid1}; the host sees ${host.count}: a separate PID namespace.`);
      if (vm) parts.push(`The VM's PID 1 is its own init (${vm.pid1}), with ${vm.count} processes of its own kernel.`);
      break;
    case 'namespaces':
      if (host && container) {
        const own = namespaceDifferences(host, container);
        const shared = Object.keys(host).filter((kind) => !own.includes(kind) && container[kind] !== undefined);
        parts.push(`The container has its own ${own.join(', ') || 'no'} namespaces and shares ${shared.join(', ') || 'none'} with the host (same inode numbers).`);
      }
      if (vm) parts.push("The VM's numbers belong to another kernel: they are its kernel's initial namespaces, so equal numbers mean nothing there.");
      break;
    case 'cgroup':
      if (container) {
        const limits = [container.memoryLimit === 'none' ? 'no memory limit' : `memory ≤ ${inMiB(container.memoryLimit)}`, container.pidsLimit === 'none' ? 'no pids limit' : `pids ≤ ${container.pidsLimit}`];
        parts.push(`The container lives in cgroup ${container.path} (${limits.join(', ')}): the host kernel accounts and limits it.`);
      }
      if (vm) parts.push(vm.path === 'none' ? "The VM's guest has no cgroups mounted: the host limits it as one qemu process." : `Inside the VM, cgroup ${vm.path} is its own kernel's.`);
      break;
    case 'hostname':
      if (container) parts.push(`The container's hostname ${container.hostname} comes from its own UTS namespace.`);
      if (vm) parts.push(`The VM's hostname ${vm.hostname} is set by its own OS.`);
      break;
    case 'network':
      if (container) parts.push(`The container has its own network namespace: ${container.addresses}.`);
      if (vm) parts.push(`The VM has virtual network cards of its own: ${vm.addresses}.`);
      break;
    case 'rootfs':
      if (container) parts.push(`The container's root is ${container.type}: the image's read-only layers with a writable layer on top, so the same image runs anywhere.`);
      if (vm) parts.push(`The VM's root is ${vm.type}, a filesystem its own kernel mounts from its own disk or initramfs.`);
      break;
    case 'cpu-loop': {
      const hostMs = Number(host?.loopMs);
      if (container && hostMs) parts.push(`The container ran the loop in ${container.loopMs} ms vs ${hostMs} ms on the host (${(Number(container.loopMs) / hostMs).toFixed(2)}x): no translation layer.`);
      if (vm && hostMs) {
        const ratio = Number(vm.loopMs) / hostMs;
        parts.push(
          subjects?.vm?.acceleration === 'kvm'
            ? `The KVM guest ran it in ${vm.loopMs} ms (${ratio.toFixed(2)}x of the host): near-native.`
            : `The VM ran it in ${vm.loopMs} ms (${ratio.toFixed(1)}x of the host) ${vmEngine(subjects!)}; under KVM it would be near-native.`,
        );
      }
      break;
    }
  }
  return parts.join(' ');
}

/** The table's rows, in probe order, from whatever runs have arrived. */
export function probeRows(subjects: CompareSubjects | undefined, runs: readonly ProbeRun[], order: readonly ProbeId[]): ProbeRow[] {
  return order.map((probe) => {
    const byProbe: Partial<Record<CompareSubject, ProbeRun>> = {};
    for (const run of runs) if (run.probe === probe) byProbe[run.subject] = run;
    const [host, container, vm] = [fieldsOf(byProbe.host), fieldsOf(byProbe.container), fieldsOf(byProbe.vm)];
    return {
      probe,
      title: probeTitles[probe],
      claims: probeClaims[probe],
      runs: byProbe,
      verdict: {
        ...(byProbe.container ? { container: verdictOf(probe, host, container) } : {}),
        ...(byProbe.vm ? { vm: verdictOf(probe, host, vm) } : {}),
      },
      explanation: explain(probe, host, container, vm, subjects),
    };
  });
}

/**
 * The engine reality check: a container kernel unlike the host's means the engine runs in a VM of its own
 * (Docker Desktop, Podman machine, Colima), which changes what the comparison shows.
 */
export function engineRealityCheck(subjects: CompareSubjects | undefined, containerKernel: string | undefined): string | undefined {
  const kernel = containerKernel ?? subjects?.container?.engineKernel;
  if (!subjects?.container || !kernel || kernel === subjects.host.kernelRelease) return undefined;
  return (
    `The Docker engine's kernel (${kernel}, ${subjects.container.engineOs}) is not this host's (${subjects.host.kernelRelease}): ` +
    'containers run inside a VM here, as with Docker Desktop. What they share is that VM\'s kernel, not the host\'s, ' +
    "and the host's process list does not show them."
  );
}
