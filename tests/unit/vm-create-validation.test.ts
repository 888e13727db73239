// The create spec's rules as the wizard and the backend apply them (names, memory, paths, URLs, checksums,
// cloud-init) and the wizard's form values turned into the spec, with problems mapped back to their fields.
import { describe, expect, it } from 'vitest';
import { newPoolNameSchema, hostPathSchema } from '@shared/storage-schemas';
import { genericOsDefaults, vmCreateSpecSchema, type VmCreateSpecInput } from '@shared/vm-create-schemas';
import { errorsOf, initialValues, toSpec, validateValues, withOsDefaults, type CreateValues } from '../../renderer/src/features/vms/create/create-values';

const valid: VmCreateSpecInput = {
  uri: 'qemu:///system',
  name: 'vm-1',
  memoryMiB: 512,
  vcpus: 1,
  source: { kind: 'kernel', kernelPath: '/boot/vmlinuz' },
};

function issues(spec: VmCreateSpecInput): string[] {
  const parsed = vmCreateSpecSchema.safeParse(spec);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('vmCreateSpecSchema', () => {
  it('accepts a minimal spec and fills the defaults', () => {
    expect(vmCreateSpecSchema.parse(valid)).toMatchObject({ firmware: 'bios', diskBus: 'virtio', nicModel: 'virtio', network: { kind: 'network', network: 'default' }, graphics: true, start: true, source: { cmdline: 'console=ttyS0' } });
  });

  it.each(['a<b', 'a>b', 'a&b', "a'b", 'a"b', 'a;b', 'a|b', 'a$b', 'a`b', 'a b', '-a', '.a', 'a/b', '', 'x'.repeat(65)])('refuses the name %j', (name) => {
    expect(issues({ ...valid, name })[0]).toMatch(/^name: /);
  });

  it('refuses memory 0, fractions and absurd sizes, and vCPUs 0', () => {
    expect(issues({ ...valid, memoryMiB: 0 })).toEqual(['memoryMiB: Give the VM at least 64 MiB of memory.']);
    expect(issues({ ...valid, memoryMiB: 1.5 })).toEqual(['memoryMiB: Use a whole number of MiB.']);
    expect(issues({ ...valid, vcpus: 0 })).toEqual(['vcpus: Give at least 1 vCPU.']);
  });

  it('refuses relative paths, ".." steps and control characters', () => {
    expect(hostPathSchema.safeParse('boot/vmlinuz').success).toBe(false);
    expect(hostPathSchema.safeParse('/pool/../etc/shadow').success).toBe(false);
    expect(hostPathSchema.safeParse('/a\nb').success).toBe(false);
    expect(hostPathSchema.safeParse('/srv/my images/a.qcow2').success).toBe(true);
    expect(newPoolNameSchema.safeParse('my pool').success).toBe(false);
  });

  it('needs an http(s) URL and a SHA-256 for downloads; lowercases the checksum', () => {
    const cloud = (image: object): VmCreateSpecInput => ({ ...valid, source: { kind: 'cloudImage', image: image as never, disk: { pool: 'default', sizeGiB: 10 }, cloudInit: { hostname: 'h', user: 'u', password: 'p' } } });
    expect(issues(cloud({ from: 'url', url: 'ftp://example.org/a.qcow2', sha256: 'a'.repeat(64) }))).toEqual(['source.image.url: Use an http:// or https:// URL.']);
    expect(issues(cloud({ from: 'url', url: 'https://example.org/a.qcow2' }))[0]).toMatch(/^source.image.sha256: /);
    expect(issues(cloud({ from: 'url', url: 'https://example.org/a.qcow2', sha256: 'abc' }))).toEqual(['source.image.sha256: A SHA-256 checksum is 64 hexadecimal digits.']);
    const parsed = vmCreateSpecSchema.parse(cloud({ from: 'url', url: 'https://example.org/a.qcow2', sha256: 'AB'.repeat(32) }));
    expect(parsed.source.kind === 'cloudImage' && parsed.source.image.sha256).toBe('ab'.repeat(32));
  });

  it('needs a password or an SSH key, and refuses line breaks in the password and broken keys', () => {
    const cloudInit = (extra: object): VmCreateSpecInput => ({ ...valid, source: { kind: 'cloudImage', image: { from: 'file', path: '/a.qcow2' }, disk: { pool: 'default', sizeGiB: 10 }, cloudInit: { hostname: 'h', user: 'u', ...extra } } });
    expect(issues(cloudInit({}))).toEqual(['source.cloudInit.password: Give a password or an SSH key, or nobody can log in.']);
    expect(issues(cloudInit({ password: 'a\nb' }))[0]).toMatch(/^source.cloudInit.password: A password cannot contain/);
    expect(issues(cloudInit({ sshAuthorizedKeys: ['not a key'] }))[0]).toMatch(/^source.cloudInit.sshAuthorizedKeys.0: /);
    expect(issues(cloudInit({ sshAuthorizedKeys: ['ssh-ed25519 AAAAC3Nza me@laptop'] }))).toEqual([]);
  });
});

describe('the wizard form', () => {
  const filled: CreateValues = { ...initialValues(genericOsDefaults), name: 'vm-1', sourceKind: 'kernel', kernelPath: '/boot/vmlinuz', networkKind: 'none' };

  it('turns the values into the spec', () => {
    expect(toSpec(filled, 'qemu:///system')).toEqual({
      uri: 'qemu:///system',
      name: 'vm-1',
      memoryMiB: 2048,
      vcpus: 2,
      firmware: 'bios',
      diskBus: 'virtio',
      nicModel: 'virtio',
      network: { kind: 'none' },
      graphics: true,
      source: { kind: 'kernel', kernelPath: '/boot/vmlinuz', cmdline: 'console=ttyS0' },
      start: true,
    });
    const cloud = toSpec({ ...filled, sourceKind: 'cloudImage', pool: 'default', imageFrom: 'file', imagePath: '/a.qcow2', hostname: 'h', user: 'u', sshKeys: 'ssh-ed25519 A a\n\n ssh-rsa B b ', packages: 'htop, git  vim' }, 'qemu:///system');
    expect(cloud.source).toEqual({ kind: 'cloudImage', image: { from: 'file', path: '/a.qcow2' }, disk: { pool: 'default', sizeGiB: 20 }, cloudInit: { hostname: 'h', user: 'u', sshAuthorizedKeys: ['ssh-ed25519 A a', 'ssh-rsa B b'], packages: ['htop', 'git', 'vim'] } });
  });

  it('puts each message next to its field, from zod and from the host check', () => {
    expect(validateValues({ ...filled, name: 'a<b', memoryMiB: '', kernelPath: 'vmlinuz' }, 'qemu:///system')).toEqual({
      name: 'Use letters, digits, ".", "_", "+" or "-", starting with a letter or digit.',
      memoryMiB: 'Give the memory in MiB.',
      kernelPath: 'Use an absolute path, starting with "/".',
    });
    expect(errorsOf([{ field: 'source.disk.sizeGiB', message: 'too big' }, { field: 'source.storage.pool', message: 'no pool' }, { field: 'elsewhere', message: 'other' }])).toEqual({ diskGiB: 'too big', pool: 'no pool', form: 'other' });
  });

  it('takes an OS\'s defaults but keeps the name and source', () => {
    const changed = withOsDefaults(filled, { osId: 'win11', memoryMiB: 4096, vcpus: 2, diskGiB: 64, firmware: 'uefi', diskBus: 'sata', nicModel: 'e1000e', from: 'osinfo' });
    expect(changed).toMatchObject({ name: 'vm-1', kernelPath: '/boot/vmlinuz', osId: 'win11', memoryMiB: 4096, firmware: 'uefi', diskBus: 'sata' });
  });
});
