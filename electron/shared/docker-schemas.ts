// Argument schemas for the Docker methods: names, image references, sizes and the run wizard's spec, with
// the message a user sees next to the field. Shared by the backend (checks every call) and the wizard (checks
// as the user types). Pure TypeScript plus zod; no node:*, DOM or electron.
import { z } from 'zod';

/** Docker's own rule for container names (daemon/names: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`). */
export const containerNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

const nameComponent = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domain = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
/** distribution/reference's grammar: [domain/]path[:tag][@digest]. */
export const imageReferencePattern = new RegExp(`^(?:${domain}/)?${nameComponent}(?:/${nameComponent})*(?::${tag})?(?:@${digest})?$`);
/** A local image id, full or short: sha256:<hex> or <hex>. */
export const imageIdPattern = /^(?:sha256:)?[0-9a-f]{12,64}$/;

const maxReferenceLength = 255;

export const containerNameSchema = z
  .string()
  .regex(containerNamePattern, 'Use at least 2 characters: letters, digits, "_", "." or "-", starting with a letter or digit.')
  .max(253, 'Use at most 253 characters.');

export const imageReferenceSchema = z
  .string()
  .trim()
  .min(1, 'Choose an image or type a reference such as alpine:3.20.')
  .max(maxReferenceLength, `An image reference has at most ${maxReferenceLength} characters.`)
  .refine(
    (value) => imageReferencePattern.test(value) || imageIdPattern.test(value),
    'Not an image reference: use lowercase [registry/]name[:tag][@sha256:digest], for example alpine:3.20.',
  );

// Hex ids also fit the name grammar ("sha256" as a name, the hex as its tag), so they are refused by shape.
const imageIdLike = /^sha256:[0-9a-f]+$|^[0-9a-f]{64}$/;

/** A reference that names something to pull: an image id cannot be pulled. */
export const pullReferenceSchema = imageReferenceSchema.refine(
  (value) => imageReferencePattern.test(value) && !imageIdLike.test(value),
  'An image id cannot be pulled: type a reference such as alpine:3.20.',
);

const byteUnits: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Docker's size syntax (`--memory 512m`): a number with an optional b, k, m, g or t unit (binary). */
export function parseByteSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([bkmgt]?)(?:i?b)?$/i.exec(text.trim());
  if (!match?.[1]) return undefined;
  const bytes = Number(match[1]) * (byteUnits[(match[2] ?? '').toLowerCase()] ?? 1);
  return Number.isSafeInteger(Math.round(bytes)) ? Math.round(bytes) : undefined;
}

export const byteSizeSchema = z
  .string()
  .trim()
  .refine((value) => parseByteSize(value) !== undefined, 'Use a size such as 512m or 2g (units b, k, m, g, t).');

const portNumber = (what: string) =>
  z.number({ error: `Type the ${what} as a number.` }).int(`The ${what} is a whole number.`).min(1, `The ${what} is 1 to 65535.`).max(65535, `The ${what} is 1 to 65535.`);

const keyValue = z.strictObject({
  key: z.string().min(1, 'Type a name.').regex(/^[^=\s]+$/, 'A name has no "=" and no spaces.'),
  value: z.string(),
});

export const portSpecSchema = z.strictObject({
  /** Empty: every address (0.0.0.0 and ::). */
  hostIp: z.union([z.literal(''), z.ipv4(), z.ipv6()], { error: 'Use an IP address such as 127.0.0.1.' }).default(''),
  /** Absent: the engine picks a free port. */
  hostPort: portNumber('host port').optional(),
  containerPort: portNumber('container port'),
  protocol: z.enum(['tcp', 'udp', 'sctp']).default('tcp'),
});

export const mountSpecSchema = z
  .strictObject({
    kind: z.enum(['volume', 'bind']),
    /** A volume name, or an absolute host path for a bind. */
    source: z.string().trim().min(1, 'Type a volume name or a host path.'),
    target: z.string().trim().startsWith('/', 'The path inside the container is absolute (starts with /).'),
    readOnly: z.boolean().default(false),
  })
  .superRefine((mount, context) => {
    if (mount.kind === 'bind' && !mount.source.startsWith('/')) {
      context.addIssue({ code: 'custom', path: ['source'], message: 'A bind mount needs an absolute host path (starts with /).' });
    }
    if (mount.kind === 'volume' && !containerNamePattern.test(mount.source)) {
      context.addIssue({ code: 'custom', path: ['source'], message: 'A volume name uses letters, digits, "_", "." or "-" (2 characters or more).' });
    }
  });

