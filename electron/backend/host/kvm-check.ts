// The doctor's KVM section: /dev/kvm and who may open it, CPU virtualization flags, KVM modules, whether
// this host is itself a VM; and from those, whether VMs get KVM or QEMU software emulation, and why.
// Plain Node; never imports electron.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Fix } from '@shared/errors';
import type { Check, KvmFacts, Section } from '@shared/types';
import type { HostRoots } from '../config';
import { addToGroupCommand, asAdmin, asAdminAll, reloginAdvice, type FixContext } from './fixes';
import { describeAccess, inspectAccess, modeInParentheses, readOptional, type Accounts, type FileAccess } from './host-files';
import { parseCpuinfo, type CpuInfo } from './parsers';
import { makeSection } from './section';

/** What the doctor read; `assessKvm` decides from this alone, so tests can vary every fact. */
export interface KvmObservation {
  device: FileAccess;
  cpu: Pick<CpuInfo, 'vendor' | 'model' | 'flags'>;
  modules: string[];
  nested: boolean | null;
  /** Firmware vendor and product, which name the hypervisor in most VMs. */
  dmi: { vendor?: string; product?: string };
}

const kvmModules = ['kvm', 'kvm_intel', 'kvm_amd', 'kvm_pvm'];

/** The module that drives VT-x or AMD-V; kvm_pvm provides /dev/kvm without them. */
function hardwareModule(modules: string[]): string | undefined {
  return modules.find((name) => name === 'kvm_intel' || name === 'kvm_amd');
}

export async function observeKvm(roots: HostRoots, accounts: Accounts): Promise<KvmObservation> {
  const [device, cpuinfo, present, dmiVendor, dmiProduct] = await Promise.all([
    inspectAccess(path.join(roots.dev, 'kvm'), accounts),
    readOptional(path.join(roots.proc, 'cpuinfo')),
    Promise.all(kvmModules.map(async (name) => ((await isDirectory(path.join(roots.sys, 'module', name))) ? name : undefined))),
    readOptional(path.join(roots.sys, 'class', 'dmi', 'id', 'sys_vendor')),
    readOptional(path.join(roots.sys, 'class', 'dmi', 'id', 'product_name')),
  ]);
  const modules = present.filter((name): name is string => name !== undefined);
  const vendorModule = hardwareModule(modules);
  const nestedText = vendorModule
    ? await readOptional(path.join(roots.sys, 'module', vendorModule, 'parameters', 'nested'))
    : undefined;
  return {
    device,
    cpu: parseCpuinfo(cpuinfo ?? ''),
    modules,
    nested: nestedText === undefined ? null : /^(y|1)/i.test(nestedText.trim()),
    dmi: {
      ...(dmiVendor?.trim() ? { vendor: dmiVendor.trim() } : {}),
      ...(dmiProduct?.trim() ? { product: dmiProduct.trim() } : {}),
    },
  };
}

/** A loaded module, or one built into the kernel with parameters, has a folder in /sys/module. */
async function isDirectory(dir: string): Promise<boolean> {
  return stat(dir).then(
    (found) => found.isDirectory(),
    () => false,
  );
}

const flagNames = { vmx: 'Intel VT-x (vmx)', svm: 'AMD-V (svm)' } as const;

function expectedModule(vendor: string): string {
  if (vendor === 'GenuineIntel') return 'kvm_intel';
  if (vendor === 'AuthenticAMD') return 'kvm_amd';
  return 'kvm_intel';
}

interface Verdict {
  reason: string;
  fix?: Fix;
}

const nestedAdvice: Fix = {
  text:
    'Nothing on this machine fixes it: enable nested virtualization on the outer host, not in a BIOS. ' +
    'On a KVM host: set "options kvm_intel nested=1" (or kvm_amd) and give the VM the host CPU model; ' +
    'VMware: "Expose hardware assisted virtualization"; VirtualBox: "Enable Nested VT-x/AMD-V"; ' +
    'a cloud: pick an instance type that offers nested virtualization.',
};

