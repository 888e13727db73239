// The domain XML reader over XML recorded from this machine's libvirt 9.0 (`virsh dumpxml` of real domains:
// inactive and running, BIOS and UEFI, disks, NICs, graphics, consoles, direct kernel boot), and the clone's
// XML editing round trip (parser + builder). Recorded with tests/fixtures/libvirt/*.xml.
import { describe, expect, it } from 'vitest';
import { accelerationOf, osIdFromUrl, parseDomainXml } from '../../electron/backend/libvirt/domain-xml-read';
import { attribute, buildOrdered, element, elements, parseOrdered, rootElement, setAttribute, setText, textOf } from '../../electron/backend/libvirt/domain-xml-edit';
import { cloneDefinition, clonedDiskName, copiedDisks, randomMac } from '../../electron/backend/libvirt/domain-clone';
import { readLibvirtFixture as fixture } from './host-fixture-support';

describe('parseDomainXml', () => {
  it('reads an inactive domain with every kind of device', async () => {
    const vm = parseDomainXml(await fixture('domain-full-inactive.xml'));
    expect(vm).toMatchObject({
      name: 'itest-vm-fixture-full',
      uuid: '84c575df-66ca-4adb-8eb4-2a066da791c8',
      title: 'Fixture with everything',
      description: "Recorded for the XML reader's tests",
      osInfoUrl: 'http://debian.org/debian/12',
      osId: 'debian12',
      domainType: 'qemu',
      acceleration: 'tcg',
      osType: 'hvm',
      arch: 'x86_64',
      machine: 'pc-q35-7.2',
      firmware: 'bios',
      secureBoot: false,
      bootDevices: ['hd', 'cdrom'],
      vcpus: 2,
      cpu: { mode: 'custom', model: 'qemu64', sockets: 1, cores: 2, threads: 2, currentVcpus: 2 },
      memoryBytes: 512 * 1024 ** 2,
      currentMemoryBytes: 384 * 1024 ** 2,
      emulator: '/usr/bin/qemu-system-x86_64',
      hasGuestAgentChannel: true,
    });
    expect(vm.disks).toEqual([
      { target: 'vda', bus: 'virtio', device: 'disk', sourceType: 'file', source: '/tmp/h3/pool/full.qcow2', format: 'qcow2', readOnly: false, shareable: false },
      { target: 'vdb', bus: 'virtio', device: 'disk', sourceType: 'file', source: '/tmp/h3/pool/data.raw', format: 'raw', readOnly: false, shareable: true },
      { target: 'sda', bus: 'sata', device: 'cdrom', sourceType: 'file', format: 'raw', readOnly: true, shareable: false },
    ]);
    expect(vm.nics).toEqual([
      { mac: '52:54:00:11:22:33', type: 'network', source: 'default', model: 'virtio', addresses: [] },
      { mac: '52:54:00:44:55:66', type: 'user', model: 'e1000e', addresses: [] },
      { mac: '52:54:00:77:88:99', type: 'bridge', source: 'br0', model: 'virtio', addresses: [] },
    ]);
    expect(vm.graphics).toEqual([
      { type: 'vnc', listen: '127.0.0.1', port: -1, autoport: true },
      { type: 'spice', autoport: true },
    ]);
    expect(vm.consoles).toEqual([
      { kind: 'serial', type: 'pty', target: 'isa-serial', logFile: '/tmp/h3/full-serial.log' },
      { kind: 'console', type: 'pty', target: 'serial', logFile: '/tmp/h3/full-serial.log' },
      { kind: 'channel', type: 'unix', target: 'org.qemu.guest_agent.0' },
    ]);
    expect(vm.directKernelBoot).toBeUndefined();
  });

  it('reads a running domain: the pty paths, the host side of NICs and the ports graphics got', async () => {
    const vm = parseDomainXml(await fixture('domain-running.xml'));
    expect(vm.consoles.find((console) => console.kind === 'console')?.path).toMatch(/^\/dev\/pts\/\d+$/);
    expect(vm.nics[0]).toMatchObject({ type: 'network', source: 'default', hostDevice: expect.stringMatching(/^vnet\d+$/) as string });
    expect(vm.graphics.map((graphics) => [graphics.type, graphics.port])).toEqual([
      ['vnc', 5900],
      ['spice', 5901],
    ]);
  });

  it('tells UEFI from BIOS before and after libvirt picked the firmware files', async () => {
    const inactive = parseDomainXml(await fixture('domain-uefi-inactive.xml'));
    expect(inactive.firmware).toBe('uefi');
    const running = parseDomainXml(await fixture('domain-uefi-running.xml'));
    expect(running).toMatchObject({
      firmware: 'uefi',
      secureBoot: true,
      loader: '/usr/share/OVMF/OVMF_CODE_4M.ms.fd',
      nvram: '/var/lib/libvirt/qemu/nvram/itest-vm-fixture-uefi_VARS.fd',
    });
    expect(running.disks).toEqual([]);
  });

  it('reads direct kernel boot', async () => {
    const vm = parseDomainXml(await fixture('domain-kernel-inactive.xml'));
    expect(vm.directKernelBoot).toEqual({
      kernel: '/var/lib/isolab-test/guest/vmlinuz',
      initrd: '/var/lib/isolab-test/guest/initrd.img',
      cmdline: 'console=ttyS0 panic=-1 quiet',
    });
    expect(vm.cpu.sockets).toBeUndefined();
  });

  it('labels the acceleration from the domain type', async () => {
    expect(accelerationOf('kvm')).toBe('kvm');
    expect(accelerationOf('qemu')).toBe('tcg');
    expect(accelerationOf('xen')).toBe('other');
    const kvm = parseDomainXml((await fixture('domain-kernel-inactive.xml')).replace("<domain type='qemu'>", "<domain type='kvm'>"));
    expect(kvm.acceleration).toBe('kvm');
  });

  it('refuses XML that is no domain', () => {
    expect(() => parseDomainXml('<network><name>default</name></network>')).toThrow(/not a domain/);
  });

  it('derives short osinfo ids', () => {
    expect(osIdFromUrl('http://debian.org/debian/12')).toBe('debian12');
    expect(osIdFromUrl('http://microsoft.com/win/11')).toBe('win11');
    expect(osIdFromUrl('http://ubuntu.com/ubuntu/22.04')).toBe('ubuntu22.04');
  });
});

