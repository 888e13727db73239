// Engine API requests that dockerode does not wrap the way the container service needs them: a create that
// keeps the engine's warnings, long responses as streams (logs whether or not they follow, stats, events),
// and a splitter for the engine's newline-delimited JSON. Never imports electron.
import type { IncomingMessage } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import type Docker from 'dockerode';

export interface EngineRequest {
  path: string;
  method?: 'GET' | 'POST' | 'DELETE';
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** HTTP statuses that count as success; others reject with dockerode's error (statusCode, json.message). */
  ok?: number[];
  signal?: AbortSignal;
}

function dialOptions(request: EngineRequest, isStream: boolean) {
  const query = Object.fromEntries(Object.entries(request.query ?? {}).filter(([, value]) => value !== undefined));
  const statusCodes: Record<number, string | boolean> = { 404: 'not found', 409: 'conflict', 500: 'server error', 400: 'bad parameter' };
  for (const status of request.ok ?? [200]) statusCodes[status] = true;
  return {
    path: `${request.path}?`,
    method: request.method ?? 'GET',
    options: { _query: query, ...(request.body === undefined ? {} : { _body: request.body }) },
    isStream,
    statusCodes,
    ...(request.signal ? { abortSignal: request.signal } : {}),
  };
}

/** One request whose JSON answer is parsed (or the raw bytes, when it is not JSON). */
export function engineCall<T>(docker: Docker, request: EngineRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(dialOptions(request, false), (error, result) => (error ? reject(error) : resolve(result as T)));
  });
}

/** A request whose body is read as it arrives; destroying the stream ends the HTTP request. */
export function engineStream(docker: Docker, request: EngineRequest): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(dialOptions(request, true), (error, result) => (error ? reject(error) : resolve(result as IncomingMessage)));
  });
}

/**
 * Feeds each JSON document of a newline-delimited stream to `onObject`; a chunk may end anywhere, even inside
 * a multi-byte character. A line that is not JSON is skipped (the engine only sends JSON on these streams).
 */
export function jsonLines(onObject: (value: unknown) => void): { push(chunk: Buffer): void } {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  return {
    push(chunk) {
      pending += decoder.write(chunk);
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        if (line !== '') {
          let value: unknown;
          try {
            value = JSON.parse(line);
          } catch {
            value = undefined;
          }
          if (value !== undefined) onObject(value);
        }
        newline = pending.indexOf('\n');
      }
    },
  };
}
