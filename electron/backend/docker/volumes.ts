// The volumes service: list with the containers that mount each, create (refusing an existing name), remove
// (naming the containers that hold it) and prune. Never imports electron.
import type Docker from 'dockerode';
import { AppError } from '@shared/errors';
import type { PruneResult, VolumeSummary } from '@shared/docker-types';
import type { DockerAccess } from './docker-access';
import { dockerError, dockerStatus } from './docker-errors';

/** A container's name as the CLI shows it (the API prefixes it with "/"). */
export function containerName(container: Docker.ContainerInfo): string {
  return (container.Names[0] ?? container.Id.slice(0, 12)).replace(/^\//, '');
}

function volumeSummary(volume: Docker.VolumeInspectInfo & { CreatedAt?: string }, usedBy: string[]): VolumeSummary {
  return {
    name: volume.Name,
    driver: volume.Driver,
    mountpoint: volume.Mountpoint,
    created: volume.CreatedAt ?? '',
    labels: volume.Labels ?? {},
    scope: volume.Scope,
    usedBy,
  };
}

/** Volume name -> names of the containers (any state) that mount it, from one list call. */
async function volumeUsers(docker: Docker, only?: string): Promise<Map<string, string[]>> {
  const containers = await docker.listContainers({ all: true, ...(only ? { filters: { volume: [only] } } : {}) });
  const users = new Map<string, string[]>();
  for (const container of containers) {
    for (const mount of container.Mounts) {
      if (mount.Type !== 'volume' || !mount.Name) continue;
      users.set(mount.Name, [...(users.get(mount.Name) ?? []), containerName(container)]);
    }
  }
  return users;
}

export interface VolumeService {
  list(): Promise<VolumeSummary[]>;
  create(name: string, labels: Record<string, string>): Promise<VolumeSummary>;
  remove(name: string, force: boolean): Promise<void>;
  prune(): Promise<PruneResult>;
}

export function createVolumeService(access: DockerAccess): VolumeService {
  return {
    list: () =>
      access.withEngine('Listing volumes', async (docker) => {
        const [{ Volumes }, users] = await Promise.all([docker.listVolumes(), volumeUsers(docker)]);
        return (Volumes ?? []).map((volume) => volumeSummary(volume, users.get(volume.Name) ?? []));
      }),

    // The engine's create returns an existing volume of that name as if it were new: check first.
    create: (name, labels) => {
      const action = `Creating volume ${name}`;
      return access.withEngine(action, async (docker) => {
        const existing = await docker
          .getVolume(name)
          .inspect()
          .then(
            () => true,
            (error: unknown) => {
              if (dockerStatus(error) === 404) return false;
              throw error;
            },
          );
        if (existing) {
          throw new AppError('CONFLICT', `${action}: a volume named ${name} already exists`, {
            fix: { text: 'Choose another name, or use the existing volume.' },
          });
        }
        const volume = await docker.createVolume({ Name: name, Labels: labels });
        return volumeSummary(await volume.inspect(), []);
      });
    },

    remove: (name, force) => {
      const action = `Removing volume ${name}`;
      return access.withEngine(action, async (docker) => {
        try {
          await docker.getVolume(name).remove({ force });
        } catch (error) {
          if (dockerStatus(error) !== 409) throw error;
          const users = (await volumeUsers(docker, name).catch(() => new Map<string, string[]>())).get(name) ?? [];
          if (users.length === 0) throw error;
          throw new AppError('CONFLICT', `${action}: it is used by ${users.length === 1 ? 'container' : 'containers'} ${users.join(', ')}`, {
            detail: dockerError(error, action).detail,
            cause: error,
            fix: { text: `Remove ${users.length === 1 ? 'that container' : 'those containers'} first; a volume in use cannot be removed, even with force.` },
          });
        }
      });
    },

    prune: () =>
      access.withEngine('Pruning unused volumes', async (docker) => {
        const result = await docker.pruneVolumes();
        return { deleted: result.VolumesDeleted ?? [], spaceReclaimed: result.SpaceReclaimed ?? 0 };
      }),
  };
}
