// The domain build specs whose XML is kept in tests/fixtures/vm-create/domain-*.xml (each checked once with
// virt-xml-validate and by defining it in libvirt 9.0): one per source, firmware, NIC and bus combination.
import type { DomainBuildSpec } from '../../electron/backend/libvirt/domain-xml-build';

export const goldenSpecs: Record<string, DomainBuildSpec> = {
  'kernel-tcg': {
    name: 'tiny',
    type: 'qemu',
    memoryMiB: 256,
    vcpus: 1,
    firmware: 'bios',
    kernel: { kernelPath: '/var/lib/isolab-test/guest/vmlinuz', initrdPath: '/var/lib/isolab-test/guest/initrd.img', cmdline: 'console=ttyS0 panic=-1 quiet' },
    disks: [],
    graphics: false,
    virtioDevices: true,
    serialLogFile: '/var/log/libvirt/qemu/tiny-serial0.log',
  },
  'iso-uefi-kvm': {
    name: 'win',
    type: 'kvm',
    memoryMiB: 4096,
    vcpus: 2,
    firmware: 'uefi',
    osinfoId: 'http://microsoft.com/win/11',
    disks: [
      { device: 'cdrom', path: '/srv/iso/Win11 "x64".iso', format: 'raw', bus: 'sata', bootOrder: 1 },
      { device: 'disk', path: '/var/lib/libvirt/images/win.qcow2', format: 'qcow2', bus: 'sata', bootOrder: 2 },
    ],
    nic: { kind: 'network', network: 'default', model: 'e1000e' },
    graphics: true,
    virtioDevices: false,
  },
  'cloud-user-net': {
    name: 'cloud',
    type: 'qemu',
    memoryMiB: 1024,
    vcpus: 1,
    firmware: 'bios',
    osinfoId: 'http://debian.org/debian/11',
    disks: [
      { device: 'disk', path: '/var/lib/libvirt/images/cloud.qcow2', format: 'qcow2', bus: 'virtio', bootOrder: 1 },
      { device: 'cdrom', path: '/var/lib/libvirt/images/cloud-cidata.iso', format: 'raw', bus: 'sata' },
    ],
    nic: { kind: 'user', model: 'virtio' },
    graphics: true,
    virtioDevices: true,
  },
};
