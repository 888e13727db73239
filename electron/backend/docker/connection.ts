// The Docker connection: which endpoint is used (the user's choice or the first that answers), why none is when
// none answers (the doctor's verdict and fix), and one /events subscription shared by every `docker.changed`
// listener, re-read per changed container and resubscribed with backoff after the daemon goes away. Never imports electron.
import type { IncomingMessage } from 'node:http';
import Docker from 'dockerode';
import type { DockerChange, DockerConnection } from '@shared/docker-types';
import { AppError, type WireError } from '@shared/errors';
import { abortableSleep } from '../abortable-sleep';
import { errnoOf } from '../app-errors';
import type { BackendConfig } from '../config';
import { assessDocker, noEngineVerdict, observeDocker } from '../host/docker-check';
import { readFixContext } from '../host/doctor';
import type { FixContext } from '../host/fixes';
import { readAccounts } from '../host/host-files';
import { dockerodeOptions } from './client';
import { jsonLines } from './container-requests';
import { toContainerSummary, type ContainerRow } from './container-summary';
import type { DockerAccess } from './docker-access';
import { dockerError, dockerStatus, socketGone } from './docker-errors';
import { dockerEndpointCandidates } from './endpoints';
import type { SettingsStore } from '../settings';

export type DockerChangeListener = (change: DockerChange) => void;

export interface DockerConnectionService extends DockerAccess {
  /** Reads every candidate endpoint again and returns the connection as it is now. */
  connection(): Promise<DockerConnection>;
  /** Use this candidate's address from now on, or null for the first that answers. */
  useEndpoint(address: string | null): Promise<DockerConnection>;
  /** Starts with the connection state now; the first listener opens /events, the last one to leave closes it. */
  subscribe(listener: DockerChangeListener): () => void;
  /** Aborted by dispose(): streams started for clients end with it. */
  readonly signal: AbortSignal;
  dispose(): void;
}

export interface DockerConnectionOptions {
  /** Where the chosen endpoint is kept between runs; absent: only for this run. */
  settings?: SettingsStore;
  /** First reconnect delay after the engine went away; doubles up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
  /** How long events are gathered before the changed containers are read again (one read per burst). */
  coalesceMs?: number;
}

interface Observed {
  connection: DockerConnection;
  docker?: Docker;
}

interface EngineEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

interface Listener {
  deliver: DockerChangeListener;
  /** Changes that came before the listener got the connection state it starts with. */
  early?: DockerChange[];
}

// Container events that change nothing a list row shows; reading the container again for them would be waste.
const quietContainerActions = new Set(['exec_create', 'exec_start', 'exec_die', 'exec_detach', 'attach', 'detach', 'resize', 'top', 'export', 'archive-path', 'extract-to-dir', 'copy']);
const listKinds = { image: 'images', volume: 'volumes', network: 'networks' } as const;

function sameConnection(a: DockerConnection | undefined, b: DockerConnection): boolean {
  if (!a) return false;
  const key = (connection: DockerConnection) =>
    JSON.stringify([connection.status, connection.address, connection.chosen, connection.error, connection.retryInMs, connection.engine?.serverVersion]);
  return key(a) === key(b);
}

/** Resolves when the response ends, fails or is closed, whichever comes first. */
function finished(stream: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    stream.once('end', () => resolve());
    stream.once('close', () => resolve());
    stream.once('error', () => resolve());
  });
}

