// What the create wizard must know about a connection's host: the domain type (the doctor's KVM verdict for local
// connections, the capabilities for remote ones), memory and CPUs (nodeinfo), UEFI (domcapabilities), networks,
// taken names, pools and helper tools. Plain Node; never imports electron.
import { XMLParser } from 'fast-xml-parser';
import type { Fix } from '@shared/errors';
import type { ToolAvailability, VmCreateOptions } from '@shared/vm-create-types';
import type { BackendConfig } from '../config';
import { readFixContext } from '../host/doctor';
import { findOnPath, readAccounts } from '../host/host-files';
import { assessKvm, observeKvm } from '../host/kvm-check';
import { domainTypesFor } from './capabilities';
import { findSeedTool } from './cloud-init';
import { osinfoFix } from './osinfo';
import { isLocalUri, type StorageService } from './storage';
import type { Virsh } from './virsh';

export interface Acceleration {
  domainType: 'kvm' | 'qemu';
  reason: string;
  fix?: Fix;
}

/** kvm only when the hypervisor offers it and, on this host, the doctor says KVM really works (not PVM, usable /dev/kvm). */
export function chooseDomainType(offered: string[], localVerdict: { acceleration: 'kvm' | 'tcg'; reason: string; fix?: Fix } | undefined, uri: string): Acceleration {
  if (localVerdict) {
    if (localVerdict.acceleration === 'kvm' && offered.includes('kvm')) return { domainType: 'kvm', reason: localVerdict.reason };
    return { domainType: 'qemu', reason: localVerdict.reason, ...(localVerdict.fix ? { fix: localVerdict.fix } : {}) };
  }
  return offered.includes('kvm')
    ? { domainType: 'kvm', reason: `The hypervisor on ${uri} offers KVM.` }
    : { domainType: 'qemu', reason: `The hypervisor on ${uri} offers only QEMU software emulation (no usable KVM there).` };
}

/** `virsh nodeinfo`: "Memory size: 7694552 KiB" and "CPU(s): 2". */
export function parseNodeinfo(text: string): { memoryBytes: number; cpus: number } {
  const memoryKib = Number(/^Memory size:\s+(\d+)\s+KiB/m.exec(text)?.[1] ?? 0);
  const cpus = Number(/^CPU\(s\):\s+(\d+)/m.exec(text)?.[1] ?? 0);
  return { memoryBytes: memoryKib * 1024, cpus };
}

const domcapsParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  isArray: (name) => ['enum', 'value'].includes(name),
});

interface DomcapsXml {
  domainCapabilities?: {
    os?: {
      '@_supported'?: string;
      enum?: { '@_name'?: string; value?: string[] }[];
      loader?: { '@_supported'?: string; value?: string[] };
    };
  };
}

export const uefiFix: Fix = {
  text: 'UEFI needs the OVMF firmware for QEMU: install it, then open this page again.',
  command: 'sudo apt install ovmf',
};

/** UEFI is possible when firmware autoselection offers efi, or OVMF loader images are installed. */
export function uefiFromDomcapabilities(xml: string): ToolAvailability {
  const os = (domcapsParser.parse(xml) as DomcapsXml).domainCapabilities?.os;
  const efi = os?.enum?.some((entry) => entry['@_name'] === 'firmware' && (entry.value ?? []).includes('efi')) ?? false;
  const loaders = os?.loader?.['@_supported'] === 'yes' ? (os.loader.value ?? []) : [];
  const loader = loaders.find((value) => /OVMF|edk2/i.test(value));
  if (efi || loader) return { available: true, ...(loader ? { program: loader } : {}) };
  return { available: false, fix: uefiFix };
}

export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

export interface CreateHost {
  acceleration(uri: string, signal?: AbortSignal): Promise<Acceleration>;
  options(uri: string, signal?: AbortSignal): Promise<VmCreateOptions>;
}

export function createCreateHost(virsh: Virsh, storage: StorageService, config: BackendConfig): CreateHost {
  async function localVerdict() {
    const [accounts, context] = await Promise.all([readAccounts(config.roots), readFixContext(config)]);
    const section = assessKvm(await observeKvm(config.roots, accounts), context);
    const check = section.checks.find((candidate) => candidate.id === 'kvm.acceleration');
    return { acceleration: section.facts.acceleration, reason: section.facts.reason, ...(check?.fix ? { fix: check.fix } : {}) };
  }

  async function acceleration(uri: string, signal?: AbortSignal): Promise<Acceleration> {
    const given = signal ? { signal } : {};
    const [capabilities, verdict] = await Promise.all([virsh.run(uri, ['capabilities'], given), isLocalUri(uri) ? localVerdict() : Promise.resolve(undefined)]);
    return chooseDomainType(domainTypesFor(capabilities), verdict, uri);
  }

  return {
    acceleration,
    async options(uri, signal) {
      const given = signal ? { signal } : {};
      const chosen = await acceleration(uri, signal);
      const [nodeinfo, domcaps, allNetworks, activeNetworks, names, pools, seedTool, osinfoQuery] = await Promise.all([
        virsh.run(uri, ['nodeinfo'], given),
        virsh.run(uri, ['domcapabilities', '--virttype', chosen.domainType, '--arch', 'x86_64', '--machine', 'q35'], given),
        virsh.run(uri, ['net-list', '--all', '--name'], given),
        virsh.run(uri, ['net-list', '--name'], given),
        virsh.run(uri, ['list', '--all', '--name'], given),
        storage.pools(uri, signal),
        findSeedTool(config.programPath),
        findOnPath('osinfo-query', config.programPath),
      ]);
      const active = new Set(lines(activeNetworks));
      return {
        uri,
        domainType: chosen.domainType,
        accelerationReason: chosen.reason,
        ...(chosen.fix ? { accelerationFix: chosen.fix } : {}),
        host: parseNodeinfo(nodeinfo),
        uefi: uefiFromDomcapabilities(domcaps),
        seedTool,
        osinfo: osinfoQuery ? { available: true, program: osinfoQuery } : { available: false, fix: osinfoFix },
        networks: lines(allNetworks).map((name) => ({ name, active: active.has(name) })),
        pools,
        existingNames: lines(names),
      };
    },
  };
}
