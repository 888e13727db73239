// What the create wizard writes: domain XML from the builder (against kept, virt-xml-validated fixtures, with
// hostile values escaped), the equivalent virsh/virt-install commands, and the cloud-init NoCloud seed files.
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { parse } from 'shell-quote';
import { describe, expect, it } from 'vitest';
import { vmCreateCommands } from '@shared/vm-create-command';
import { vmCreateSpecSchema, type VmCreateSpecInput } from '@shared/vm-create-schemas';
import { buildSeedFiles } from '../../electron/backend/libvirt/cloud-init';
import { buildDomainXml } from '../../electron/backend/libvirt/domain-xml-build';
import { goldenSpecs } from './vm-create-golden-specs';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/vm-create/${name}`, import.meta.url), 'utf8');
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false });

describe('buildDomainXml', () => {
  it.each(Object.keys(goldenSpecs))('builds %s exactly as the validated fixture', (name) => {
    expect(buildDomainXml(goldenSpecs[name] as (typeof goldenSpecs)[string])).toBe(fixture(`domain-${name}.xml`));
  });

  it('escapes what a user can type (paths, command line) so the parser reads the same values back', () => {
    const cmdline = `console=ttyS0 init="/bin/sh -c 'a<b && c>d'" x=&amp;`;
    const path = `/srv/it's "odd" <dir>/a&b.qcow2`;
    const xml = buildDomainXml({
      ...(goldenSpecs['kernel-tcg'] as (typeof goldenSpecs)[string]),
      kernel: { kernelPath: '/boot/vmlinuz', cmdline },
      disks: [{ device: 'disk', path, format: 'qcow2', bus: 'virtio' }],
    });
    const domain = (parser.parse(xml) as { domain: { os: { cmdline: string }; devices: { disk: { source: { '@_file': string } } } } }).domain;
    expect(domain.os.cmdline).toBe(cmdline);
    expect(domain.devices.disk.source['@_file']).toBe(path);
  });

  it('names disks per bus in order and gives boot order only where asked', () => {
    const xml = buildDomainXml({
      ...(goldenSpecs['cloud-user-net'] as (typeof goldenSpecs)[string]),
      disks: [
        { device: 'cdrom', path: '/a.iso', format: 'raw', bus: 'sata', bootOrder: 1 },
        { device: 'disk', path: '/b.qcow2', format: 'qcow2', bus: 'virtio', bootOrder: 2 },
        { device: 'disk', path: '/c.raw', format: 'raw', bus: 'virtio' },
        { device: 'cdrom', path: '/d.iso', format: 'raw', bus: 'sata' },
      ],
    });
    const disks = (parser.parse(xml) as { domain: { devices: { disk: { target: { '@_dev': string }; boot?: { '@_order': string } }[] } } }).domain.devices.disk;
    expect(disks.map((disk) => [disk.target['@_dev'], disk.boot?.['@_order']])).toEqual([
      ['sda', '1'],
      ['vda', '2'],
      ['vdb', undefined],
      ['sdb', undefined],
    ]);
  });
});

const kernelSpec: VmCreateSpecInput = {
  uri: 'qemu:///system',
  name: 'tiny',
  memoryMiB: 256,
  vcpus: 1,
  network: { kind: 'none' },
  graphics: false,
  source: { kind: 'kernel', kernelPath: '/guest/vmlinuz', initrdPath: '/guest/initrd.img', cmdline: 'console=ttyS0 panic=-1 quiet' },
};

function commands(spec: VmCreateSpecInput, type: 'kvm' | 'qemu' = 'qemu'): string[] {
  return vmCreateCommands(vmCreateSpecSchema.parse(spec), type);
}

