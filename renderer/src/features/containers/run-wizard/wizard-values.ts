// The run wizard's form values (what the inputs hold) turned into the run spec, the spec's zod issues turned
// into messages per form field, and whether an image reference is already local. Never imports node:*, electron or backend code.
import { randomId } from '@mantine/hooks';
import { splitCommandLine } from '@shared/docker-run-command';
import { imageIdPattern, runSpecSchema, type RunSpecInput } from '@shared/docker-schemas';
import type { ImageSummary } from '@shared/docker-types';

/** A NumberInput's value: a number, or the text it holds while that is not one (empty: not set). */
type NumberValue = number | string;

export interface KeyValueRow {
  rowId: string;
  key: string;
  value: string;
}

export interface PortRow {
  rowId: string;
  hostIp: string;
  hostPort: NumberValue;
  containerPort: NumberValue;
  protocol: 'tcp' | 'udp' | 'sctp';
}

export interface MountRow {
  rowId: string;
  kind: 'volume' | 'bind';
  source: string;
  target: string;
  readOnly: boolean;
}

export interface WizardValues {
  image: string;
  name: string;
  command: string;
  entrypoint: string;
  workingDir: string;
  user: string;
  env: KeyValueRow[];
  ports: PortRow[];
  mounts: MountRow[];
  network: string;
  restart: 'no' | 'always' | 'unless-stopped' | 'on-failure';
  maxRetries: NumberValue;
  cpus: NumberValue;
  memory: string;
  pidsLimit: NumberValue;
  tty: boolean;
  interactive: boolean;
  autoRemove: boolean;
  labels: KeyValueRow[];
}

export function initialValues(image: string): WizardValues {
  return {
    image,
    name: '',
    command: '',
    entrypoint: '',
    workingDir: '',
    user: '',
    env: [],
    ports: [],
    mounts: [],
    network: '',
    restart: 'no',
    maxRetries: '',
    cpus: '',
    memory: '',
    pidsLimit: '',
    tty: false,
    interactive: false,
    autoRemove: false,
    labels: [],
  };
}

export const newKeyValue = (): KeyValueRow => ({ rowId: randomId(), key: '', value: '' });
export const newPort = (): PortRow => ({ rowId: randomId(), hostIp: '', hostPort: '', containerPort: '', protocol: 'tcp' });
export const newMount = (): MountRow => ({ rowId: randomId(), kind: 'volume', source: '', target: '', readOnly: false });

// Text that is not a number stays NaN, so the schema reports it rather than the wizard dropping it.
function optionalNumber(value: NumberValue): number | undefined {
  if (typeof value === 'number') return value;
  return value.trim() === '' ? undefined : Number(value);
}

const optionalText = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());

/** The spec the values describe, and the messages for command lines that cannot be split. */
export function toSpec(values: WizardValues): { spec: RunSpecInput; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const split = (field: 'command' | 'entrypoint') => {
    if (values[field].trim() === '') return undefined;
    const result = splitCommandLine(values[field]);
    if (result.ok) return result.args;
    errors[field] = result.message;
    return undefined;
  };
  const command = split('command');
  const entrypoint = split('entrypoint');
  const spec: RunSpecInput = {
    image: values.image,
    ...(optionalText(values.name) !== undefined && { name: values.name.trim() }),
    ...(command && { command }),
    ...(entrypoint && { entrypoint }),
    ...(optionalText(values.workingDir) !== undefined && { workingDir: values.workingDir.trim() }),
    ...(optionalText(values.user) !== undefined && { user: values.user.trim() }),
    env: values.env.map(({ key, value }) => ({ key, value })),
    ports: values.ports.map((port) => {
      const hostPort = optionalNumber(port.hostPort);
      return {
        hostIp: port.hostIp.trim(),
        ...(hostPort !== undefined && { hostPort }),
        // When empty the schema itself says the container port is missing, next to the field.
        containerPort: optionalNumber(port.containerPort) as number,
        protocol: port.protocol,
      };
    }),
    mounts: values.mounts.map(({ kind, source, target, readOnly }) => ({ kind, source, target, readOnly })),
    ...(values.network !== '' && { network: values.network }),
    restart: values.restart,
    ...(values.restart === 'on-failure' && optionalNumber(values.maxRetries) !== undefined && { maxRetries: optionalNumber(values.maxRetries) }),
    ...(optionalNumber(values.cpus) !== undefined && { cpus: optionalNumber(values.cpus) }),
    ...(optionalText(values.memory) !== undefined && { memory: values.memory.trim() }),
    ...(optionalNumber(values.pidsLimit) !== undefined && { pidsLimit: optionalNumber(values.pidsLimit) }),
    tty: values.tty,
    interactive: values.interactive,
    autoRemove: values.autoRemove,
    labels: values.labels.map(({ key, value }) => ({ key, value })),
  };
  return { spec, errors };
}

/** Every field's first message, keyed by the form path the schema's issue path names ("ports.0.hostPort"). */
export function validateValues(values: WizardValues): Record<string, string> {
  const { spec, errors } = toSpec(values);
  const checked = runSpecSchema.safeParse(spec);
  for (const issue of checked.error?.issues ?? []) {
    errors[issue.path.join('.')] ??= issue.message;
  }
  return errors;
}

/** The name the engine lists a reference under: Docker Hub's prefixes dropped, latest when there is no tag. */
export function canonicalReference(reference: string): string {
  const trimmed = reference.trim().replace(/^docker\.io\/(library\/)?/, '');
  if (trimmed.includes('@')) return trimmed;
  return trimmed.lastIndexOf(':') > trimmed.lastIndexOf('/') ? trimmed : `${trimmed}:latest`;
}

export function isLocalImage(reference: string, images: ImageSummary[]): boolean {
  const trimmed = reference.trim();
  if (imageIdPattern.test(trimmed)) {
    const hex = trimmed.replace(/^sha256:/, '');
    if (images.some((image) => image.id.replace(/^sha256:/, '').startsWith(hex))) return true;
  }
  const canonical = canonicalReference(trimmed);
  return images.some((image) => image.tags.includes(canonical) || image.digests.includes(canonical));
}
