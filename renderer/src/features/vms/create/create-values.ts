// The create wizard's form values (what the inputs hold) turned into the shared create spec, and the spec's zod
// issues and the host's problems (dotted spec paths) turned into messages per form field.
// Never imports node:*, electron or backend code.
import { vmCreateSpecSchema, type VmCreateSpecInput } from '@shared/vm-create-schemas';
import type { VmCreateProblem, VmOsDefaults } from '@shared/vm-create-types';

/** A NumberInput's value: a number, or the text it holds while that is not one. */
type NumberValue = number | string;

export type SourceKind = 'kernel' | 'iso' | 'cloudImage' | 'existingDisk';

export interface CreateValues {
  name: string;
  /** '' is generic. */
  osId: string;
  memoryMiB: NumberValue;
  vcpus: NumberValue;
  firmware: 'bios' | 'uefi';
  diskBus: 'virtio' | 'sata';
  nicModel: 'virtio' | 'e1000e';
  networkKind: 'network' | 'user' | 'none';
  networkName: string;
  graphics: boolean;
  start: boolean;
  sourceKind: SourceKind;
  pool: string;
  diskGiB: NumberValue;
  isoPath: string;
  imageFrom: 'file' | 'url';
  imagePath: string;
  imageUrl: string;
  sha256: string;
  hostname: string;
  user: string;
  password: string;
  /** One public key per line. */
  sshKeys: string;
  /** Package names separated by spaces or commas. */
  packages: string;
  diskPath: string;
  diskMode: 'import' | 'inPlace';
  kernelPath: string;
  initrdPath: string;
  cmdline: string;
  /** Kernel boot: also give the VM a new disk. */
  kernelDisk: boolean;
}

export function initialValues(defaults: VmOsDefaults): CreateValues {
  return {
    name: '',
    osId: '',
    memoryMiB: defaults.memoryMiB,
    vcpus: defaults.vcpus,
    firmware: defaults.firmware,
    diskBus: defaults.diskBus,
    nicModel: defaults.nicModel,
    networkKind: 'network',
    networkName: 'default',
    graphics: true,
    start: true,
    sourceKind: 'iso',
    pool: '',
    diskGiB: defaults.diskGiB,
    isoPath: '',
    imageFrom: 'url',
    imagePath: '',
    imageUrl: '',
    sha256: '',
    hostname: '',
    user: '',
    password: '',
    sshKeys: '',
    packages: '',
    diskPath: '',
    diskMode: 'import',
    kernelPath: '',
    initrdPath: '',
    cmdline: 'console=ttyS0',
    kernelDisk: false,
  };
}

/** The OS's defaults over the current values (what the user chose for the source and names stays). */
export function withOsDefaults(values: CreateValues, defaults: VmOsDefaults): CreateValues {
  return {
    ...values,
    osId: defaults.osId ?? '',
    memoryMiB: defaults.memoryMiB,
    vcpus: defaults.vcpus,
    diskGiB: defaults.diskGiB,
    firmware: defaults.firmware,
    diskBus: defaults.diskBus,
    nicModel: defaults.nicModel,
  };
}

const numberOrText = (value: NumberValue): number | string => (typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value));

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

function sourceOf(values: CreateValues): VmCreateSpecInput['source'] {
  const disk = { pool: values.pool, sizeGiB: numberOrText(values.diskGiB) as number };
  switch (values.sourceKind) {
    case 'iso':
      return { kind: 'iso', isoPath: values.isoPath, disk };
    case 'cloudImage':
      return {
        kind: 'cloudImage',
        image:
          values.imageFrom === 'url'
            ? { from: 'url', url: values.imageUrl, sha256: values.sha256 }
            : { from: 'file', path: values.imagePath, ...(values.sha256.trim() ? { sha256: values.sha256 } : {}) },
        disk,
        cloudInit: {
          hostname: values.hostname,
          user: values.user,
          ...(values.password ? { password: values.password } : {}),
          sshAuthorizedKeys: lines(values.sshKeys),
          packages: values.packages.split(/[\s,]+/).filter(Boolean),
        },
      };
    case 'existingDisk':
      return { kind: 'existingDisk', path: values.diskPath, storage: values.diskMode === 'import' ? { mode: 'import', pool: values.pool } : { mode: 'inPlace' } };
    case 'kernel':
      return {
        kind: 'kernel',
        kernelPath: values.kernelPath,
        ...(values.initrdPath.trim() ? { initrdPath: values.initrdPath } : {}),
        cmdline: values.cmdline,
        ...(values.kernelDisk ? { disk } : {}),
      };
  }
}

export function toSpec(values: CreateValues, uri: string): VmCreateSpecInput {
  return {
    uri,
    name: values.name,
    ...(values.osId ? { osId: values.osId } : {}),
    memoryMiB: numberOrText(values.memoryMiB) as number,
    vcpus: numberOrText(values.vcpus) as number,
    firmware: values.firmware,
    diskBus: values.diskBus,
    nicModel: values.nicModel,
    network: values.networkKind === 'network' ? { kind: 'network', network: values.networkName } : { kind: values.networkKind },
    graphics: values.graphics,
    source: sourceOf(values),
    start: values.start,
  };
}

/** Spec paths (as zod and the backend's check give them) → the form field that holds the value. */
const fieldOfPath: [RegExp, keyof CreateValues][] = [
  [/^name$/, 'name'],
  [/^osId$/, 'osId'],
  [/^memoryMiB$/, 'memoryMiB'],
  [/^vcpus$/, 'vcpus'],
  [/^firmware$/, 'firmware'],
  [/^network\.network$/, 'networkName'],
  [/^source\.isoPath$/, 'isoPath'],
  [/^source\.(disk|storage)\.pool$/, 'pool'],
  [/^source\.disk\.sizeGiB$/, 'diskGiB'],
  [/^source\.image\.path$/, 'imagePath'],
  [/^source\.image\.url$/, 'imageUrl'],
  [/^source\.image\.sha256$/, 'sha256'],
  [/^source\.cloudInit\.hostname$/, 'hostname'],
  [/^source\.cloudInit\.user$/, 'user'],
  [/^source\.cloudInit(\.password)?$/, 'password'],
  [/^source\.cloudInit\.sshAuthorizedKeys/, 'sshKeys'],
  [/^source\.cloudInit\.packages/, 'packages'],
  [/^source\.path$/, 'diskPath'],
  [/^source\.kernelPath$/, 'kernelPath'],
  [/^source\.initrdPath$/, 'initrdPath'],
  [/^source\.cmdline$/, 'cmdline'],
];

export function fieldFor(specPath: string): keyof CreateValues | undefined {
  return fieldOfPath.find(([pattern]) => pattern.test(specPath))?.[1];
}

/** Messages per form field; problems on no field (rare) go under `form`. */
export function errorsOf(problems: VmCreateProblem[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const { field, message } of problems) {
    const key = fieldFor(field) ?? 'form';
    errors[key] ??= message;
  }
  return errors;
}

/** The spec's own rules (the same zod schema the backend applies), as form errors. */
export function validateValues(values: CreateValues, uri: string): Record<string, string> {
  const parsed = vmCreateSpecSchema.safeParse(toSpec(values, uri));
  if (parsed.success) return {};
  return errorsOf(parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })));
}