describe('vmCreateCommands', () => {
  it('gives the virt-install line for kernel boot, quoted so a shell reads back the same arguments', () => {
    const [line] = commands(kernelSpec);
    expect(line).toBe(
      "virt-install --connect qemu:///system --name tiny --virt-type qemu --machine q35 --memory 256 --vcpus 1 --osinfo generic --boot 'kernel=/guest/vmlinuz,initrd=/guest/initrd.img,kernel_args=console=ttyS0 panic=-1 quiet' --disk none --network none --graphics none --serial pty --console pty,target_type=serial --memballoon virtio --noautoconsole",
    );
    expect(parse(line ?? '')).toContain('kernel=/guest/vmlinuz,initrd=/guest/initrd.img,kernel_args=console=ttyS0 panic=-1 quiet');
  });

  it('installs from an ISO with UEFI, a pool disk on SATA and VNC', () => {
    const [line] = commands(
      { ...kernelSpec, osId: 'win11', firmware: 'uefi', diskBus: 'sata', nicModel: 'e1000e', graphics: true, network: { kind: 'network', network: 'default' }, source: { kind: 'iso', isoPath: '/iso/win 11.iso', disk: { pool: 'default', sizeGiB: 64 } } },
      'kvm',
    );
    expect(line).toContain('--virt-type kvm');
    expect(line).toContain('--osinfo win11 --boot uefi');
    expect(line).toContain("--cdrom '/iso/win 11.iso' --disk pool=default,size=64,format=qcow2,bus=sata");
    expect(line).toContain('--network network=default,model=e1000e --graphics vnc,listen=127.0.0.1 --video vga');
  });

  it('prepares a cloud image and its seed with virsh first, then imports; defines without starting when asked', () => {
    const lines = commands({
      ...kernelSpec,
      start: false,
      network: { kind: 'user' },
      source: { kind: 'cloudImage', image: { from: 'url', url: 'https://example.org/images/debian.qcow2', sha256: 'a'.repeat(64) }, disk: { pool: 'images', sizeGiB: 20 }, cloudInit: { hostname: 'h', user: 'u', password: 'p' } },
    });
    expect(lines[0]).toBe('curl -fLo ./debian.qcow2 https://example.org/images/debian.qcow2');
    expect(lines).toContain('virsh --connect qemu:///system vol-resize --pool images tiny.qcow2 20G');
    expect(lines).toContain('virsh --connect qemu:///system vol-upload --pool images tiny-cidata.iso tiny-cidata.iso');
    expect(lines.at(-2)).toMatch(/--import --disk vol=images\/tiny.qcow2,bus=virtio --disk vol=images\/tiny-cidata.iso,device=cdrom,bus=sata --network user,model=virtio .* --print-xml > tiny.xml$/);
    expect(lines.at(-1)).toBe('virsh --connect qemu:///system define tiny.xml');
  });

  it('uses an existing disk in place, or copies it into a pool', () => {
    expect(commands({ ...kernelSpec, source: { kind: 'existingDisk', path: '/pool/a.qcow2', storage: { mode: 'inPlace' } } })[0]).toContain('--import --disk path=/pool/a.qcow2,bus=virtio');
    const copied = commands({ ...kernelSpec, source: { kind: 'existingDisk', path: '/srv/a.qcow2', storage: { mode: 'import', pool: 'default' } } });
    expect(copied[1]).toBe('virsh --connect qemu:///system vol-upload --pool default tiny.qcow2 /srv/a.qcow2');
  });
});

describe('buildSeedFiles', () => {
  const cloudInit = {
    hostname: 'web-1',
    user: 'alice',
    sshAuthorizedKeys: ['ssh-ed25519 AAAAC3Nza "quoted" comment: with # and ---'],
    packages: ['qemu-guest-agent', 'htop'],
  };

  it('writes meta-data and a #cloud-config user-data whose values survive any characters', () => {
    const files = buildSeedFiles(cloudInit, 'web-1-1234', '$6$salt$hash');
    expect(JSON.parse(files.metaData)).toEqual({ 'instance-id': 'web-1-1234', 'local-hostname': 'web-1' });
    expect(files.userData.split('\n')[0]).toBe('#cloud-config');
    expect(JSON.parse(files.userData.slice('#cloud-config\n'.length))).toEqual({
      hostname: 'web-1',
      users: [{ name: 'alice', shell: '/bin/bash', sudo: 'ALL=(ALL) NOPASSWD:ALL', lock_passwd: false, passwd: '$6$salt$hash', ssh_authorized_keys: cloudInit.sshAuthorizedKeys }],
      ssh_pwauth: true,
      package_update: true,
      packages: ['qemu-guest-agent', 'htop'],
    });
  });

  it('locks the password and turns off password SSH when only keys are given; no package step without packages', () => {
    const config = JSON.parse(buildSeedFiles({ ...cloudInit, packages: [] }, 'id', undefined).userData.slice('#cloud-config\n'.length)) as Record<string, unknown>;
    expect(config.ssh_pwauth).toBe(false);
    expect(config.users).toEqual([expect.objectContaining({ lock_passwd: true })]);
    expect(config.users).not.toEqual([expect.objectContaining({ passwd: expect.anything() })]);
    expect(config).not.toHaveProperty('packages');
    expect(config).not.toHaveProperty('package_update');
  });
});