describe('domain XML editing', () => {
  it('round-trips a recorded definition and changes only what it is told to', async () => {
    const xml = await fixture('domain-full-inactive.xml');
    const tree = parseOrdered(xml);
    const domain = rootElement(tree, 'domain');
    setText(element(domain, 'name')!, 'copy<&>"name');
    const mac = element(elements(element(domain, 'devices')!, 'interface')[0]!, 'mac')!;
    setAttribute(mac, 'address', '52:54:00:aa:bb:cc');
    const rebuilt = buildOrdered(tree);
    const again = parseDomainXml(rebuilt);
    const before = parseDomainXml(xml);
    expect(again.name).toBe('copy<&>"name');
    expect(rebuilt).toContain('copy&lt;&amp;&gt;');
    expect(again.nics[0]?.mac).toBe('52:54:00:aa:bb:cc');
    expect({ ...again, name: before.name, nics: before.nics }).toEqual(before);
    expect(textOf(element(rootElement(parseOrdered(rebuilt), 'domain'), 'description'))).toBe("Recorded for the XML reader's tests");
    expect(attribute(element(domain, 'os') && element(element(domain, 'os')!, 'type'), 'machine')).toBe('pc-q35-7.2');
  });

  it('makes MACs in QEMU’s range and clone disk names beside the original', () => {
    const macs = new Set(Array.from({ length: 50 }, randomMac));
    expect(macs.size).toBe(50);
    for (const mac of macs) expect(mac).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
    expect(clonedDiskName('/pool/web.qcow2', 'web-copy', 0)).toBe('web-copy.qcow2');
    expect(clonedDiskName('/pool/data.raw', 'web-copy', 2)).toBe('web-copy-2.raw');
  });

  it('picks only the writable file disks for copying, and refuses a disk it cannot copy', async () => {
    const xml = await fixture('domain-full-inactive.xml');
    // vdb is shareable and sda a CD-ROM: the clone uses them as they are.
    expect(copiedDisks(xml, 'full')).toEqual([{ target: 'vda', source: '/tmp/h3/pool/full.qcow2', format: 'qcow2' }]);
    const block = xml.replace("<disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2'/>\n      <source file='/tmp/h3/pool/full.qcow2'/>", "<disk type='block' device='disk'>\n      <driver name='qemu' type='raw'/>\n      <source dev='/dev/sdz'/>");
    expect(() => copiedDisks(block, 'full')).toThrow(/block disk \(vda\) that Isolab cannot copy/);
  });

  it('rewrites a definition for its clone: name, UUID, MACs, disk paths, console log, no NVRAM path', async () => {
    const original = await fixture('domain-full-inactive.xml');
    const xml = cloneDefinition(original, {
      name: 'itest-vm-fixture-full',
      newName: 'copy',
      uuid: '00000000-0000-4000-8000-000000000001',
      newPaths: new Map([['/tmp/h3/pool/full.qcow2', '/tmp/h3/pool/copy.qcow2']]),
    });
    const before = parseDomainXml(original);
    const after = parseDomainXml(xml);
    expect(after).toMatchObject({ name: 'copy', uuid: '00000000-0000-4000-8000-000000000001' });
    expect(after.disks.map((disk) => disk.source)).toEqual(['/tmp/h3/pool/copy.qcow2', '/tmp/h3/pool/data.raw', undefined]);
    expect(after.nics.map((nic) => nic.mac).filter((mac) => before.nics.some((nic) => nic.mac === mac))).toEqual([]);
    expect(after.consoles.filter((console) => console.logFile).map((console) => console.logFile)).toEqual(['/tmp/h3/full-serial.log', '/tmp/h3/full-serial.log']);
    expect({ ...after, name: before.name, uuid: before.uuid, nics: before.nics, disks: before.disks }).toEqual(before);
    const running = parseDomainXml(cloneDefinition(await fixture('domain-uefi-running.xml'), { name: 'itest-vm-fixture-uefi', newName: 'uefi-copy', uuid: 'u', newPaths: new Map() }));
    expect(running.nvram).toBeUndefined();
    expect(running.loader).toBe('/usr/share/OVMF/OVMF_CODE_4M.ms.fd');
    expect(running.nics.every((nic) => nic.hostDevice === undefined)).toBe(true);
  });
});
