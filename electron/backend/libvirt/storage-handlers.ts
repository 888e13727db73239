// The RPC handlers of the storage area (libvirt pools and volumes) over one storage service. Never imports electron.
import type { Api } from '@shared/api';
import type { MethodHandlers } from '../rpc-server';
import type { StorageService } from './storage';

type StorageMethod = Extract<keyof MethodHandlers<Api>, `storage.${string}`>;

export function storageHandlers(storage: StorageService): Pick<MethodHandlers<Api>, StorageMethod> {
  return {
    'storage.pools': ({ uri }, { signal }) => storage.pools(uri, signal),
    'storage.createPool': ({ uri, name, path }) => storage.createPool(uri, name, path),
    'storage.deletePool': ({ uri, pool, deleteFolder }) => storage.deletePool(uri, pool, deleteFolder),
    'storage.startPool': ({ uri, pool }) => storage.startPool(uri, pool),
    'storage.defaultPoolPlan': ({ uri }) => storage.defaultPoolPlan(uri),
    'storage.createDefaultPool': ({ uri }) => storage.createDefaultPool(uri),
    'storage.volumes': ({ uri, pool }) => storage.volumes(uri, pool),
    'storage.createVolume': ({ uri, pool, name, capacityBytes, format }) => storage.createVolume(uri, pool, name, capacityBytes, format),
    'storage.deleteVolume': ({ uri, pool, volume }) => storage.deleteVolume(uri, pool, volume),
    'storage.resizeVolume': ({ uri, pool, volume, capacityBytes }) => storage.resizeVolume(uri, pool, volume, capacityBytes),
  };
}
