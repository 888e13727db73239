// The doctor's pure parsers over recorded and public host files: /proc/cpuinfo, os-release, group/passwd,
// virsh version/net-info/pool-info, capabilities XML, virsh stderr classification, and section building.
import { describe, expect, it } from 'vitest';
import {
  distroFamily,
  octalMode,
  parseCpuinfo,
  parseGroupFile,
  parseOsRelease,
  parsePasswdFile,
  parseVirshInfo,
  parseVirshVersion,
  permissionString,
} from '../../electron/backend/host/parsers';
import { makeSection, worstStatus } from '../../electron/backend/host/section';
import { domainTypesFor, poolTargetPath } from '../../electron/backend/libvirt/capabilities';
import { classifyVirshFailure, VirshError, virshErrorText } from '../../electron/backend/libvirt/virsh';
import { readFixture } from './host-fixture-support';

describe('parseCpuinfo', () => {
  it.each([
    ['debian-pvm-firecracker', 'AuthenticAMD', 'AMD EPYC', { hypervisor: true, vmx: false, svm: false }],
    ['intel-fedora-kvm', 'GenuineIntel', 'Intel(R) Core(TM) i7-4800MQ CPU @ 2.70GHz', { hypervisor: false, vmx: true, svm: false }],
    ['intel-vt-disabled', 'GenuineIntel', 'Intel(R) Core(TM) i7-4800MQ CPU @ 2.70GHz', { hypervisor: false, vmx: false, svm: false }],
    ['amd-epyc-nested-vm', 'AuthenticAMD', 'AMD EPYC 9754 128-Core Processor', { hypervisor: true, vmx: false, svm: true }],
    ['amd-epyc-bare-metal', 'AuthenticAMD', 'AMD EPYC 9754 128-Core Processor', { hypervisor: false, vmx: false, svm: true }],
  ])('reads %s', async (tree, vendor, model, flags) => {
    const cpu = parseCpuinfo(await readFixture('host', tree, 'proc', 'cpuinfo'));
    expect(cpu.vendor).toBe(vendor);
    expect(cpu.model).toBe(model);
    expect(cpu.processors).toBe(2);
    expect({ hypervisor: cpu.flags.has('hypervisor'), vmx: cpu.flags.has('vmx'), svm: cpu.flags.has('svm') }).toEqual(flags);
    expect(cpu.flags.has('fpu')).toBe(true);
  });

  it('takes the flags of the first processor only', () => {
    const cpu = parseCpuinfo(
      'processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu vmx\n\nprocessor\t: 1\nvendor_id\t: Other\nflags\t\t: fpu svm\n\nprocessor\t: 2\n',
    );
    expect(cpu.vendor).toBe('GenuineIntel');
    expect([...cpu.flags]).toEqual(['fpu', 'vmx']);
    expect(cpu.processors).toBe(3);
  });

  it('reports unknowns for an empty or missing file', () => {
    const cpu = parseCpuinfo('');
    expect(cpu).toEqual({ vendor: 'unknown', model: 'unknown', flags: new Set(), processors: 0 });
  });
});

describe('parseOsRelease and distroFamily', () => {
  it('reads this machine (Debian 12)', async () => {
    const release = parseOsRelease(await readFixture('os-release', 'debian-12'));
    expect(release.PRETTY_NAME).toBe('Debian GNU/Linux 12 (bookworm)');
    expect(release.ID).toBe('debian');
    expect(release.VERSION_CODENAME).toBe('bookworm');
    expect(release.HOME_URL).toBe('https://www.debian.org/');
  });

  it('reads Fedora 38, with unquoted and empty values', async () => {
    const release = parseOsRelease(await readFixture('os-release', 'fedora-38'));
    expect(release.ID).toBe('fedora');
    expect(release.VERSION_ID).toBe('38');
    expect(release.VERSION_CODENAME).toBe('');
    expect(release.PRETTY_NAME).toBe('Fedora Linux 38 (Container Image)');
    expect(release.ANSI_COLOR).toBe('0;38;2;60;110;180');
  });

  it('unquotes single and double quotes, undoes escapes, and skips comments and blank lines', () => {
    const release = parseOsRelease('# a comment\n\nNAME="Foo \\"Bar\\" \\$HOME"\nID=\'foo\'\n  VERSION_ID=1.2  \nnot a field\n');
    expect(release).toEqual({ NAME: 'Foo "Bar" $HOME', ID: 'foo', VERSION_ID: '1.2' });
  });

  it.each([
    ['debian-12', 'debian'],
    ['ubuntu-22.04', 'debian'],
    ['linuxmint-18.2', 'debian'],
    ['fedora-38', 'fedora'],
    ['centos-8', 'fedora'],
    ['arch', 'arch'],
    ['manjaro', 'arch'],
    ['opensuse-leap-42.1', 'suse'],
    ['gentoo', 'unknown'],
  ])('%s is in the %s family', async (file, family) => {
    expect(distroFamily(parseOsRelease(await readFixture('os-release', file)))).toBe(family);
  });

  it('knows Rocky Linux and openSUSE Tumbleweed by ID and ID_LIKE, and nothing by nothing', () => {
    expect(distroFamily({ ID: 'rocky', ID_LIKE: 'rhel centos fedora' })).toBe('fedora');
    expect(distroFamily({ ID: 'opensuse-tumbleweed', ID_LIKE: 'opensuse suse' })).toBe('suse');
    expect(distroFamily({ ID: 'Debian' })).toBe('debian');
    expect(distroFamily({})).toBe('unknown');
  });
});

