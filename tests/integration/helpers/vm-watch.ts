// Follows `vms.changed` for a test the way the renderer does: every change kept in order, the list patched by
// domain reads and replaced by whole lists, with a wait for "this VM reached that state". Test-only.
import type { Api } from '@shared/api';
import type { RpcClient } from '@shared/rpc-client';
import type { VmChange, VmConnection, VmSummary } from '@shared/vm-types';
import { waitFor } from './docker-cli';

export interface VmWatch {
  changes: VmChange[];
  vms: Map<string, VmSummary>;
  connection?: VmConnection;
  /** Resolves with the VM once `check` holds for it (null: it is gone); fails after `timeoutMs`. */
  until(name: string, check: (vm: VmSummary | null) => boolean, timeoutMs?: number): Promise<VmSummary | null>;
  /** Waits for the first full list. */
  ready(): Promise<void>;
  close(): void;
  error?: unknown;
}

export function watchVms(client: RpcClient<Api>, uri: string): VmWatch {
  const watch: VmWatch = {
    changes: [],
    vms: new Map(),
    async until(name, check, timeoutMs = 10_000) {
      const found = await waitFor(
        `${name} to change as expected (last seen: ${JSON.stringify(watch.vms.get(name) ?? null)})`,
        () => {
          const vm = watch.vms.get(name) ?? null;
          return check(vm) ? { vm } : undefined;
        },
        timeoutMs,
      );
      return found.vm;
    },
    ready: async () => {
      await waitFor('the first list from vms.changed', () => (watch.changes.some((change) => change.kind === 'domains') ? true : undefined));
    },
    close: () => subscription.unsubscribe(),
  };
  const subscription = client.subscribe('vms.changed', { uri }, {
    next(change) {
      watch.changes.push(change);
      if (change.kind === 'connection') watch.connection = change.connection;
      else if (change.kind === 'domains') watch.vms = new Map(change.vms.map((vm) => [vm.name, vm]));
      else if (change.vm) watch.vms.set(change.name, change.vm);
      else watch.vms.delete(change.name);
    },
    error(error) {
      watch.error = error;
    },
    end() {},
  });
  return watch;
}
