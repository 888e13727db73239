// The create spec as the equivalent virsh and virt-install commands (the wizard's preview), and the names of
// the volumes a create makes. Pure TypeScript plus shell-quote; no node:*, DOM or electron.
import { quote } from 'shell-quote';
import type { VmCreateSpec } from './vm-create-schemas';

/** The VM's system disk, a new qcow2 volume (or the imported image, in its own format). */
export function systemVolumeName(vmName: string, format: 'qcow2' | 'raw' = 'qcow2'): string {
  return `${vmName}.${format === 'raw' ? 'img' : 'qcow2'}`;
}

/** The cloud-init NoCloud seed, an ISO 9660 volume labelled cidata. */
export function seedVolumeName(vmName: string): string {
  return `${vmName}-cidata.iso`;
}

// Characters no POSIX shell treats specially inside a word: left bare so `--disk pool=default,size=20` stays readable.
const bareWord = /^[\w./:=@%+,-]+$/;

function commandLine(words: string[]): string {
  return words.map((word) => (bareWord.test(word) ? word : quote([word]))).join(' ');
}

function videoModel(spec: VmCreateSpec): string {
  return spec.diskBus === 'virtio' ? 'virtio' : 'vga';
}

function networkArgument(spec: VmCreateSpec): string {
  switch (spec.network.kind) {
    case 'network':
      return `network=${spec.network.network},model=${spec.nicModel}`;
    case 'user':
      return `user,model=${spec.nicModel}`;
    case 'none':
      return 'none';
  }
}

/**
 * The commands that make the same VM by hand: volume preparation with virsh where the wizard does it itself,
 * then `virt-install`. `domainType` is what the connection offers (kvm, or qemu for TCG).
 */
export function vmCreateCommands(spec: VmCreateSpec, domainType: 'kvm' | 'qemu'): string[] {
  const connect = ['--connect', spec.uri];
  const install = ['virt-install', ...connect, '--name', spec.name, '--virt-type', domainType, '--machine', 'q35'];
  install.push('--memory', String(spec.memoryMiB), '--vcpus', String(spec.vcpus), '--osinfo', spec.osId ?? 'generic');
  if (spec.firmware === 'uefi') install.push('--boot', 'uefi');
  const before: string[][] = [];
  const bus = `bus=${spec.diskBus}`;
  const source = spec.source;
  const newDisk = (disk: { pool: string; sizeGiB: number }) => `pool=${disk.pool},size=${disk.sizeGiB},format=qcow2,${bus}`;
  switch (source.kind) {
    case 'iso':
      install.push('--cdrom', source.isoPath, '--disk', newDisk(source.disk));
      break;
    case 'cloudImage': {
      const { pool, sizeGiB } = source.disk;
      const volume = systemVolumeName(spec.name);
      const seed = seedVolumeName(spec.name);
      const image = source.image.from === 'file' ? source.image.path : `./${source.image.url.split('/').pop() || 'image'}`;
      if (source.image.from === 'url') before.push(['curl', '-fLo', image, source.image.url], ['sha256sum', image]);
      before.push(
        ['virsh', ...connect, 'vol-create-as', pool, volume, '1M', '--format', 'qcow2'],
        ['virsh', ...connect, 'vol-upload', '--pool', pool, volume, image],
        ['virsh', ...connect, 'vol-resize', '--pool', pool, volume, `${sizeGiB}G`],
        ['genisoimage', '-output', seed, '-volid', 'cidata', '-joliet', '-rock', 'user-data', 'meta-data'],
        ['virsh', ...connect, 'vol-create-as', pool, seed, '1M', '--format', 'raw'],
        ['virsh', ...connect, 'vol-upload', '--pool', pool, seed, seed],
      );
      install.push('--import', '--disk', `vol=${pool}/${volume},${bus}`, '--disk', `vol=${pool}/${seed},device=cdrom,bus=sata`);
      break;
    }
    case 'existingDisk':
      if (source.storage.mode === 'import') {
        const volume = systemVolumeName(spec.name);
        before.push(
          ['virsh', ...connect, 'vol-create-as', source.storage.pool, volume, '1M', '--format', 'qcow2'],
          ['virsh', ...connect, 'vol-upload', '--pool', source.storage.pool, volume, source.path],
        );
        install.push('--import', '--disk', `vol=${source.storage.pool}/${volume},${bus}`);
      } else {
        install.push('--import', '--disk', `path=${source.path},${bus}`);
      }
      break;
    case 'kernel': {
      const boot = [`kernel=${source.kernelPath}`];
      if (source.initrdPath) boot.push(`initrd=${source.initrdPath}`);
      if (source.cmdline) boot.push(`kernel_args=${source.cmdline}`);
      install.push('--boot', boot.join(','));
      install.push(...(source.disk ? ['--disk', newDisk(source.disk)] : ['--disk', 'none']));
      break;
    }
  }
  install.push('--network', networkArgument(spec));
  install.push(...(spec.graphics ? ['--graphics', 'vnc,listen=127.0.0.1', '--video', videoModel(spec)] : ['--graphics', 'none']));
  install.push('--serial', 'pty', '--console', 'pty,target_type=serial', '--memballoon', 'virtio');
  if (spec.start) return [...before, [...install, '--noautoconsole']].map(commandLine);
  // Defined but not started: virt-install prints the XML and virsh defines it.
  const xmlFile = `${spec.name}.xml`;
  return [...before.map(commandLine), `${commandLine([...install, '--print-xml'])} > ${commandLine([xmlFile])}`, commandLine(['virsh', ...connect, 'define', xmlFile])];
}
