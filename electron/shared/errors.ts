// The error every layer throws and the UI shows: a code, a message, the engine's own text, and a fix.
// Pure TypeScript: imports nothing, so every side (backend, main, preload, renderer, web) can use it.

export const errorCodes = [
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'CONFLICT',
  'PERMISSION_DENIED',
  'UNAVAILABLE',
  'TIMEOUT',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** What the user can do about a problem: a sentence, and the exact command when one fixes it. */
export interface Fix {
  text: string;
  command?: string;
}

/** The form an error takes on the wire (JSON over WebSocket, structured clone over Electron IPC). */
export interface WireError {
  code: ErrorCode;
  message: string;
  detail?: string;
  fix?: Fix;
}

export interface AppErrorOptions {
  /** The engine's own words (virsh stderr, Docker's message, errno text), kept verbatim. */
  detail?: string;
  fix?: Fix;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  readonly fix: Fix | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.detail = options.detail;
    this.fix = options.fix;
  }

  toWire(): WireError {
    return {
      code: this.code,
      message: this.message,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      ...(this.fix === undefined ? {} : { fix: this.fix }),
    };
  }

  static fromWire(wire: WireError): AppError {
    const code = errorCodes.includes(wire.code) ? wire.code : 'INTERNAL';
    return new AppError(code, wire.message, {
      ...(wire.detail === undefined ? {} : { detail: wire.detail }),
      ...(wire.fix === undefined ? {} : { fix: wire.fix }),
    });
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