export const restartPolicySchema = z.enum(['no', 'always', 'unless-stopped', 'on-failure']);

/** Everything the run wizard can set; what `docker run` would take. */
export const runSpecSchema = z
  .strictObject({
    image: imageReferenceSchema,
    /** Absent: the engine makes up a name. */
    name: containerNameSchema.optional(),
    /** Replaces the image's CMD; an argument array (the wizard splits what the user typed like a shell). */
    command: z.array(z.string()).optional(),
    /** Replaces the image's ENTRYPOINT. */
    entrypoint: z.array(z.string()).optional(),
    workingDir: z.string().startsWith('/', 'The working directory is an absolute path.').optional(),
    user: z.string().regex(/^[\w.-]+(?::[\w.-]+)?$/, 'Use user, uid, user:group or uid:gid.').optional(),
    env: z.array(keyValue).default([]),
    ports: z.array(portSpecSchema).default([]),
    mounts: z.array(mountSpecSchema).default([]),
    /** A network name; absent: the engine's default bridge. */
    network: z.string().min(1).optional(),
    restart: restartPolicySchema.default('no'),
    /** For on-failure: how many restarts at most (0 = no limit). */
    maxRetries: z.number().int().min(0).max(1000).optional(),
    /** CPUs as a fraction, like --cpus 1.5. */
    cpus: z.number({ error: 'Type a number of CPUs such as 0.5 or 2.' }).positive('Give more than 0 CPUs.').max(1024).optional(),
    /** Like --memory 512m. */
    memory: byteSizeSchema.optional(),
    pidsLimit: z.number().int('A whole number.').min(1, 'At least 1 process.').optional(),
    tty: z.boolean().default(false),
    interactive: z.boolean().default(false),
    autoRemove: z.boolean().default(false),
    labels: z.array(keyValue).default([]),
  })
  .superRefine((spec, context) => {
    const seen = new Map<string, number>();
    spec.ports.forEach((port, index) => {
      if (port.hostPort === undefined) return;
      const wildcard = port.hostIp === '' || port.hostIp === '0.0.0.0' || port.hostIp === '::';
      for (const [key, other] of seen) {
        const [otherIp, otherPort, otherProtocol] = key.split('|');
        const otherWildcard = otherIp === '' || otherIp === '0.0.0.0' || otherIp === '::';
        const sameAddress = wildcard || otherWildcard || otherIp === port.hostIp;
        if (sameAddress && Number(otherPort) === port.hostPort && otherProtocol === port.protocol) {
          context.addIssue({
            code: 'custom',
            path: ['ports', index, 'hostPort'],
            message: `Host port ${port.hostPort}/${port.protocol} is already published by port row ${other + 1}.`,
          });
          return;
        }
      }
      seen.set(`${port.hostIp}|${port.hostPort}|${port.protocol}`, index);
    });
    const targets = new Map<string, number>();
    spec.mounts.forEach((mount, index) => {
      const earlier = targets.get(mount.target);
      if (earlier !== undefined) {
        context.addIssue({ code: 'custom', path: ['mounts', index, 'target'], message: `${mount.target} is already mounted by mount row ${earlier + 1}.` });
      }
      targets.set(mount.target, index);
    });
    if (spec.autoRemove && spec.restart !== 'no') {
      context.addIssue({ code: 'custom', path: ['restart'], message: 'A container removed when it exits cannot also be restarted: choose "no" or turn off auto-remove.' });
    }
    if (spec.maxRetries !== undefined && spec.restart !== 'on-failure') {
      context.addIssue({ code: 'custom', path: ['maxRetries'], message: 'A restart count applies only to the on-failure policy.' });
    }
  });

export type RunSpec = z.output<typeof runSpecSchema>;
export type RunSpecInput = z.input<typeof runSpecSchema>;

export const containerIdSchema = z.string().min(1, 'Which container?').max(256).regex(/^[\w.-]+$/, 'Not a container id or name.');
export const imageIdOrReferenceSchema = z.union([imageReferenceSchema, z.string().regex(imageIdPattern)]);

const objectName = (what: string) =>
  z.string().regex(containerNamePattern, `A ${what} name uses letters, digits, "_", "." or "-" (2 characters or more), starting with a letter or digit.`);
export const volumeNameSchema = objectName('volume');
export const networkNameSchema = objectName('network');
