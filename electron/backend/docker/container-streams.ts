// The container streams: logs (demultiplexed, batched, ended when the container stops), one container's stats,
// and the list's CPU/memory of every running container. Each holds engine HTTP streams only while subscribed and
// destroys them when its signal aborts. Never imports electron.
import type { IncomingMessage } from 'node:http';
import type { ContainerStatsSample, ContainerUsage, DockerChange, LogBatch } from '@shared/docker-types';
import type { StreamSink } from '../rpc-server';
import type { DockerConnectionService } from './connection';
import { createLineBatcher, createLogDecoder } from './container-log-lines';
import { engineStream, jsonLines } from './container-requests';
import { statsSample, type EngineStats } from './container-stats-math';
import type { ContainerInspect, ContainerRow } from './container-summary';
import { containerLabel } from './containers';
import { dockerError } from './docker-errors';

export interface LogsOptions {
  id: string;
  follow: boolean;
  timestamps: boolean;
  tail?: number;
  since?: number;
}

/** How often the list's usage map is sent at most. */
const usageIntervalMs = 1000;

/** Calls `onEnd` once, with the error when the response broke off rather than ended. */
function watchEnd(stream: IncomingMessage, signal: AbortSignal, onEnd: (error?: unknown) => void): void {
  let done = false;
  const finish = (error?: unknown) => {
    if (done) return;
    done = true;
    signal.removeEventListener('abort', abort);
    if (!signal.aborted) onEnd(error);
  };
  const abort = () => {
    stream.destroy();
    finish();
  };
  signal.addEventListener('abort', abort, { once: true });
  stream.once('end', () => finish());
  stream.once('error', (error) => finish(error));
  stream.once('close', () => finish(stream.complete ? undefined : new Error('the engine closed the stream')));
}

function openStats(connection: DockerConnectionService, id: string, signal: AbortSignal): Promise<IncomingMessage> {
  return connection.withEngine(`Reading the stats of container ${containerLabel(id)}`, (docker) =>
    engineStream(docker, { path: `/containers/${encodeURIComponent(id)}/stats`, query: { stream: true }, signal }),
  );
}

export function createContainerStreams(connection: DockerConnectionService) {
  async function logs(options: LogsOptions, sink: StreamSink<LogBatch>, signal: AbortSignal): Promise<void> {
    const action = `Reading the logs of container ${containerLabel(options.id)}`;
    let stream: IncomingMessage;
    let tty: boolean;
    try {
      [stream, tty] = await connection.withEngine(action, async (docker) => {
        const inspect = (await docker.getContainer(options.id).inspect({ abortSignal: signal })) as unknown as ContainerInspect;
        const response = await engineStream(docker, {
          path: `/containers/${encodeURIComponent(options.id)}/logs`,
          query: {
            follow: options.follow,
            stdout: true,
            stderr: true,
            timestamps: options.timestamps,
            tail: options.tail ?? 'all',
            since: options.since,
          },
          signal,
        });
        return [response, inspect.Config?.Tty ?? false] as const;
      });
    } catch (error) {
      if (!signal.aborted) sink.error(error);
      return;
    }
    const decoder = createLogDecoder({ tty, timestamps: options.timestamps });
    const batcher = createLineBatcher((lines) => sink.next({ lines }));
    stream.on('data', (chunk: Buffer) => batcher.add(decoder.push(chunk)));
    watchEnd(stream, signal, (error) => {
      batcher.add(decoder.end());
      const lines = batcher.take();
      if (error) {
        if (lines.length > 0) sink.next({ lines });
        sink.error(dockerError(error, action));
        return;
      }
      sink.next({ lines, ended: true });
      sink.end();
    });
    signal.addEventListener('abort', () => batcher.dispose(), { once: true });
  }

  async function stats(id: string, sink: StreamSink<ContainerStatsSample>, signal: AbortSignal): Promise<void> {
    let stream: IncomingMessage;
    try {
      stream = await openStats(connection, id, signal);
    } catch (error) {
      if (!signal.aborted) sink.error(error);
      return;
    }
    const lines = jsonLines((value) => {
      const sample = statsSample(value as EngineStats);
      if (sample) sink.next(sample);
    });
    stream.on('data', (chunk: Buffer) => lines.push(chunk));
    watchEnd(stream, signal, (error) => (error ? sink.error(dockerError(error, `Reading the stats of container ${containerLabel(id)}`)) : sink.end()));
  }

  function usage(sink: StreamSink<ContainerUsage>, signal: AbortSignal): void {
    const latest: ContainerUsage = {};
    const streams = new Map<string, AbortController>();
    let timer: NodeJS.Timeout | undefined;
    let lastSent = 0;
    let ready = false;
    const early: DockerChange[] = [];

    const send = () => {
      timer = undefined;
      lastSent = Date.now();
      sink.next({ ...latest });
    };
    const changed = () => {
      if (timer || signal.aborted) return;
      timer = setTimeout(send, Math.max(0, lastSent + usageIntervalMs - Date.now()));
    };

    const follow = (id: string) => {
      if (streams.has(id)) return;
      const control = new AbortController();
      streams.set(id, control);
      const stop = AbortSignal.any([signal, control.signal]);
      openStats(connection, id, stop).then(
        (stream) => {
          const lines = jsonLines((value) => {
            const sample = statsSample(value as EngineStats);
            if (!sample || stop.aborted) return;
            latest[id] = { cpuPercent: sample.cpuPercent, memoryUsage: sample.memoryUsage, memoryLimit: sample.memoryLimit };
            changed();
          });
          stream.on('data', (chunk: Buffer) => lines.push(chunk));
          // The container stopping is seen through events; a stream that ends by itself is only forgotten.
          watchEnd(stream, stop, () => {
            if (streams.get(id) === control) streams.delete(id);
          });
        },
        () => {
          // Removed or stopped before its stats opened: the events say so too.
          if (streams.get(id) === control) streams.delete(id);
        },
      );
    };
    const forget = (id: string) => {
      streams.get(id)?.abort();
      streams.delete(id);
      if (id in latest) {
        delete latest[id];
        changed();
      }
    };
    const keepOnly = (running: Set<string>) => {
      for (const id of [...streams.keys(), ...Object.keys(latest)]) if (!running.has(id)) forget(id);
      for (const id of running) follow(id);
    };
    const apply = (change: DockerChange) => {
      if (change.kind === 'container') {
        if (change.container?.state === 'running') follow(change.id);
        else forget(change.id);
      } else if (change.kind === 'containers') {
        keepOnly(new Set(change.containers.filter((container) => container.state === 'running').map((container) => container.id)));
      } else if (change.kind === 'connection' && change.connection.status === 'unavailable') {
        keepOnly(new Set());
      }
    };

    const unsubscribe = connection.subscribe((change) => (ready ? apply(change) : early.push(change)));
    signal.addEventListener(
      'abort',
      () => {
        unsubscribe();
        if (timer) clearTimeout(timer);
        for (const control of streams.values()) control.abort();
        streams.clear();
      },
      { once: true },
    );
    connection.withEngine('Listing running containers', async (docker) => (await docker.listContainers({ filters: { status: ['running'] } })) as ContainerRow[]).then(
      (rows) => keepOnly(new Set(rows.map((row) => row.Id))),
      // No engine now: the connection sends the whole list when it is back.
      () => undefined,
    ).finally(() => {
      ready = true;
      for (const change of early.splice(0)) apply(change);
      // An empty map at once, so the list knows usage is being read even when nothing runs.
      if (!signal.aborted && !timer && streams.size === 0) send();
    });
  }

  return { logs, stats, usage };
}
