// How the create wizard reads the host, from outputs recorded on this machine (tests/fixtures/vm-create): domain
// type choice, nodeinfo, UEFI from domcapabilities, osinfo-db defaults, pools and volumes, default pool and
// serial log locations.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultsFromFacts, osinfoFileFor, parseOsList, readOsFacts } from '../../electron/backend/libvirt/osinfo';
import { buildDirPoolXml, defaultPoolPath, parsePool, parseVolume } from '../../electron/backend/libvirt/storage';
import { serialLogFile } from '../../electron/backend/libvirt/vm-create';
import { chooseDomainType, parseNodeinfo, uefiFromDomcapabilities } from '../../electron/backend/libvirt/vm-create-host';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/vm-create/${name}`, import.meta.url), 'utf8');
const osinfoDb = fileURLToPath(new URL('../fixtures/vm-create/osinfo', import.meta.url));
const root = { uid: 0, gid: 0, groups: [], name: 'root', home: '/root' };
const alice = { uid: 1000, gid: 1000, groups: [], name: 'alice', home: '/home/alice' };

describe('chooseDomainType', () => {
  const offered = ['qemu', 'kvm'];
  it('takes kvm only when the doctor says KVM works here and libvirt offers it', () => {
    expect(chooseDomainType(offered, { acceleration: 'kvm', reason: 'KVM through kvm_intel.' }, 'qemu:///system')).toEqual({ domainType: 'kvm', reason: 'KVM through kvm_intel.' });
    expect(chooseDomainType(['qemu'], { acceleration: 'kvm', reason: 'r' }, 'qemu:///system').domainType).toBe('qemu');
  });

  it('falls back to TCG with the doctor\'s reason and fix, even when libvirt offers kvm (PVM)', () => {
    const fix = { text: 'Enable nested virtualization.' };
    expect(chooseDomainType(offered, { acceleration: 'tcg', reason: '/dev/kvm comes from kvm_pvm', fix }, 'qemu:///system')).toEqual({ domainType: 'qemu', reason: '/dev/kvm comes from kvm_pvm', fix });
  });

  it('trusts the capabilities of a remote host', () => {
    expect(chooseDomainType(offered, undefined, 'qemu+ssh://h/system').domainType).toBe('kvm');
    expect(chooseDomainType(['qemu'], undefined, 'qemu+ssh://h/system')).toMatchObject({ domainType: 'qemu', reason: expect.stringContaining('only QEMU software emulation') });
  });
});

describe('host facts', () => {
  it('reads memory and CPUs from virsh nodeinfo', () => {
    expect(parseNodeinfo(fixture('nodeinfo.txt'))).toEqual({ memoryBytes: 9136344 * 1024, cpus: 2 });
  });

  it('offers UEFI when OVMF is installed, and the fix when not', () => {
    expect(uefiFromDomcapabilities(fixture('domcapabilities-ovmf.xml'))).toEqual({ available: true, program: '/usr/share/OVMF/OVMF_CODE_4M.ms.fd' });
    expect(uefiFromDomcapabilities(fixture('domcapabilities-no-ovmf.xml'))).toEqual({ available: false, fix: { text: expect.stringContaining('OVMF'), command: 'sudo apt install ovmf' } });
  });
});

describe('osinfo-db', () => {
  it('parses the osinfo-query table', () => {
    const list = parseOsList(fixture('osinfo-query.txt'));
    expect(list[0]).toEqual({ id: 'almalinux8', name: 'AlmaLinux 8', version: '8', family: 'linux', url: 'http://almalinux.org/almalinux/8' });
    expect(list.find((variant) => variant.id === 'win11')).toMatchObject({ family: 'winnt', url: 'http://microsoft.com/win/11' });
  });

  it('finds the record file the way osinfo-db names it', () => {
    expect(osinfoFileFor('/db', 'http://microsoft.com/win/11')).toBe('/db/os/microsoft.com/win-11.xml');
    expect(osinfoFileFor('/db', 'not a url')).toBeUndefined();
  });

  it('gives Windows 11 its own minimum over an inherited recommendation, UEFI, and SATA + e1000e (no virtio drivers)', async () => {
    const facts = await readOsFacts(osinfoDb, 'http://microsoft.com/win/11');
    expect(facts).toMatchObject({ family: 'winnt', uefiOnly: true, virtio: false });
    expect(defaultsFromFacts('win11', facts!)).toEqual({ osId: 'win11', memoryMiB: 4096, vcpus: 2, diskGiB: 64, firmware: 'uefi', diskBus: 'sata', nicModel: 'e1000e', from: 'osinfo' });
  });

  it('gives Debian 11 its recommended resources and virtio (devices inherited from Debian 10)', async () => {
    const facts = await readOsFacts(osinfoDb, 'http://debian.org/debian/11');
    expect(facts).toMatchObject({ family: 'linux', virtio: true, uefiOnly: false });
    expect(defaultsFromFacts('debian11', facts!)).toMatchObject({ memoryMiB: 1024, diskGiB: 20, firmware: 'bios', diskBus: 'virtio', nicModel: 'virtio' });
    expect(await readOsFacts(osinfoDb, 'http://example.org/none/1')).toBeUndefined();
  });
});

describe('storage parsing', () => {
  it('reads a running pool and an inactive one (no sizes then)', () => {
    const xml = fixture('pool.xml');
    expect(parsePool('itest-create-fixture', fixture('pool-info.txt'), xml)).toEqual({
      name: 'itest-create-fixture',
      uuid: '54d8051e-0384-45f3-96dd-c844fa0d1392',
      type: 'dir',
      state: 'running',
      autostart: false,
      persistent: true,
      path: '/tmp/h2/fixpool',
      capacityBytes: 270553174016,
      allocationBytes: 26387435520,
      availableBytes: 244165738496,
    });
    expect(parsePool('itest-create-fixture', fixture('pool-info-inactive.txt'), xml)).toMatchObject({ state: 'inactive', capacityBytes: 0, availableBytes: 0 });
  });

  it('reads a qcow2 volume', () => {
    expect(parseVolume(fixture('volume-qcow2.xml'))).toEqual({ name: 'disk.qcow2', path: '/tmp/h2/fixpool/disk.qcow2', type: 'file', format: 'qcow2', capacityBytes: 64 * 1024 * 1024, allocationBytes: expect.any(Number) });
  });

  it('builds a dir pool definition with the path escaped', () => {
    expect(buildDirPoolXml('p', '/srv/a&b')).toBe('<pool type="dir">\n  <name>p</name>\n  <target>\n    <path>/srv/a&amp;b</path>\n  </target>\n</pool>\n');
  });
});

describe('locations', () => {
  it('puts the default pool in the data dir only for a user\'s own session daemon', () => {
    expect(defaultPoolPath('qemu:///session', { env: {}, identity: alice })).toBe('/home/alice/.local/share/isolab/images');
    expect(defaultPoolPath('qemu:///session', { env: { XDG_DATA_HOME: '/data' }, identity: alice })).toBe('/data/isolab/images');
    expect(defaultPoolPath('qemu:///session', { env: { XDG_DATA_HOME: 'relative' }, identity: alice })).toBe('/home/alice/.local/share/isolab/images');
    expect(defaultPoolPath('qemu:///system', { env: {}, identity: alice })).toBe('/var/lib/libvirt/images');
    expect(defaultPoolPath('qemu:///session', { env: {}, identity: root })).toBe('/var/lib/libvirt/images');
  });

  it('keeps the serial console log where virtlogd writes for that daemon', () => {
    expect(serialLogFile('qemu:///system', 'vm', { env: {}, identity: alice })).toBe('/var/log/libvirt/qemu/vm-serial0.log');
    expect(serialLogFile('qemu:///session', 'vm', { env: {}, identity: alice })).toBe('/home/alice/.cache/libvirt/qemu/log/vm-serial0.log');
    expect(serialLogFile('qemu:///session', 'vm', { env: {}, identity: root })).toBe('/var/log/libvirt/qemu/vm-serial0.log');
    expect(serialLogFile('qemu+ssh://me@host/session', 'vm', { env: {}, identity: alice })).toBeUndefined();
  });
});