describe('parseGroupFile and parsePasswdFile', () => {
  it('reads the group database of this machine', async () => {
    const groups = parseGroupFile(await readFixture('host', 'debian-pvm-firecracker', 'etc', 'group'));
    expect(groups.map((group) => group.name)).toEqual(['root', 'docker', 'libvirt', 'kvm', 'libvirt-qemu', 'isolab-test']);
    expect(groups.find((group) => group.name === 'kvm')).toEqual({ name: 'kvm', gid: 108, members: [] });
    expect(groups.find((group) => group.name === 'libvirt-qemu')?.members).toEqual(['libvirt-qemu']);
  });

  it('splits member lists and skips comments, blank and short lines', () => {
    const groups = parseGroupFile('# comment:x:1:\n\nwheel:x:10:alice, bob\nbroken:x\nkvm:x:36:\n');
    expect(groups).toEqual([
      { name: 'wheel', gid: 10, members: ['alice', 'bob'] },
      { name: 'kvm', gid: 36, members: [] },
    ]);
  });

  it('reads users with uid, primary gid and home', async () => {
    const users = parsePasswdFile(await readFixture('host', 'debian-pvm-firecracker', 'etc', 'passwd'));
    expect(users).toEqual([
      { name: 'root', uid: 0, gid: 0, home: '/root' },
      { name: 'libvirt-qemu', uid: 64055, gid: 108, home: '/var/lib/libvirt' },
      { name: 'isolab-test', uid: 1001, gid: 1001, home: '/home/isolab-test' },
    ]);
    expect(parsePasswdFile('short:x:1:1\n#root:x:0:0:root:/root:/bin/sh\n')).toEqual([]);
  });
});

describe('virsh text outputs', () => {
  it('parses `virsh version --daemon` as recorded here', async () => {
    expect(parseVirshVersion(await readFixture('libvirt', 'this-machine', 'version-daemon.txt'))).toEqual({
      library: '9.0.0',
      hypervisor: 'QEMU 7.2.22',
      daemon: '9.0.0',
    });
  });

  it('leaves out what the output does not say', () => {
    expect(parseVirshVersion('Compiled against library: libvirt 9.0.0\nUsing library: libvirt 9.0.0\n')).toEqual({ library: '9.0.0' });
    expect(parseVirshVersion('')).toEqual({});
  });

  it('parses net-info and pool-info', async () => {
    expect(parseVirshInfo(await readFixture('libvirt', 'this-machine', 'net-info-default-inactive.txt'))).toEqual({
      Name: 'default',
      UUID: '616f6092-cba6-4855-88c7-04f3d68d562f',
      Active: 'no',
      Persistent: 'yes',
      Autostart: 'no',
      Bridge: 'virbr0',
    });
    const pool = parseVirshInfo(await readFixture('libvirt', 'this-machine', 'pool-info-running.txt'));
    expect(pool.State).toBe('running');
    expect(pool.Autostart).toBe('yes');
    expect(pool.Capacity).toBe('251.97 GiB');
  });
});

describe('permission strings', () => {
  it.each([
    [0o020660, 'rw-rw----', '0660'],
    [0o140660, 'rw-rw----', '0660'],
    [0o020600, 'rw-------', '0600'],
    [0o020666, 'rw-rw-rw-', '0666'],
    [0o104755, 'rwxr-xr-x', '4755'],
    [0o100000, '---------', '0000'],
  ])('mode %o reads %s / %s', (mode, permissions, octal) => {
    expect(permissionString(mode)).toBe(permissions);
    expect(octalMode(mode)).toBe(octal);
  });
});

