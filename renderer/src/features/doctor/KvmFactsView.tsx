// The KVM facts the doctor read: device, CPU, modules, whether this host is a VM.
// Never imports node:*, electron or backend code.
import type { KvmFacts } from '@shared/types';
import { FactList } from '../../components/FactList';

export function KvmFactsView({ facts }: { facts: KvmFacts }) {
  const { device, cpu } = facts;
  return (
    <FactList
      facts={[
        ['Acceleration', facts.acceleration === 'kvm' ? 'KVM' : 'QEMU software emulation (TCG)'],
        ['Why', facts.reason],
        [
          '/dev/kvm',
          device.present
            ? `present, ${device.mode} ${device.owner}:${device.group}, ${device.usable ? 'usable by you' : 'not usable by you'}`
            : 'not present',
        ],
        ['CPU', `${cpu.model} (${cpu.vendor}), ${cpu.virtualizationFlag ?? 'no vmx/svm flag'}`],
        ['KVM modules', facts.modules.join(', ') || 'none loaded'],
        [
          'This host',
          facts.hostIsVirtualMachine ? `virtual machine${facts.hypervisor ? ` (${facts.hypervisor})` : ''}` : 'not a virtual machine',
        ],
        ['Nested virtualization for guests', facts.nested === null ? 'unknown (no kvm_intel/kvm_amd)' : facts.nested ? 'on' : 'off'],
      ]}
    />
  );
}
