// Runs `virsh --connect URI ...` with an argument array, LC_ALL=C and a timeout, and maps its failures to
// AppError codes with virsh's own words kept as the detail. Plain Node; never imports electron.
import { AppError, type ErrorCode } from '@shared/errors';
import type { CommandRunner } from '../exec';

export type VirshFailureKind =
  | 'daemon-not-running'
  | 'connection-refused'
  | 'permission-denied'
  | 'not-authorized'
  | 'not-found'
  | 'already-exists'
  | 'wrong-state'
  | 'invalid'
  | 'other';

export interface VirshFailure {
  kind: VirshFailureKind;
  code: ErrorCode;
  /** The daemon socket virsh tried, when it says so. */
  socket?: string;
}

const patterns: { pattern: RegExp; kind: VirshFailureKind; code: ErrorCode }[] = [
  { pattern: /Failed to connect socket to '[^']+': No such file or directory/, kind: 'daemon-not-running', code: 'UNAVAILABLE' },
  { pattern: /Failed to connect socket to '[^']+': Connection refused/, kind: 'connection-refused', code: 'UNAVAILABLE' },
  { pattern: /Permission denied/i, kind: 'permission-denied', code: 'PERMISSION_DENIED' },
  { pattern: /authentication unavailable|not authorized|polkit/i, kind: 'not-authorized', code: 'PERMISSION_DENIED' },
  { pattern: /not found|no (domain|network|storage pool|storage vol)\w* with matching/i, kind: 'not-found', code: 'NOT_FOUND' },
  // virsh's own lookup by name says only this (libvirt's "Domain not found" is not printed with it).
  { pattern: /failed to get (domain|network|pool|vol)\b/i, kind: 'not-found', code: 'NOT_FOUND' },
  { pattern: /already exists/i, kind: 'already-exists', code: 'CONFLICT' },
  { pattern: /Requested operation is not valid|domain is already running|domain is not running/i, kind: 'wrong-state', code: 'CONFLICT' },
  { pattern: /XML error|invalid argument|unsupported configuration/i, kind: 'invalid', code: 'INVALID_ARGUMENT' },
];

export function classifyVirshFailure(stderr: string): VirshFailure {
  const socket = /Failed to connect socket to '([^']+)'/.exec(stderr)?.[1];
  const match = patterns.find(({ pattern }) => pattern.test(stderr));
  return {
    kind: match?.kind ?? 'other',
    code: match?.code ?? 'INTERNAL',
    ...(socket ? { socket } : {}),
  };
}

/** virsh prints "error: ..." lines; keep them without the prefix. */
export function virshErrorText(stderr: string): string {
  return stderr
    .split('\n')
    .map((line) => line.replace(/^error:\s*/, '').trim())
    .filter(Boolean)
    .join('\n');
}

export class VirshError extends AppError {
  readonly failure: VirshFailure;

  constructor(uri: string, args: readonly string[], stderr: string) {
    const failure = classifyVirshFailure(stderr);
    const text = virshErrorText(stderr);
    super(failure.code, `virsh ${args[0] ?? ''} on ${uri} failed: ${text.split('\n').at(-1) ?? 'no reason given'}`, {
      detail: text,
    });
    this.failure = failure;
  }
}

export interface VirshOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface Virsh {
  /** virsh's standard output; throws VirshError on a non-zero exit, AppError when virsh cannot run. */
  run(uri: string, args: readonly string[], options?: Partial<VirshOptions>): Promise<string>;
  /** `virsh --version`. */
  version(options?: Partial<VirshOptions>): Promise<string>;
}

export function createVirsh(run: CommandRunner, defaults: VirshOptions, env: NodeJS.ProcessEnv = process.env): Virsh {
  const options = (given: Partial<VirshOptions> = {}) => {
    const signal = given.signal ?? defaults.signal;
    return { timeoutMs: given.timeoutMs ?? defaults.timeoutMs, env, ...(signal ? { signal } : {}) };
  };
  return {
    async run(uri, args, given) {
      const result = await run('virsh', ['--quiet', '--connect', uri, ...args], options(given));
      if (result.exitCode !== 0) throw new VirshError(uri, args, result.stderr);
      return result.stdout;
    },
    async version(given) {
      const result = await run('virsh', ['--version'], options(given));
      return result.stdout.trim();
    },
  };
}