/** What the decisions rest on: the CPU's virtualization flag, whether this is a VM, the hardware KVM module. */
function traitsOf({ cpu, modules }: KvmObservation) {
  return {
    flag: cpu.flags.has('vmx') ? ('vmx' as const) : cpu.flags.has('svm') ? ('svm' as const) : null,
    hostIsVm: cpu.flags.has('hypervisor'),
    vendorModule: hardwareModule(modules),
  };
}

function tcgVerdict(observation: KvmObservation, context: FixContext): Verdict {
  const { device, cpu, modules } = observation;
  const { flag, hostIsVm, vendorModule } = traitsOf(observation);
  const module = vendorModule ?? expectedModule(cpu.vendor);

  if (device.exists && vendorModule && !device.accessible) {
    const fix: Fix =
      device.group && device.group !== 'root'
        ? { text: `Add ${context.user} to the ${device.group} group, ${reloginAdvice}.`, command: addToGroupCommand(context, device.group) }
        : {
            text: 'Let the kvm group use /dev/kvm, as udev does on most distributions.',
            command: asAdminAll(context, ['chown root:kvm /dev/kvm', 'chmod 0660 /dev/kvm']),
          };
    return { reason: `/dev/kvm exists but ${context.user} may not open it (${describeAccess(device)}).`, fix };
  }
  if (device.exists && modules.includes('kvm_pvm') && !vendorModule) {
    return {
      reason:
        '/dev/kvm comes from kvm_pvm (PVM), a software form of KVM for virtual machines without VT-x/AMD-V; ' +
        'it runs only guest kernels built for PVM, so ordinary guests need QEMU software emulation.',
      fix: nestedAdvice,
    };
  }
  if (device.exists && !vendorModule) {
    return {
      reason: `/dev/kvm exists but neither kvm_intel nor kvm_amd is loaded.`,
      fix: { text: `Load the KVM module for this CPU.`, command: asAdmin(context, `modprobe ${module}`) },
    };
  }
  if (flag && !vendorModule) {
    return {
      reason: `The CPU supports ${flagNames[flag]}, but the ${module} module is not loaded.`,
      fix: {
        text:
          `Load it. If modprobe answers "Operation not supported", virtualization is disabled in the firmware: ` +
          `enable it in the BIOS/UEFI setup.`,
        command: asAdmin(context, `modprobe ${module}`),
      },
    };
  }
  if (flag && vendorModule) {
    return {
      reason: `${vendorModule} is loaded but /dev/kvm does not exist (udev did not create it).`,
      fix: { text: 'Reload the module so that udev creates /dev/kvm.', command: asAdminAll(context, [`modprobe -r ${module}`, `modprobe ${module}`]) },
    };
  }
  if (hostIsVm) {
    return {
      reason:
        'This host is itself a virtual machine, and its hypervisor does not pass VT-x/AMD-V through ' +
        '(no nested virtualization).',
      fix: nestedAdvice,
    };
  }
  return {
    reason: 'The CPU reports no VT-x/AMD-V: it lacks them, or they are disabled in the firmware.',
    fix: {
      text:
        'Enable "Intel Virtualization Technology" (VT-x) or "SVM Mode" (AMD-V) in the BIOS/UEFI setup and boot again. ' +
        'If there is no such setting, this CPU cannot run KVM.',
    },
  };
}

