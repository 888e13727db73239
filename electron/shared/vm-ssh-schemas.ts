// How the user tells Isolab to SSH into a VM's guest (user, port, host, identity file), checked the same way by the
// backend (every call, the settings file) and the dialog (as the user types). Pure TypeScript plus zod; no node:*, DOM or electron.
import { z } from 'zod';

/** A POSIX user name: it cannot start with "-", so ssh never reads it as an option. */
export const sshUserSchema = z
  .string()
  .trim()
  .min(1, { error: 'Type the user to log in as.', abort: true })
  .max(32, 'A user name has at most 32 characters.')
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'Use letters, digits, "_", "." or "-", starting with a letter or "_".');

const hostLabel = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const hostNamePattern = new RegExp(`^${hostLabel}(?:\\.${hostLabel})*$`);
const ipv4Schema = z.ipv4();
const ipv6Schema = z.ipv6();

/** A host name (labels of letters, digits and "-"), an IPv4 address, or an IPv6 address without brackets or zone. */
export function isSshHost(value: string): boolean {
  // All digits and dots is an IPv4 address or nothing: no top-level domain is numeric.
  if (/^[\d.]+$/.test(value)) return ipv4Schema.safeParse(value).success;
  return hostNamePattern.test(value) || ipv6Schema.safeParse(value).success;
}

export const sshHostSchema = z
  .string()
  .trim()
  .min(1, { error: 'Type a host name or address, or leave it empty.', abort: true })
  .max(253, 'A host name has at most 253 characters.')
  .refine(isSshHost, 'Use a host name (such as debian.lan), an IPv4 address or an IPv6 address.');

export const sshPortSchema = z
  .number({ error: 'Type a port number from 1 to 65535.' })
  .int('The port is a whole number.')
  .min(1, 'Ports go from 1 to 65535.')
  .max(65535, 'Ports go from 1 to 65535.');

/**
 * The private key file: an absolute path of plain characters, since ssh expands "%" and "~" in it and the path ends
 * up on the command line the lab shows.
 */
export const sshIdentityFileSchema = z
  .string()
  .trim()
  .max(1024, 'A path has at most 1024 characters.')
  .regex(/^\//, { error: 'Give the full path, starting with "/".', abort: true })
  .regex(/^[A-Za-z0-9_.@+/-]+$/, 'Use a path of letters, digits and _ . @ + - / only.')
  .refine((value) => !value.split('/').includes('..'), 'Give the path without "..".')
  .refine((value) => !value.endsWith('.pub'), 'Choose the private key (the file without .pub).');

/** What the user gives; `port` defaults to 22, and without `host` the VM's first IPv4 address from libvirt is used. */
export const vmSshInputSchema = z.strictObject({
  user: sshUserSchema,
  port: sshPortSchema.default(22),
  host: sshHostSchema.optional(),
  identityFile: sshIdentityFileSchema.optional(),
});

/** What is saved for a VM (in the settings file, keyed by vmSshKey). */
export const vmSshConfigSchema = z.strictObject({
  user: sshUserSchema,
  port: sshPortSchema,
  host: sshHostSchema.optional(),
  identityFile: sshIdentityFileSchema.optional(),
});

export type VmSshInput = z.input<typeof vmSshInputSchema>;
export type VmSshConfig = z.output<typeof vmSshConfigSchema>;

/** The settings key of a VM's SSH configuration: its connection URI (which has no spaces) and its name. */
export function vmSshKey(vm: { uri: string; name: string }): string {
  return `${vm.uri} ${vm.name}`;
}
