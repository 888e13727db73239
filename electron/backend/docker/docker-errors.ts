// Turns what dockerode throws (HTTP status + the engine's message, or a socket errno) into an AppError whose
// message says what was being done and whose detail keeps the engine's own words. Never imports electron.
import { AppError, isAppError, type ErrorCode, type Fix } from '@shared/errors';
import { errnoOf, messageOf, toAppError } from '../app-errors';

interface DockerodeError {
  statusCode?: number;
  reason?: string;
  json?: { message?: string } | null;
}

function dockerodeError(error: unknown): DockerodeError | undefined {
  if (typeof error !== 'object' || error === null || !('statusCode' in error)) return undefined;
  return error as DockerodeError;
}

// A stream request's error (pull, logs) has no parsed json: the engine's text is only in the message,
// after "(HTTP code 500) server error - ".
const wrappedMessage = /^\(HTTP code \d+\) [^]*? - ([^]*)$/;

/** The engine's own message ("No such container: web"), without dockerode's "(HTTP code 404) …" wrapping. */
export function engineMessage(error: unknown): string {
  const known = dockerodeError(error);
  const unwrapped = known ? wrappedMessage.exec(messageOf(error))?.[1]?.trim() : undefined;
  const text = known?.json?.message ?? (unwrapped || undefined) ?? known?.reason ?? messageOf(error);
  return text.trim();
}

const statusCodes: Record<number, ErrorCode> = {
  400: 'INVALID_ARGUMENT',
  401: 'PERMISSION_DENIED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
};

// A 500 whose text names a clash over a resource is a conflict the user can resolve.
const conflictTexts = [/port is already allocated/i, /address already in use/i, /already in use by container/i, /is already in use/i];

/** The HTTP status of a Docker API error, when it is one. */
export function dockerStatus(error: unknown): number | undefined {
  return dockerodeError(error)?.statusCode;
}

/** Socket errnos that mean the engine went away (stopped, restarted, socket removed). */
export const socketGone: ReadonlySet<string> = new Set(['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTCONN']);

/**
 * `action` starts the message ("Starting container web"); the engine's message follows it, so the user
 * reads what failed and why in one line. `fix` is added when the caller knows one.
 */
export function dockerError(error: unknown, action: string, fix?: Fix): AppError {
  if (isAppError(error)) return error;
  const status = dockerStatus(error);
  if (status !== undefined) {
    const text = engineMessage(error);
    const code = statusCodes[status] ?? (conflictTexts.some((pattern) => pattern.test(text)) ? 'CONFLICT' : 'INTERNAL');
    return new AppError(code, `${action}: ${text}`, { detail: messageOf(error), cause: error, ...(fix ? { fix } : {}) });
  }
  const errno = errnoOf(error);
  if (errno && socketGone.has(errno)) {
    return new AppError('UNAVAILABLE', `${action}: the Docker engine is not answering`, {
      detail: messageOf(error),
      cause: error,
      fix: fix ?? { text: 'Start the Docker daemon, or choose another endpoint; the host doctor shows the exact command.' },
    });
  }
  return toAppError(error, action);
}
