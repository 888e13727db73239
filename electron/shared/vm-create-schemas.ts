// The create wizard's spec as zod schemas: name, resources, firmware, network, graphics and the four sources
// (ISO, cloud image + cloud-init, existing disk, kernel boot), with the message a user sees next to each field.
// Shared by the backend (checks every call) and the wizard (checks as the user types). Pure TypeScript plus zod.
import { z } from 'zod';
import { existingNameSchema, newVmNameSchema, connectionUriSchema } from './vm-schemas';
import { hostPathSchema } from './storage-schemas';
import type { VmOsDefaults } from './vm-create-types';

/** libosinfo short ids: debian11, win11, ubuntu22.04, rhel9.2… */
export const osIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'Not an operating system id such as debian11 or win11.');

export const memoryMiBSchema = z
  .number({ error: 'Give the memory in MiB.' })
  .int('Use a whole number of MiB.')
  .min(64, 'Give the VM at least 64 MiB of memory.')
  .max(16 * 1024 * 1024, 'At most 16 TiB.');

export const vcpusSchema = z.number({ error: 'Give a number of vCPUs.' }).int('Use a whole number.').min(1, 'Give at least 1 vCPU.').max(512, 'At most 512 vCPUs.');

export const diskGiBSchema = z
  .number({ error: 'Give the disk size in GiB.' })
  .int('Use a whole number of GiB.')
  .min(1, 'Give the disk at least 1 GiB.')
  .max(65536, 'At most 65536 GiB (64 TiB).');

/** A new volume for the VM's system disk, in a pool of the same connection. */
export const newDiskSchema = z.strictObject({ pool: existingNameSchema, sizeGiB: diskGiBSchema });

export const sha256Schema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{64}$/, 'A SHA-256 checksum is 64 hexadecimal digits.');

export const imageUrlSchema = z
  .url({ protocol: /^https?$/, error: 'Use an http:// or https:// URL.' })
  .max(4096, 'A URL has at most 4096 characters.');

const hostnameSchema = z
  .string()
  .trim()
  .min(1, 'Give the guest a host name.')
  .max(63, 'A host name has at most 63 characters.')
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/, 'Use letters, digits and "-", not at the start or end.');

const userNameSchema = z
  .string()
  .trim()
  .min(1, 'Give a user name.')
  .max(32, 'A user name has at most 32 characters.')
  .regex(/^[a-z_][a-z0-9_-]*$/, 'Use lower-case letters, digits, "_" and "-", starting with a letter or "_".');

const sshKeySchema = z
  .string()
  .trim()
  .max(16384, 'That key is too long.')
  .regex(/^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/=]+( [^\n\r]*)?$/, 'Paste one public key per line, such as "ssh-ed25519 AAAA… user@host".');

const packageNameSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9+.:_-]{0,127}$/, 'Not a package name: use names such as qemu-guest-agent.');

/** What the NoCloud seed tells cloud-init: host name, one user who may log in, packages to install. */
export const cloudInitSchema = z
  .strictObject({
    hostname: hostnameSchema,
    user: userNameSchema,
    /** Plain text: hashed (SHA-512 crypt) by the backend; only the hash goes into the seed. */
    password: z
      .string()
      .max(256, 'Use at most 256 characters.')
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here.
      .regex(/^[^\u0000-\u001f\u007f]*$/, 'A password cannot contain control characters or line breaks.')
      .optional(),
    sshAuthorizedKeys: z.array(sshKeySchema).max(32, 'At most 32 keys.').default([]),
    packages: z.array(packageNameSchema).max(200, 'At most 200 packages.').default([]),
  })
  .refine((value) => (value.password ?? '') !== '' || value.sshAuthorizedKeys.length > 0, {
    message: 'Give a password or an SSH key, or nobody can log in.',
    path: ['password'],
  });