export function createDockerConnection(config: BackendConfig, options: DockerConnectionOptions = {}): DockerConnectionService {
  const retryMs = options.retryMs ?? 250;
  const maxRetryMs = options.maxRetryMs ?? 5000;
  const coalesceMs = options.coalesceMs ?? 30;
  const life = new AbortController();
  let chosen: string | undefined;
  // The endpoint chosen in an earlier run, unless it is no longer a candidate (DOCKER_HOST or contexts changed).
  const restored = (async () => {
    const saved = (await options.settings?.load())?.dockerEndpoint;
    if (saved === undefined) return;
    const { endpoints } = await dockerEndpointCandidates(config);
    if (endpoints.some((endpoint) => endpoint.address === saved)) chosen ??= saved;
  })().catch(() => undefined);
  let current: DockerConnection | undefined;
  let docker: Docker | undefined;
  let observing: Promise<Observed> | undefined;
  let fixContext: Promise<FixContext> | undefined;
  const listeners = new Set<Listener>();
  let events: AbortController | undefined;
  // Settles once /events is open (or the engine is known not to answer): only then does a new listener get its
  // first state, so whatever it does next is seen.
  let eventsOpen: Promise<void> = Promise.resolve();
  let eventStream: AbortController | undefined;
  let wakeEvents: (() => void) | undefined;

  async function observe(): Promise<Observed> {
    await restored;
    const accounts = await readAccounts(config.roots);
    fixContext ??= readFixContext(config);
    const [observation, context] = await Promise.all([observeDocker(config, accounts, undefined, chosen), fixContext]);
    const section = assessDocker(observation, context);
    const address = chosen ?? observation.endpoints.find(({ state }) => state === 'answers')?.endpoint.address;
    const used = observation.endpoints.find(({ endpoint }) => endpoint.address === address);
    const answers = used?.state === 'answers';
    const base = {
      endpoints: section.facts.endpoints.map((endpoint) => ({ ...endpoint, used: answers && endpoint.address === address })),
      ...(chosen === undefined ? {} : { chosen }),
    };
    if (answers && address !== undefined) {
      return {
        connection: { ...base, status: 'connected', address, ...(section.facts.engine ? { engine: section.facts.engine } : {}) },
        docker: new Docker(dockerodeOptions(address, config.env, config.identity.home)),
      };
    }
    const subject = chosen === undefined ? observation : { ...observation, endpoints: observation.endpoints.filter(({ endpoint }) => endpoint.address === chosen) };
    const verdict = noEngineVerdict(subject, context);
    const error: WireError = {
      code: verdict.denied ? 'PERMISSION_DENIED' : 'UNAVAILABLE',
      message:
        chosen === undefined
          ? 'No Docker endpoint answers, so containers are unavailable.'
          : `The chosen Docker endpoint ${chosen} does not answer, so containers are unavailable.`,
      detail: verdict.detail,
      fix: chosen === undefined ? verdict.fix : { ...verdict.fix, text: `${verdict.fix.text} Or let Isolab use the first endpoint that answers.` },
    };
    return { connection: { ...base, status: 'unavailable', error } };
  }

  function emit(change: DockerChange): void {
    for (const listener of listeners) {
      if (listener.early) listener.early.push(change);
      else listener.deliver(change);
    }
  }

  function apply(observed: Observed, retryInMs?: number): void {
    const next: DockerConnection =
      observed.connection.status === 'unavailable' && retryInMs !== undefined ? { ...observed.connection, retryInMs } : observed.connection;
    const changed = !sameConnection(current, next);
    current = next;
    docker = observed.docker;
    if (changed) emit({ kind: 'connection', connection: next });
    if (docker) wakeEvents?.();
  }

  async function refresh(retryInMs?: number): Promise<DockerConnection> {
    observing ??= observe().finally(() => (observing = undefined));
    const observed = await observing;
    if (!life.signal.aborted) apply(observed, retryInMs);
    return current ?? observed.connection;
  }

  async function client(): Promise<Docker> {
    if (life.signal.aborted) throw new AppError('UNAVAILABLE', 'Isolab is shutting down: the Docker connection is closed.');
    if (docker) return docker;
    const connection = await refresh();
    if (docker) return docker;
    throw AppError.fromWire(connection.error ?? { code: 'UNAVAILABLE', message: 'No Docker endpoint answers, so containers are unavailable.' });
  }

  // Events gathered for one coalesced read: containers to read again, lists to announce.
  const pendingIds = new Set<string>();
  const pendingLists = new Set<'images' | 'volumes' | 'networks'>();
  let flushTimer: NodeJS.Timeout | undefined;
  // Reads run one after another, so a newer read of a container never arrives before an older one.
  let reads: Promise<void> = Promise.resolve();

  async function readContainers(ids: string[]): Promise<void> {
    const engine = docker;
    if (!engine || ids.length === 0) return;
    let rows: ContainerRow[];
    try {
      rows = (await engine.listContainers({ all: true, filters: { id: ids } })) as ContainerRow[];
    } catch {
      // The engine went away in between; the ended event stream reconnects and sends the whole list.
      return;
    }
    for (const id of ids) {
      const row = rows.find((candidate) => candidate.Id === id);
      emit({ kind: 'container', id, container: row ? toContainerSummary(row) : null });
    }
  }

  async function sendWholeList(): Promise<void> {
    const engine = docker;
    if (!engine) return;
    try {
      const rows = (await engine.listContainers({ all: true })) as ContainerRow[];
      emit({ kind: 'containers', containers: rows.map(toContainerSummary) });
    } catch {
      // As above: the next reconnect sends it.
    }
  }

  function flush(): void {
    flushTimer = undefined;
    for (const kind of pendingLists) emit({ kind });
    pendingLists.clear();
    const ids = [...pendingIds];
    pendingIds.clear();
    reads = reads.then(() => readContainers(ids));
  }

  function schedule(): void {
    flushTimer ??= setTimeout(flush, coalesceMs);
  }

  function onEvent(value: unknown): void {
    const event = value as EngineEvent;
    const id = event.Actor?.ID;
    if (event.Type === 'container') {
      const action = (event.Action ?? '').split(':')[0] ?? '';
      if (id && !quietContainerActions.has(action)) pendingIds.add(id);
      // A container made or removed changes which containers use each image, volume and network, and the engine
      // sends no event of theirs for it (removing a stopped container sends none at all).
      if (action === 'create' || action === 'destroy') for (const kind of ['images', 'volumes', 'networks'] as const) pendingLists.add(kind);
    } else if (event.Type === 'image' || event.Type === 'volume' || event.Type === 'network') {
      pendingLists.add(listKinds[event.Type]);
      // Connecting or disconnecting changes the container's networks too.
      const container = event.Actor?.Attributes?.container;
      if (event.Type === 'network' && container) pendingIds.add(container);
    } else {
      return;
    }
    schedule();
  }

  async function followEvents(control: AbortController, opened: () => void): Promise<void> {
    let delay = retryMs;
    // After an outage (or a start without an engine) the events in between are lost: send the whole list.
    let resync = false;
    const pause = async () => {
      opened();
      resync = true;
      await abortableSleep(delay, control.signal, (resume) => (wakeEvents = resume));
      wakeEvents = undefined;
      delay = Math.min(delay * 2, maxRetryMs);
    };
    while (!control.signal.aborted) {
      // Announces the wait before the next attempt when the engine does not answer.
      if (!docker) await refresh(delay);
      if (control.signal.aborted) return;
      const engine = docker;
      if (!engine) {
        await pause();
        continue;
      }
      const streamControl = new AbortController();
      eventStream = streamControl;
      let stream: IncomingMessage | undefined;
      try {
        stream = (await engine.getEvents({
          abortSignal: AbortSignal.any([control.signal, streamControl.signal]),
          filters: { type: ['container', 'image', 'volume', 'network'] },
        } as Docker.GetEventsOptions)) as IncomingMessage;
      } catch {
        stream = undefined;
      }
      if (control.signal.aborted) {
        stream?.destroy();
        opened();
        return;
      }
      if (!stream) {
        // It may answer a ping yet fail /events: check it again after a pause.
        docker = undefined;
        await pause();
        continue;
      }
      delay = retryMs;
      opened();
      const lines = jsonLines(onEvent);
      stream.on('data', (chunk: Buffer) => lines.push(chunk));
      const ended = finished(stream);
      const onAbort = () => stream.destroy();
      control.signal.addEventListener('abort', onAbort, { once: true });
      if (resync) {
        resync = false;
        reads = reads.then(sendWholeList);
      }
      await ended;
      control.signal.removeEventListener('abort', onAbort);
      // The stream ended: the daemon stopped or restarted, or the endpoint was switched. Look again at once.
      resync = true;
      docker = undefined;
    }
  }

  function stopEvents(): void {
    events?.abort();
    events = undefined;
    eventStream = undefined;
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = undefined;
    pendingIds.clear();
    pendingLists.clear();
  }

  return {
    signal: life.signal,
    client,
    connection: () => refresh(),

    async useEndpoint(address) {
      if (address !== null) {
        const { endpoints } = await dockerEndpointCandidates(config);
        if (!endpoints.some((endpoint) => endpoint.address === address)) {
          throw new AppError('INVALID_ARGUMENT', `${address} is not one of the Docker endpoints Isolab found.`, {
            detail: `Candidates: ${endpoints.map((endpoint) => endpoint.address).join(', ')}`,
            fix: { text: 'Choose one of the listed endpoints, or set DOCKER_HOST to this address before starting Isolab.' },
          });
        }
      }
      await restored;
      await observing;
      chosen = address ?? undefined;
      docker = undefined;
      await options.settings?.update({ dockerEndpoint: chosen });
      const connection = await refresh();
      // The event stream still reads the previous engine: end it, and the loop subscribes to the new one.
      eventStream?.abort();
      return connection;
    },

    async withEngine(action, work, fixFor) {
      const engine = await client();
      try {
        return await work(engine);
      } catch (error) {
        const errno = errnoOf(error);
        if (errno && socketGone.has(errno) && dockerStatus(error) === undefined) {
          docker = undefined;
          await client();
        }
        throw dockerError(error, action, fixFor?.(error));
      }
    },

    subscribe(deliver) {
      const listener: Listener = { deliver, early: [] };
      listeners.add(listener);
      if (!events && !life.signal.aborted) {
        const control = new AbortController();
        events = control;
        eventsOpen = new Promise((resolve) => {
          control.signal.addEventListener('abort', () => resolve(), { once: true });
          void followEvents(control, resolve);
        });
      }
      void (async () => {
        await eventsOpen;
        const connection = current ?? (await refresh());
        if (!listeners.has(listener)) return;
        const early = listener.early ?? [];
        delete listener.early;
        // The state just delivered is at least as new as any connection change that waited.
        deliver({ kind: 'connection', connection: current ?? connection });
        for (const change of early) if (change.kind !== 'connection') deliver(change);
      })();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stopEvents();
      };
    },

    dispose() {
      if (life.signal.aborted) return;
      life.abort();
      listeners.clear();
      stopEvents();
      docker = undefined;
    },
  };
}
