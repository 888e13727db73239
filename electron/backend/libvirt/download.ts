// Downloads a disk image over HTTP(S) into a file, reporting bytes as they arrive and computing its SHA-256 on
// the way; a wrong checksum or any failure deletes the partial file. Plain Node; never imports electron.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AppError } from '@shared/errors';
import { errnoOf, messageOf } from '../app-errors';

export interface DownloadProgress {
  receivedBytes: number;
  totalBytes?: number;
}

export interface DownloadOptions {
  signal?: AbortSignal;
  /** Called at most every `progressIntervalMs` while bytes arrive, and once at the end. */
  onProgress?: (progress: DownloadProgress) => void;
  progressIntervalMs?: number;
}

function checksumMismatch(what: string, actual: string, expected: string): AppError {
  return new AppError('INVALID_ARGUMENT', `The SHA-256 of ${what} does not match: the file is damaged, or the checksum belongs to another file.`, {
    detail: `expected ${expected}\nactual   ${actual}`,
    fix: { text: 'Copy the checksum again from the same place as the image (for example its SHA256SUMS file).' },
  });
}

function fetchFailure(url: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof Error && error.name === 'AbortError') return new AppError('UNAVAILABLE', `The download of ${url} was cancelled.`);
  const cause = error instanceof Error ? error.cause : undefined;
  const errno = errnoOf(cause) ?? errnoOf(error);
  const detail = [messageOf(error), cause ? messageOf(cause) : undefined].filter(Boolean).join(': ');
  return new AppError('UNAVAILABLE', `Could not download ${url}${errno ? ` (${errno})` : ''}.`, {
    detail,
    fix: { text: 'Check the URL, and that this computer can reach that server.' },
  });
}

/** Streams `url` into `file` and returns the SHA-256 (hex); with `expectedSha256`, a mismatch throws INVALID_ARGUMENT. */
export async function downloadFile(url: string, file: string, expectedSha256: string | undefined, options: DownloadOptions = {}): Promise<string> {
  const interval = options.progressIntervalMs ?? 250;
  try {
    const response = await fetch(url, { redirect: 'follow', ...(options.signal ? { signal: options.signal } : {}) });
    if (!response.ok || !response.body) {
      throw new AppError(response.status === 404 ? 'NOT_FOUND' : 'UNAVAILABLE', `${url} answered HTTP ${response.status} ${response.statusText}.`, {
        fix: { text: 'Check the URL: it must point at the image file itself.' },
      });
    }
    const length = Number(response.headers.get('content-length'));
    const totalBytes = Number.isFinite(length) && length > 0 ? length : undefined;
    const progress: DownloadProgress = { receivedBytes: 0, ...(totalBytes ? { totalBytes } : {}) };
    const hash = createHash('sha256');
    let lastReport = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        progress.receivedBytes += chunk.length;
        const now = Date.now();
        if (now - lastReport >= interval) {
          lastReport = now;
          options.onProgress?.({ ...progress });
        }
        callback(null, chunk);
      },
    });
    // The fetch's signal also ends its body stream, which ends this pipeline.
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), counter, createWriteStream(file, { mode: 0o600 }));
    options.onProgress?.({ ...progress });
    const actual = hash.digest('hex');
    if (expectedSha256 && actual !== expectedSha256.toLowerCase()) throw checksumMismatch(url, actual, expectedSha256.toLowerCase());
    return actual;
  } catch (error) {
    await rm(file, { force: true });
    throw fetchFailure(url, error);
  }
}

/** The SHA-256 of a local file (hex); with `expectedSha256`, a mismatch throws INVALID_ARGUMENT. */
export async function verifyFileSha256(file: string, expectedSha256: string | undefined, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, signal ? { signal } : {})) hash.update(chunk as Buffer);
  const actual = hash.digest('hex');
  if (expectedSha256 && actual !== expectedSha256.toLowerCase()) throw checksumMismatch(file, actual, expectedSha256.toLowerCase());
  return actual;
}
