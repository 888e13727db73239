// The RPC handlers of the volumes and networks areas, over one Docker access. Never imports electron.
import type { Api } from '@shared/api';
import type { MethodHandlers } from '../rpc-server';
import type { DockerAccess } from './docker-access';
import { createNetworkService } from './networks';
import { createVolumeService } from './volumes';

type VolumeNetworkMethod =
  | 'volumes.list'
  | 'volumes.create'
  | 'volumes.remove'
  | 'volumes.prune'
  | 'networks.list'
  | 'networks.create'
  | 'networks.remove'
  | 'networks.prune';

export function volumeNetworkHandlers(access: DockerAccess): Pick<MethodHandlers<Api>, VolumeNetworkMethod> {
  const volumes = createVolumeService(access);
  const networks = createNetworkService(access);
  return {
    'volumes.list': () => volumes.list(),
    'volumes.create': ({ name, labels }) => volumes.create(name, labels),
    'volumes.remove': ({ name, force }) => volumes.remove(name, force),
    'volumes.prune': () => volumes.prune(),
    'networks.list': () => networks.list(),
    'networks.create': (options) => networks.create(options),
    'networks.remove': ({ id }) => networks.remove(id),
    'networks.prune': () => networks.prune(),
  };
}
