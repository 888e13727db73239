// Builds libvirt domain XML for a new VM from a typed, resolved spec with fast-xml-parser's XMLBuilder (never by
// string concatenation): q35, memory, vCPUs, disks with boot order, kernel boot, NIC, firmware, serial, VNC.
// Plain Node; never imports electron.
import { XMLBuilder } from 'fast-xml-parser';

export interface DomainDisk {
  device: 'disk' | 'cdrom';
  /** Host path of the image or volume. */
  path: string;
  format: string;
  bus: 'virtio' | 'sata';
  /** 1 boots first; absent: not a boot device. */
  bootOrder?: number;
}

export type DomainNic = { kind: 'network'; network: string; model: 'virtio' | 'e1000e' } | { kind: 'user'; model: 'virtio' | 'e1000e' };

export interface DomainBuildSpec {
  name: string;
  /** kvm (hardware) or qemu (TCG software emulation). */
  type: 'kvm' | 'qemu';
  memoryMiB: number;
  vcpus: number;
  firmware: 'bios' | 'uefi';
  /** The libosinfo id (http://debian.org/debian/11), recorded in the metadata like virt-install does. */
  osinfoId?: string;
  kernel?: { kernelPath: string; initrdPath?: string; cmdline?: string };
  disks: DomainDisk[];
  nic?: DomainNic;
  /** A VNC display on 127.0.0.1 (autoport) with a video card and a tablet for the pointer. */
  graphics: boolean;
  /** virtio devices beyond disks and NIC: balloon, RNG and the guest agent channel (the guest has virtio drivers). */
  virtioDevices: boolean;
  /** Keep what the guest prints on its serial console in this file (libvirt's virtlogd writes it). */
  serialLogFile?: string;
}

const libosinfoNamespace = 'http://libosinfo.org/xmlns/libvirt/domain/1.0';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
});

type XmlNode = Record<string, unknown>;

/** Guest device names per bus in the order disks come: vda, vdb… or sda, sdb… */
function targetNames(disks: DomainDisk[]): string[] {
  const used = { virtio: 0, sata: 0 };
  return disks.map((disk) => {
    const index = used[disk.bus]++;
    return `${disk.bus === 'virtio' ? 'vd' : 'sd'}${String.fromCharCode(97 + index)}`;
  });
}

function diskNode(disk: DomainDisk, target: string): XmlNode {
  return {
    '@_type': 'file',
    '@_device': disk.device,
    driver: { '@_name': 'qemu', '@_type': disk.format },
    source: { '@_file': disk.path },
    target: { '@_dev': target, '@_bus': disk.bus },
    ...(disk.device === 'cdrom' ? { readonly: '' } : {}),
    ...(disk.bootOrder === undefined ? {} : { boot: { '@_order': disk.bootOrder } }),
  };
}

function nicNode(nic: DomainNic): XmlNode {
  return nic.kind === 'network'
    ? { '@_type': 'network', source: { '@_network': nic.network }, model: { '@_type': nic.model } }
    : { '@_type': 'user', model: { '@_type': nic.model } };
}

function osNode(spec: DomainBuildSpec): XmlNode {
  return {
    ...(spec.firmware === 'uefi' ? { '@_firmware': 'efi' } : {}),
    type: { '@_arch': 'x86_64', '@_machine': 'q35', '#text': 'hvm' },
    // Secure boot needs SMM and enrolled keys, and makes TCG guests slower still: new VMs get plain UEFI.
    ...(spec.firmware === 'uefi' ? { firmware: { feature: { '@_enabled': 'no', '@_name': 'secure-boot' } } } : {}),
    ...(spec.kernel
      ? {
          kernel: spec.kernel.kernelPath,
          ...(spec.kernel.initrdPath ? { initrd: spec.kernel.initrdPath } : {}),
          ...(spec.kernel.cmdline ? { cmdline: spec.kernel.cmdline } : {}),
        }
      : {}),
  };
}

function devicesNode(spec: DomainBuildSpec): XmlNode {
  const targets = targetNames(spec.disks);
  return {
    disk: spec.disks.map((disk, index) => diskNode(disk, targets[index] ?? 'vda')),
    ...(spec.nic ? { interface: nicNode(spec.nic) } : {}),
    serial: {
      '@_type': 'pty',
      ...(spec.serialLogFile ? { log: { '@_file': spec.serialLogFile, '@_append': 'off' } } : {}),
      target: { '@_port': 0 },
    },
    console: { '@_type': 'pty', target: { '@_type': 'serial', '@_port': 0 } },
    ...(spec.virtioDevices ? { channel: { '@_type': 'unix', target: { '@_type': 'virtio', '@_name': 'org.qemu.guest_agent.0' } } } : {}),
    ...(spec.graphics
      ? {
          input: { '@_type': 'tablet', '@_bus': 'usb' },
          graphics: { '@_type': 'vnc', '@_port': -1, '@_autoport': 'yes', '@_listen': '127.0.0.1', listen: { '@_type': 'address', '@_address': '127.0.0.1' } },
          video: { model: { '@_type': spec.virtioDevices ? 'virtio' : 'vga' } },
        }
      : {}),
    memballoon: { '@_model': spec.virtioDevices ? 'virtio' : 'none' },
    ...(spec.virtioDevices ? { rng: { '@_model': 'virtio', backend: { '@_model': 'random', '#text': '/dev/urandom' } } } : {}),
  };
}

/** The domain XML libvirt defines the VM from. */
export function buildDomainXml(spec: DomainBuildSpec): string {
  const domain: XmlNode = {
    '@_type': spec.type,
    name: spec.name,
    ...(spec.osinfoId
      ? { metadata: { 'libosinfo:libosinfo': { '@_xmlns:libosinfo': libosinfoNamespace, 'libosinfo:os': { '@_id': spec.osinfoId } } } }
      : {}),
    memory: { '@_unit': 'MiB', '#text': spec.memoryMiB },
    currentMemory: { '@_unit': 'MiB', '#text': spec.memoryMiB },
    vcpu: { '@_placement': 'static', '#text': spec.vcpus },
    os: osNode(spec),
    features: { acpi: '', apic: '' },
    // KVM can hand the host CPU through; TCG emulates its own model (libvirt's default for qemu domains).
    ...(spec.type === 'kvm' ? { cpu: { '@_mode': 'host-passthrough', '@_check': 'none' } } : {}),
    clock: { '@_offset': 'utc' },
    on_poweroff: 'destroy',
    on_reboot: 'restart',
    on_crash: 'destroy',
    devices: devicesNode(spec),
  };
  return builder.build({ domain }) as string;
}
