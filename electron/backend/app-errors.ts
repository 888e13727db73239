// Turns anything thrown in the backend (Node errno errors, timeouts, plain Errors) into an AppError.
// Plain Node; never imports electron or the renderer.
import { AppError, isAppError, type ErrorCode } from '@shared/errors';

const errnoCodes: Record<string, { code: ErrorCode; what: string }> = {
  ECONNREFUSED: { code: 'UNAVAILABLE', what: 'nothing is listening there' },
  ECONNRESET: { code: 'UNAVAILABLE', what: 'the connection was closed by the other side' },
  EPIPE: { code: 'UNAVAILABLE', what: 'the connection was closed by the other side' },
  EHOSTUNREACH: { code: 'UNAVAILABLE', what: 'the host cannot be reached' },
  ENOTFOUND: { code: 'UNAVAILABLE', what: 'the host name does not resolve' },
  ENOENT: { code: 'NOT_FOUND', what: 'no such file or socket' },
  EACCES: { code: 'PERMISSION_DENIED', what: 'permission denied' },
  EPERM: { code: 'PERMISSION_DENIED', what: 'operation not permitted' },
  ETIMEDOUT: { code: 'TIMEOUT', what: 'the operation timed out' },
  EEXIST: { code: 'CONFLICT', what: 'it already exists' },
};

export function errnoOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `context` says what was being done, e.g. "reading /proc/cpuinfo"; it starts the message. */
export function toAppError(error: unknown, context?: string): AppError {
  if (isAppError(error)) return error;
  const errno = errnoOf(error);
  const known = errno === undefined ? undefined : errnoCodes[errno];
  const detail = messageOf(error);
  if (known) {
    return new AppError(known.code, context ? `${context}: ${known.what}` : known.what, { detail, cause: error });
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return new AppError('UNAVAILABLE', context ? `${context}: cancelled` : 'cancelled', { detail, cause: error });
  }
  return new AppError('INTERNAL', context ? `${context}: unexpected error` : 'Unexpected error in the Isolab backend', {
    detail,
    cause: error,
    fix: { text: 'This is a bug in Isolab. Please report it with the details shown here.' },
  });
}