export function assessKvm(observation: KvmObservation, context: FixContext): Section<KvmFacts> {
  const { device, cpu, modules, nested, dmi } = observation;
  const { flag, hostIsVm, vendorModule } = traitsOf(observation);
  const acceleration = device.exists && device.accessible && vendorModule ? 'kvm' : 'tcg';
  const hypervisor = [dmi.vendor, dmi.product].filter(Boolean).join(' ') || undefined;
  const verdict: Verdict =
    acceleration === 'kvm'
      ? {
          reason: hostIsVm
            ? `KVM works inside this virtual machine: its hypervisor passes ${flag ? flagNames[flag] : 'hardware virtualization'} through.`
            : `KVM hardware acceleration through ${vendorModule}.`,
        }
      : tcgVerdict(observation, context);

  const checks: Check[] = [
    acceleration === 'kvm'
      ? { id: 'kvm.acceleration', label: 'Acceleration for new VMs', status: 'ok', summary: 'KVM: VMs run at near-native speed.', detail: verdict.reason }
      : {
          id: 'kvm.acceleration',
          label: 'Acceleration for new VMs',
          status: 'warning',
          summary: 'QEMU software emulation (TCG): VMs work, but run many times slower than with KVM.',
          detail: verdict.reason,
          ...(verdict.fix ? { fix: verdict.fix } : {}),
        },
    device.exists
      ? {
          id: 'kvm.device',
          label: '/dev/kvm',
          status: device.accessible ? 'ok' : 'warning',
          summary: device.accessible
            ? `Present, and usable by ${context.user}${modeInParentheses(device)}.`
            : `Present, but ${context.user} may not open it${modeInParentheses(device)}.`,
        }
      : { id: 'kvm.device', label: '/dev/kvm', status: 'warning', summary: 'Not present.' },
    {
      id: 'kvm.cpu',
      label: 'CPU virtualization',
      status: flag ? 'ok' : 'warning',
      summary: flag
        ? `${cpu.model} offers ${flagNames[flag]}.`
        : `${cpu.model} shows neither vmx (Intel VT-x) nor svm (AMD-V) in /proc/cpuinfo.`,
    },
    {
      id: 'kvm.modules',
      label: 'KVM kernel modules',
      status: vendorModule ? 'ok' : 'warning',
      summary:
        modules.length === 0
          ? 'No KVM module is loaded.'
          : `Loaded: ${modules.join(', ')}${modules.includes('kvm_pvm') && !vendorModule ? ' (PVM: KVM without hardware virtualization)' : ''}.`,
    },
    {
      id: 'kvm.host',
      label: 'This host',
      status: hostIsVm && !flag ? 'warning' : 'ok',
      summary: hostIsVm
        ? `A virtual machine${hypervisor ? ` (${hypervisor})` : ''}; nested virtualization is ${flag ? 'available' : 'not available'} to it.`
        : 'Not a virtual machine (no hypervisor flag in /proc/cpuinfo).',
      ...(nested === null ? {} : { detail: `Nested virtualization for guests of this host (${vendorModule} nested): ${nested ? 'on' : 'off'}.` }),
    },
  ];
  // Without its mode (the user may not even look at it) there is nothing to say about QEMU's access.
  if (device.exists && device.permissions) {
    const groupCanUse = device.group === 'kvm' && device.permissions.slice(3, 5) === 'rw';
    const othersCanUse = device.permissions.slice(6, 8) === 'rw';
    checks.push(
      groupCanUse || othersCanUse
        ? { id: 'kvm.qemu-access', label: '/dev/kvm for QEMU', status: 'ok', summary: 'QEMU processes started by libvirt (group kvm) may open it.' }
        : {
            id: 'kvm.qemu-access',
            label: '/dev/kvm for QEMU',
            status: 'warning',
            summary: `libvirt runs QEMU as an unprivileged user in group kvm, which cannot open /dev/kvm${modeInParentheses(device)}.`,
            detail: 'libvirt then cannot start KVM guests, and probes QEMU again on every call, which makes each virsh call take seconds.',
            fix: {
              text: 'Give /dev/kvm to the kvm group, as udev does on most distributions.',
              command: asAdminAll(context, ['chown root:kvm /dev/kvm', 'chmod 0660 /dev/kvm']),
            },
          },
    );
  }

  const facts: KvmFacts = {
    acceleration,
    reason: verdict.reason,
    device: {
      present: device.exists,
      usable: device.accessible,
      ...(device.mode ? { mode: device.mode } : {}),
      ...(device.owner ? { owner: device.owner } : {}),
      ...(device.group ? { group: device.group } : {}),
    },
    cpu: { vendor: cpu.vendor, model: cpu.model, virtualizationFlag: flag },
    modules,
    hostIsVirtualMachine: hostIsVm,
    ...(hypervisor ? { hypervisor } : {}),
    nested,
  };
  const summary = acceleration === 'kvm' ? 'KVM hardware acceleration' : 'Software emulation (TCG): VMs run slowly';
  return makeSection(summary, checks, facts);
}
