// The create wizard's RPC handlers (options, OS list and defaults, check, the create stream), and the services
// they share, built over one virsh. Never imports electron.
import type { Api } from '@shared/api';
import type { BackendConfig } from '../config';
import type { CommandRunner } from '../exec';
import type { MethodHandlers, StreamHandlers } from '../rpc-server';
import { createOsinfoService } from './osinfo';
import { createStorageService, type StorageService } from './storage';
import { storageHandlers } from './storage-handlers';
import { createCreateHost } from './vm-create-host';
import { createVmCreateService } from './vm-create';
import { createVirsh } from './virsh';

type CreateMethod = Extract<keyof MethodHandlers<Api>, `vmCreate.${string}` | `storage.${string}`>;

export interface VmCreateHandlers {
  methods: Pick<MethodHandlers<Api>, CreateMethod>;
  streams: Pick<StreamHandlers<Api>, 'vmCreate.create'>;
  storage: StorageService;
}

/** `backendSignal` cancels (and so rolls back) every create still running when the backend is disposed. */
export function createVmCreateHandlers(config: BackendConfig, run: CommandRunner, backendSignal?: AbortSignal): VmCreateHandlers {
  // Pool and domain operations can wait on a busy daemon (QEMU probing, big pools) longer than a doctor check.
  const virsh = createVirsh(run, { timeoutMs: Math.max(config.checkTimeoutMs, 60_000) }, { ...config.env });
  const storage = createStorageService(virsh, config);
  const osinfo = createOsinfoService(run);
  const host = createCreateHost(virsh, storage, config);
  const creator = createVmCreateService({ virsh, run, storage, osinfo, host, config });
  return {
    storage,
    methods: {
      ...storageHandlers(storage),
      'vmCreate.options': ({ uri }, { signal }) => host.options(uri, signal),
      'vmCreate.osList': (_args, { signal }) => osinfo.list(signal),
      'vmCreate.osDefaults': ({ osId }, { signal }) => osinfo.defaults(osId, signal),
      'vmCreate.check': ({ spec }, { signal }) => creator.check(spec, signal),
    },
    streams: {
      'vmCreate.create': ({ spec }, sink, context) => {
        const signal = backendSignal ? AbortSignal.any([context.signal, backendSignal]) : context.signal;
        creator.create(spec, (progress) => sink.next(progress), signal).then(
          () => sink.end(),
          (error: unknown) => sink.error(error),
        );
      },
    },
  };
}
