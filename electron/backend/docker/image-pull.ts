// Pulls an image and turns the engine's JSON-lines progress into the whole PullProgress, throttled, with
// registry failures mapped to NOT_FOUND / UNAVAILABLE. Never imports electron.
import type { Readable } from 'node:stream';
import { AppError, type ErrorCode, type Fix } from '@shared/errors';
import type { PullLayer, PullProgress } from '@shared/docker-types';
import type { StreamSink } from '../rpc-server';
import type { DockerAccess } from './docker-access';
import { dockerError, dockerStatus, engineMessage } from './docker-errors';

/** One line of the engine's pull output (POST /images/create). */
export interface PullMessage {
  id?: string;
  status?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

interface LayerState extends PullLayer {
  /** Bytes downloaded so far; extraction restarts `current` at 0, so the overall bar counts this instead. */
  downloaded: number;
}

export interface PullState {
  reference: string;
  layers: LayerState[];
  status: string;
}

/** As `docker pull`: a reference without a tag or digest means :latest. */
export function withDefaultTag(reference: string): string {
  if (reference.includes('@')) return reference;
  const lastSlash = reference.lastIndexOf('/');
  return reference.slice(lastSlash + 1).includes(':') ? reference : `${reference}:latest`;
}

export function createPullState(reference: string): PullState {
  return { reference, layers: [], status: '' };
}

const positive = (value: number | undefined): number => (value !== undefined && Number.isFinite(value) && value > 0 ? value : 0);

/**
 * Folds one message into the state; returns whether anything visible changed. Lines with an `id` are about
 * a layer, except "Pulling from <repo>", whose id is the tag being pulled.
 */
export function applyPullMessage(state: PullState, message: PullMessage): boolean {
  const status = message.status ?? '';
  if (!message.id || status.startsWith('Pulling from ')) {
    if (!status || status === state.status) return false;
    state.status = status;
    return true;
  }
  let layer = state.layers.find((candidate) => candidate.id === message.id);
  if (!layer) {
    layer = { id: message.id, status: '', current: 0, total: 0, downloaded: 0 };
    state.layers.push(layer);
  }
  const before = `${layer.status}|${layer.current}|${layer.total}|${layer.downloaded}`;
  layer.status = status;
  const detail = message.progressDetail;
  const total = positive(detail?.total);
  if (total > 0) layer.total = total;
  switch (status) {
    case 'Downloading':
      layer.current = positive(detail?.current);
      layer.downloaded = layer.current;
      break;
    case 'Extracting':
      layer.current = positive(detail?.current);
      layer.downloaded = layer.total;
      break;
    case 'Verifying Checksum':
    case 'Download complete':
    case 'Pull complete':
    case 'Already exists':
      layer.current = layer.total;
      layer.downloaded = layer.total;
      break;
    default:
      break;
  }
  return before !== `${layer.status}|${layer.current}|${layer.total}|${layer.downloaded}`;
}

export function pullProgress(state: PullState, done: boolean): PullProgress {
  const sized = state.layers.filter((layer) => layer.total > 0);
  return {
    reference: state.reference,
    layers: state.layers.map(({ id, status, current, total }) => ({ id, status, current, total })),
    current: sized.reduce((sum, layer) => sum + Math.min(layer.downloaded, layer.total), 0),
    total: sized.reduce((sum, layer) => sum + layer.total, 0),
    status: state.status,
    done,
  };
}

/** The registry part of a reference, as the engine resolves it (no domain: Docker Hub). */
export function registryOf(reference: string): string {
  const slash = reference.indexOf('/');
  const first = slash < 0 ? '' : reference.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : 'docker.io';
}

const notFoundTexts = [/manifest unknown/i, /not found/i, /repository does not exist/i, /name unknown/i];
const unreachableTexts = [
  /dial tcp/i,
  /connection refused/i,
  /no such host/i,
  /i\/o timeout/i,
  /TLS handshake/i,
  /server gave HTTP response to HTTPS client/i,
  /context deadline exceeded/i,
  /network is unreachable/i,
  /connection reset/i,
];
const deniedTexts = [/unauthorized/i, /authentication required/i, /denied/i];

/** Why a pull failed, from the engine's text (an HTTP error before the stream, or an errorDetail inside it). */
export function pullFailure(reference: string, text: string, status?: number, cause?: unknown): AppError {
  const registry = registryOf(reference);
  const message = `Pulling ${reference}: ${text}`;
  const options = (code: ErrorCode, fix?: Fix) =>
    new AppError(code, message, { detail: text, ...(cause === undefined ? {} : { cause }), ...(fix ? { fix } : {}) });
  if (unreachableTexts.some((pattern) => pattern.test(text))) {
    return options('UNAVAILABLE', { text: `Check that the registry ${registry} is running and reachable from the Docker host.` });
  }
  if (status === 404 || notFoundTexts.some((pattern) => pattern.test(text))) {
    return options('NOT_FOUND', {
      text: `Check the image name and tag on ${registry}; a private image needs a login first.`,
      command: `docker login ${registry}`,
    });
  }
  if (status === 401 || status === 403 || deniedTexts.some((pattern) => pattern.test(text))) {
    return options('PERMISSION_DENIED', { text: `Log in to ${registry} with an account that may pull this image.`, command: `docker login ${registry}` });
  }
  return options(status === 400 ? 'INVALID_ARGUMENT' : 'INTERNAL');
}

/** Calls `emit` at most once per `intervalMs`, the last call winning; `flush` cancels a pending one. */
function throttle(intervalMs: number, emit: () => void) {
  let last = 0;
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    timer = undefined;
    last = Date.now();
    emit();
  };
  return {
    request() {
      if (timer) return;
      const wait = last + intervalMs - Date.now();
      if (wait <= 0) fire();
      else timer = setTimeout(fire, wait);
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** Splits a byte stream into lines; the engine ends each JSON message with "\r\n", but chunks may cut one. */
function lineSplitter(onLine: (line: string) => void) {
  let buffered = '';
  return {
    push(chunk: Buffer | string) {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onLine(line.trim());
    },
    flush() {
      if (buffered.trim()) onLine(buffered.trim());
      buffered = '';
    },
  };
}

export const pullEmitIntervalMs = 100;

/**
 * Runs one pull for a subscriber: every change (throttled), then a final event with done:true and end.
 * Aborting `signal` aborts the HTTP request, which makes the engine cancel the pull.
 */
export async function pullImage(access: DockerAccess, requested: string, sink: StreamSink<PullProgress>, signal: AbortSignal): Promise<void> {
  const reference = withDefaultTag(requested);
  const state = createPullState(reference);
  const emitter = throttle(pullEmitIntervalMs, () => sink.next(pullProgress(state, false)));
  let failed = false;
  const fail = (error: AppError) => {
    if (failed || signal.aborted) return;
    failed = true;
    emitter.cancel();
    sink.error(error);
  };

  let stream: Readable;
  try {
    stream = await access.withEngine(`Pulling ${reference}`, async (docker) => {
      try {
        return (await docker.pull(reference, { abortSignal: signal })) as Readable;
      } catch (error) {
        const status = dockerStatus(error);
        throw status === undefined ? error : pullFailure(reference, engineMessage(error), status, error);
      }
    });
  } catch (error) {
    fail(dockerError(error, `Pulling ${reference}`));
    return;
  }
  const stop = () => {
    emitter.cancel();
    stream.destroy();
  };
  if (signal.aborted) return stop();
  signal.addEventListener('abort', stop, { once: true });

  const lines = lineSplitter((line) => {
    let message: PullMessage;
    try {
      message = JSON.parse(line) as PullMessage;
    } catch {
      return;
    }
    const errorText = message.errorDetail?.message ?? message.error;
    if (errorText) {
      fail(pullFailure(reference, errorText));
      stream.destroy();
      return;
    }
    if (applyPullMessage(state, message)) emitter.request();
  });

  stream.on('data', (chunk: Buffer) => lines.push(chunk));
  stream.on('error', (error) => fail(dockerError(error, `Pulling ${reference}`)));
  stream.on('end', () => {
    lines.flush();
    if (failed || signal.aborted) return;
    emitter.cancel();
    sink.next(pullProgress(state, true));
    sink.end();
  });
}
