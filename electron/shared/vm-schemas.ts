// Argument schemas for the VM methods: libvirt connection URIs, domain, snapshot and network names, with the
// message a user sees next to the field. Shared by the backend (checks every call) and the dialogs (check as the
// user types). Pure TypeScript plus zod; no node:*, DOM or electron.
import { z } from 'zod';

export const localUris = ['qemu:///system', 'qemu:///session'] as const;

const hostPart = String.raw`(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])`;
const userPart = '[A-Za-z_][A-Za-z0-9_.-]{0,31}';
// Only the ssh transport's harmless options: others (command, netcat, socket) choose what runs on the remote host.
const queryPart = String.raw`(?:\?(?:keyfile=/[A-Za-z0-9_./-]+|no_verify=[01]|no_tty=[01])(?:&(?:keyfile=/[A-Za-z0-9_./-]+|no_verify=[01]|no_tty=[01]))*)?`;

/** qemu+ssh://[user@]host[:port]/system (or /session), with only the ssh options that cannot run commands. */
export const remoteUriPattern = new RegExp(`^qemu\\+ssh://(?:${userPart}@)?${hostPart}(?::\\d{1,5})?/(?:system|session)${queryPart}$`);

export const remoteUriSchema = z
  .string()
  .trim()
  .max(512, 'A connection URI has at most 512 characters.')
  .regex(remoteUriPattern, 'Use a URI such as qemu+ssh://user@host/system (options: keyfile, no_verify, no_tty).');

export const connectionUriSchema = z
  .string()
  .max(512, 'A connection URI has at most 512 characters.')
  .refine(
    (value) => (localUris as readonly string[]).includes(value) || remoteUriPattern.test(value),
    'Use qemu:///system, qemu:///session or a remote URI such as qemu+ssh://user@host/system.',
  );

/**
 * A name for something Isolab creates (a clone, a snapshot): letters, digits and . _ + -, starting with a letter
 * or digit. Stricter than libvirt, so the name is safe in file names, XML and any command line it ends up in.
 */
export const newObjectNamePattern = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

export const newVmNameSchema = z
  .string()
  .trim()
  .min(1, 'Give it a name.')
  .max(64, 'Use at most 64 characters.')
  .regex(newObjectNamePattern, 'Use letters, digits, ".", "_", "+" or "-", starting with a letter or digit.');

export const snapshotNameSchema = newVmNameSchema;

/**
 * The name of an existing domain or network: libvirt allows nearly anything (made elsewhere), except "/" and
 * control characters. A leading "-" would read as a virsh option, and libvirt never makes such names anyway.
 */
export const existingNameSchema = z
  .string()
  .min(1, 'A name is required.')
  .max(255, 'A libvirt name has at most 255 characters.')
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here.
  .regex(/^[^/\u0000-\u001f\u007f-][^/\u0000-\u001f\u007f]*$/, 'Not a libvirt name: it has a "/", a control character or starts with "-".');

export const domainRefSchema = z.strictObject({ uri: connectionUriSchema, name: existingNameSchema });

/** Guest device names as libvirt writes them (vda, sdb, hdc, fda). */
export const diskTargetSchema = z.string().regex(/^[a-z]{2,4}[a-z0-9]{0,8}$/, 'Not a disk target such as vda or sdb.');
