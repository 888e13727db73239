// Runs a command from an argument array with a timeout and an AbortSignal, never through a shell.
// Plain Node; never imports electron.
import { execFile } from 'node:child_process';
import { AppError } from '@shared/errors';
import { errnoOf, messageOf } from './app-errors';

export interface RunOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Largest output kept, in bytes. */
  maxBuffer?: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export type CommandRunner = (file: string, args: readonly string[], options: RunOptions) => Promise<RunResult>;

function commandLine(file: string, args: readonly string[]): string {
  return [file, ...args].join(' ');
}

/**
 * Resolves with the exit code, whatever it is; rejects only when the command could not run to the end:
 * NOT_FOUND when it is not installed, TIMEOUT when it took longer than `timeoutMs`, UNAVAILABLE when aborted.
 */
export const runCommand: CommandRunner = (file, args, options) =>
  new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      {
        timeout: options.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: options.maxBuffer ?? 16 * 1024 * 1024,
        env: { ...(options.env ?? process.env), LC_ALL: 'C' },
        ...(options.signal ? { signal: options.signal } : {}),
        shell: false,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, stderr, exitCode: 0 });
        const what = commandLine(file, args);
        if (errnoOf(error) === 'ENOENT') {
          return reject(new AppError('NOT_FOUND', `${file} is not installed (not found on PATH)`, { detail: what }));
        }
        if (error.name === 'AbortError') {
          return reject(new AppError('UNAVAILABLE', `${what} was cancelled`, { cause: error }));
        }
        if (error.killed && error.signal === 'SIGKILL') {
          return reject(
            new AppError('TIMEOUT', `${what} did not finish within ${options.timeoutMs / 1000} s`, {
              detail: stderr.trim() || undefined,
              cause: error,
            }),
          );
        }
        if (typeof error.code === 'number') return resolve({ stdout, stderr, exitCode: error.code });
        reject(new AppError('INTERNAL', `${what} failed`, { detail: messageOf(error), cause: error }));
      },
    );
  });