describe('domainTypesFor', () => {
  it('reads qemu and kvm from this machine (PVM makes libvirt offer kvm)', async () => {
    const xml = await readFixture('libvirt', 'this-machine', 'capabilities.xml');
    expect(domainTypesFor(xml)).toEqual(['qemu', 'kvm']);
    expect(domainTypesFor(xml, 'i686')).toEqual(['qemu', 'kvm']);
  });

  it('reads qemu only when libvirt offers no kvm', async () => {
    expect(domainTypesFor(await readFixture('libvirt', 'capabilities-qemu-only.xml'))).toEqual(['qemu']);
  });

  it("reads libvirt's documented example", async () => {
    expect(domainTypesFor(await readFixture('libvirt', 'capabilities-formatcaps-example.xml'))).toEqual(['qemu', 'kvm']);
  });

  it('looks at the asked architecture only, and merges guests of the same architecture', async () => {
    const xml = await readFixture('libvirt', 'capabilities-libvirt-tests-multiarch.xml');
    expect(domainTypesFor(xml)).toEqual(['qemu', 'kvm']);
    expect(domainTypesFor(xml, 'aarch64')).toEqual(['qemu']);
    expect(domainTypesFor(xml, 'riscv64')).toEqual(['qemu']);
    expect(domainTypesFor(xml, 'ppc64')).toEqual([]);
  });

  it('returns nothing for a document without guests', () => {
    expect(domainTypesFor('<capabilities><host><cpu><arch>x86_64</arch></cpu></host></capabilities>')).toEqual([]);
    expect(domainTypesFor('')).toEqual([]);
  });
});

describe('poolTargetPath', () => {
  it('reads the target of a recorded dir pool', async () => {
    expect(poolTargetPath(await readFixture('libvirt', 'this-machine', 'pool-dumpxml.xml'))).toBe('/tmp/rec/pooldir');
  });

  it('is undefined without a target path', () => {
    expect(poolTargetPath("<pool type='dir'><name>x</name></pool>")).toBeUndefined();
  });
});

describe('classifyVirshFailure', () => {
  it.each([
    ['daemon-not-running.stderr', 'daemon-not-running', 'UNAVAILABLE', '/var/run/libvirt/libvirt-sock.isolab-missing'],
    ['connection-refused.stderr', 'connection-refused', 'UNAVAILABLE', '/tmp/rec/dead-sock'],
    ['user-socket-permission-denied.stderr', 'permission-denied', 'PERMISSION_DENIED', '/run/libvirt/libvirt-admin-sock'],
    ['user-system-dbus.stderr', 'other', 'INTERNAL', undefined],
    ['pool-info-default-missing.stderr', 'not-found', 'NOT_FOUND', undefined],
    ['net-info-missing.stderr', 'not-found', 'NOT_FOUND', undefined],
  ])('classifies this machine\'s %s', async (file, kind, code, socket) => {
    const failure = classifyVirshFailure(await readFixture('libvirt', 'this-machine', file));
    expect(failure).toEqual({ kind, code, ...(socket ? { socket } : {}) });
  });

  it('classifies a polkit refusal as not authorized', async () => {
    expect(classifyVirshFailure(await readFixture('libvirt', 'polkit-not-authorized.stderr'))).toEqual({
      kind: 'not-authorized',
      code: 'PERMISSION_DENIED',
    });
  });

  it.each([
    ["error: operation failed: network 'default' already exists with uuid 616f6092", 'already-exists', 'CONFLICT'],
    ["error: XML error: Invalid value for attribute 'type'", 'invalid', 'INVALID_ARGUMENT'],
    ['error: something else went wrong', 'other', 'INTERNAL'],
    ['', 'other', 'INTERNAL'],
  ])('classifies %j', (stderr, kind, code) => {
    expect(classifyVirshFailure(stderr)).toEqual({ kind, code });
  });

  it('keeps virsh\'s words without the "error:" prefixes', async () => {
    const stderr = await readFixture('libvirt', 'this-machine', 'user-system-dbus.stderr');
    expect(virshErrorText(stderr)).toBe(
      'failed to connect to the hypervisor\ninternal error: Unable to get system bus connection: Could not connect: No such file or directory',
    );
    const error = new VirshError('qemu:///system', ['version', '--daemon'], stderr);
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toBe(
      'virsh version on qemu:///system failed: internal error: Unable to get system bus connection: Could not connect: No such file or directory',
    );
    expect(error.detail).toBe(virshErrorText(stderr));
    expect(error.failure.kind).toBe('other');
  });
});

describe('sections', () => {
  it('takes the worst status of the checks', () => {
    expect(worstStatus([])).toBe('ok');
    expect(worstStatus(['ok', 'warning', 'ok'])).toBe('warning');
    expect(worstStatus(['warning', 'error', 'ok'])).toBe('error');
    const section = makeSection('summary', [{ id: 'a', label: 'A', status: 'warning', summary: 's' }], { x: 1 });
    expect(section).toEqual({ status: 'warning', summary: 'summary', checks: [{ id: 'a', label: 'A', status: 'warning', summary: 's' }], facts: { x: 1 } });
  });
});
