// Live VM state per libvirt connection: while anyone listens, one `virsh event --loop --all` child per connection
// (argument array, LC_ALL=C), its lines parsed, events coalesced and each changed domain read again; restarted with
// backoff when it exits (daemon restarted, connection lost), then the whole list is sent, since events in the gap are
// lost. Plain Node; never imports electron.
import type { VmChange, VmConnection } from '@shared/vm-types';
import { abortableSleep } from '../abortable-sleep';
import type { LibvirtConnections } from './connections';
import type { DomainReader } from './domains';
import { runVirshLines } from './virsh-lines';
import { parseEventLine, type DomainEvent } from './virsh-output';

export type VmChangeListener = (change: VmChange) => void;
export type DomainEventListener = (event: DomainEvent) => void;

export interface VmChanges {
  /** Delivers the connection state and the whole list first, then every change; returns the unsubscribe. */
  subscribe(uri: string, listener: VmChangeListener): () => void;
  /**
   * Raw events for one connection, without the list; resolves once the event child is listening, so nothing done
   * after it is missed.
   */
  watch(uri: string, listener: DomainEventListener): Promise<() => void>;
  /** Read this domain again and tell the listeners (for changes libvirt sends no event for, such as autostart). */
  touch(uri: string, name: string): void;
  dispose(): void;
}

export interface VmChangesOptions {
  /** First restart delay after the event child exited; doubles up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
  /** How long events are gathered before the changed domains are read again. */
  coalesceMs?: number;
  /** How long the child must live before it counts as listening (virsh prints nothing when it has connected). */
  settleMs?: number;
  /** A child that ran this long with libvirt answering afterwards is restarted at once; a shorter one after a pause. */
  stableMs?: number;
  /** How long the child of a connection nobody listens to any more keeps running, in case someone comes back. */
  lingerMs?: number;
  env?: NodeJS.ProcessEnv;
}

interface Listener {
  deliver: VmChangeListener;
  /** Changes that came before the listener got its first state. */
  early?: VmChange[];
}

interface Watch {
  uri: string;
  listeners: Set<Listener>;
  raw: Set<DomainEventListener>;
  control: AbortController;
  /** Settles once the first child has been up for settleMs (or the connection is known down). */
  listening: Promise<void>;
  connection?: VmConnection;
  pending: Set<string>;
  flushTimer?: NodeJS.Timeout;
  lingerTimer?: NodeJS.Timeout;
  reads: Promise<void>;
}