export const cloudImageSchema = z.discriminatedUnion('from', [
  z.strictObject({ from: z.literal('file'), path: hostPathSchema, sha256: sha256Schema.optional() }),
  z.strictObject({ from: z.literal('url'), url: imageUrlSchema, sha256: sha256Schema }),
]);

const kernelCmdlineSchema = z
  .string()
  .max(4096, 'A kernel command line has at most 4096 characters.')
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here.
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'A kernel command line is one line without control characters.');

export const vmSourceSchema = z.discriminatedUnion('kind', [
  /** An installer ISO on a CD-ROM, a new empty disk; boots from the CD-ROM first. */
  z.strictObject({ kind: z.literal('iso'), isoPath: hostPathSchema, disk: newDiskSchema }),
  /** A cloud image copied into a new volume (grown to the disk size), plus a cloud-init NoCloud seed. */
  z.strictObject({ kind: z.literal('cloudImage'), image: cloudImageSchema, disk: newDiskSchema, cloudInit: cloudInitSchema }),
  /** A disk image that already has a system: copied into a pool ('import'), or used where it is ('inPlace'). */
  z.strictObject({
    kind: z.literal('existingDisk'),
    path: hostPathSchema,
    storage: z.discriminatedUnion('mode', [
      z.strictObject({ mode: z.literal('import'), pool: existingNameSchema }),
      z.strictObject({ mode: z.literal('inPlace') }),
    ]),
  }),
  /** Direct kernel boot: QEMU loads the kernel and initrd itself; an optional new disk. */
  z.strictObject({
    kind: z.literal('kernel'),
    kernelPath: hostPathSchema,
    initrdPath: hostPathSchema.optional(),
    cmdline: kernelCmdlineSchema.default('console=ttyS0'),
    disk: newDiskSchema.optional(),
  }),
]);

export const vmNetworkChoiceSchema = z.discriminatedUnion('kind', [
  /** A libvirt virtual network, such as `default` (NAT). */
  z.strictObject({ kind: z.literal('network'), network: existingNameSchema }),
  /** QEMU's user-mode networking (SLIRP): outgoing only, no setup on the host. */
  z.strictObject({ kind: z.literal('user') }),
  z.strictObject({ kind: z.literal('none') }),
]);

export const vmCreateSpecSchema = z.strictObject({
  uri: connectionUriSchema,
  name: newVmNameSchema,
  /** libosinfo short id, written into the domain's metadata as virt-install does; absent: generic. */
  osId: osIdSchema.optional(),
  memoryMiB: memoryMiBSchema,
  vcpus: vcpusSchema,
  firmware: z.enum(['bios', 'uefi']).default('bios'),
  /** virtio unless the OS lacks its drivers (older Windows): then sata disks and an e1000e NIC. */
  diskBus: z.enum(['virtio', 'sata']).default('virtio'),
  nicModel: z.enum(['virtio', 'e1000e']).default('virtio'),
  network: vmNetworkChoiceSchema.default({ kind: 'network', network: 'default' }),
  /** A VNC display (127.0.0.1 only) and a video card: needed by installers with a graphical screen. */
  graphics: z.boolean().default(true),
  source: vmSourceSchema,
  /** Start the VM once it is defined (a failed start removes everything, like any failed step). */
  start: z.boolean().default(true),
});

export type VmCreateSpecInput = z.input<typeof vmCreateSpecSchema>;
export type VmCreateSpec = z.output<typeof vmCreateSpecSchema>;
export type VmSource = VmCreateSpec['source'];
export type VmSourceKind = VmSource['kind'];
export type CloudInitSpec = z.output<typeof cloudInitSchema>;

/** Generic defaults (no OS chosen, or no osinfo-db): enough for a modern Linux installer. */
export const genericOsDefaults: VmOsDefaults = {
  memoryMiB: 2048,
  vcpus: 2,
  diskGiB: 20,
  firmware: 'bios',
  diskBus: 'virtio',
  nicModel: 'virtio',
  from: 'builtin',
};