export function createVmChanges(connections: LibvirtConnections, domains: DomainReader, options: VmChangesOptions = {}): VmChanges {
  const retryMs = options.retryMs ?? 250;
  const maxRetryMs = options.maxRetryMs ?? 5000;
  const coalesceMs = options.coalesceMs ?? 30;
  const settleMs = options.settleMs ?? 150;
  const stableMs = options.stableMs ?? 2000;
  const lingerMs = options.lingerMs ?? 3000;
  const env = options.env ?? process.env;
  const watches = new Map<string, Watch>();

  function emit(watch: Watch, change: VmChange): void {
    for (const listener of watch.listeners) {
      if (listener.early) listener.early.push(change);
      else listener.deliver(change);
    }
  }

  function setConnection(watch: Watch, connection: VmConnection): void {
    const changed = JSON.stringify(watch.connection) !== JSON.stringify(connection);
    watch.connection = connection;
    if (changed) emit(watch, { kind: 'connection', connection });
  }

  async function readDomains(watch: Watch, names: string[]): Promise<void> {
    for (const name of names) {
      try {
        emit(watch, { kind: 'domain', name, vm: await domains.summary(watch.uri, name) });
      } catch {
        // libvirt went away between the event and the read: the event child exits too, and its restart sends the list.
      }
    }
  }

  async function sendList(watch: Watch): Promise<void> {
    try {
      emit(watch, { kind: 'domains', vms: await domains.list(watch.uri) });
    } catch {
      // As above: the next restart sends it.
    }
  }

  function flush(watch: Watch): void {
    watch.flushTimer = undefined;
    const names = [...watch.pending];
    watch.pending.clear();
    watch.reads = watch.reads.then(() => readDomains(watch, names));
  }

  function onEvent(watch: Watch, event: DomainEvent): void {
    for (const listener of watch.raw) listener(event);
    watch.pending.add(event.domain);
    watch.flushTimer ??= setTimeout(() => flush(watch), coalesceMs);
  }

  async function loop(watch: Watch, markListening: () => void): Promise<void> {
    let delay = retryMs;
    let first = true;
    while (!watch.control.signal.aborted) {
      const started = Date.now();
      const restarted = !first;
      await runVirshLines({
        uri: watch.uri,
        args: ['event', '--loop', '--all'],
        env,
        signal: watch.control.signal,
        settleMs,
        onLine: (line) => {
          const event = parseEventLine(line);
          if (event) onEvent(watch, event);
        },
        onListening: () => {
          markListening();
          // Read after the child listens, so a change between the read and the subscription cannot be lost: the
          // connection first, then (after a restart; the first time each new listener reads it) the whole list.
          watch.reads = watch.reads.then(async () => {
            const connection = await connections.read(watch.uri).catch(() => undefined);
            if (connection) setConnection(watch, connection);
            if (restarted) await sendList(watch);
          });
        },
      });
      first = false;
      if (watch.control.signal.aborted) return;
      // It exited: libvirt went away, the connection dropped, or the child was killed. Say why, wait, start it again:
      // at once after a long healthy life, else with a growing pause, so a host that keeps failing is not hammered.
      const connection = await connections.read(watch.uri).catch(() => undefined);
      if (watch.control.signal.aborted) return;
      const healthy = connection?.status === 'connected' && Date.now() - started > stableMs;
      const wait = healthy ? 0 : delay;
      delay = healthy ? retryMs : Math.min(delay * 2, maxRetryMs);
      if (connection) setConnection(watch, connection.status === 'unavailable' ? { ...connection, retryInMs: wait } : connection);
      markListening();
      if (wait > 0) await abortableSleep(wait, watch.control.signal);
    }
  }

  function open(uri: string): Watch {
    const existing = watches.get(uri);
    if (existing) {
      clearTimeout(existing.lingerTimer);
      return existing;
    }
    let markListening: () => void = () => undefined;
    const watch: Watch = {
      uri,
      listeners: new Set(),
      raw: new Set(),
      control: new AbortController(),
      listening: new Promise<void>((resolve) => (markListening = resolve)),
      pending: new Set(),
      reads: Promise.resolve(),
    };
    watches.set(uri, watch);
    void loop(watch, () => markListening());
    return watch;
  }

  function close(watch: Watch): void {
    clearTimeout(watch.lingerTimer);
    watch.control.abort();
    if (watch.flushTimer) clearTimeout(watch.flushTimer);
    watches.delete(watch.uri);
  }

  // Going from the list to a VM's page unsubscribes and subscribes again: the child lingers a moment for that.
  function closeIfUnused(watch: Watch): void {
    if (watch.listeners.size > 0 || watch.raw.size > 0) return;
    clearTimeout(watch.lingerTimer);
    watch.lingerTimer = setTimeout(() => {
      if (watch.listeners.size === 0 && watch.raw.size === 0) close(watch);
    }, lingerMs);
  }

  return {
    subscribe(uri, deliver) {
      const listener: Listener = { deliver, early: [] };
      const watch = open(uri);
      watch.listeners.add(listener);
      void (async () => {
        await watch.listening;
        const [connection, vms] = await Promise.all([
          watch.connection ? Promise.resolve(watch.connection) : connections.read(uri).catch(() => undefined),
          domains.list(uri).catch(() => undefined),
        ]);
        if (!watch.listeners.has(listener)) return;
        const early = listener.early ?? [];
        delete listener.early;
        if (connection) deliver({ kind: 'connection', connection: watch.connection ?? connection });
        if (vms) deliver({ kind: 'domains', vms });
        for (const change of early) if (change.kind === 'domain') deliver(change);
      })();
      return () => {
        watch.listeners.delete(listener);
        closeIfUnused(watch);
      };
    },

    async watch(uri, listener) {
      const watch = open(uri);
      watch.raw.add(listener);
      await watch.listening;
      return () => {
        watch.raw.delete(listener);
        closeIfUnused(watch);
      };
    },

    touch(uri, name) {
      const watch = watches.get(uri);
      if (!watch) return;
      watch.pending.add(name);
      watch.flushTimer ??= setTimeout(() => flush(watch), coalesceMs);
    },

    dispose() {
      for (const watch of [...watches.values()]) {
        watch.listeners.clear();
        watch.raw.clear();
        close(watch);
      }
    },
  };
}
