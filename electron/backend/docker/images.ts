// The images service: list (with how many containers use each), inspect with history, remove, tag and prune
// dangling images, every engine error mapped with dockerError. Never imports electron.
import type Docker from 'dockerode';
import { AppError, type Fix } from '@shared/errors';
import type { ImageDetail, ImageLayer, ImageSummary, PruneEstimate, PruneResult } from '@shared/docker-types';
import type { DockerAccess } from './docker-access';
import { dockerStatus, engineMessage } from './docker-errors';

/** The engine's placeholders for "no tag" / "no digest". */
const untagged = new Set(['<none>:<none>', '<none>@<none>']);

const realNames = (names: string[] | null | undefined): string[] => (names ?? []).filter((name) => !untagged.has(name));

/** How many containers (any state) use each image id, from one list call. */
async function containersPerImage(docker: Docker): Promise<Map<string, number>> {
  const containers = await docker.listContainers({ all: true });
  const counts = new Map<string, number>();
  for (const container of containers) counts.set(container.ImageID, (counts.get(container.ImageID) ?? 0) + 1);
  return counts;
}

function summary(image: Docker.ImageInfo, counts: Map<string, number>): ImageSummary {
  const tags = realNames(image.RepoTags);
  return {
    id: image.Id,
    tags,
    digests: realNames(image.RepoDigests),
    size: image.Size,
    created: image.Created,
    containers: counts.get(image.Id) ?? 0,
    dangling: tags.length === 0,
  };
}

interface HistoryEntry {
  Id?: string;
  Created?: number;
  CreatedBy?: string;
  Size?: number;
  Comment?: string;
  Tags?: string[] | null;
}

/** One image in /system/df: SharedSize is what it shares with other images (-1 when not computed). */
interface DiskUsageImage {
  Id: string;
  RepoTags?: string[] | null;
  Size: number;
  SharedSize: number;
  Containers: number;
}

function layer(entry: HistoryEntry): ImageLayer {
  return {
    id: entry.Id ?? '<missing>',
    created: entry.Created ?? 0,
    createdBy: entry.CreatedBy ?? '',
    size: entry.Size ?? 0,
    comment: entry.Comment ?? '',
    tags: realNames(entry.Tags),
  };
}

const list = (value: string[] | string | null | undefined): string[] => (value === null || value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Splits repository[:tag] (the registry may carry a port: 127.0.0.1:5000/app); no tag means latest. */
export function splitTarget(target: string): { repo: string; tag: string } {
  if (target.includes('@')) {
    throw new AppError('INVALID_ARGUMENT', `Cannot tag with a digest: ${target}`, { fix: { text: 'Give the new name as repository[:tag], without @sha256:….' } });
  }
  const colon = target.lastIndexOf(':');
  if (colon > target.lastIndexOf('/')) return { repo: target.slice(0, colon), tag: target.slice(colon + 1) };
  return { repo: target, tag: 'latest' };
}

/** The fix for a 409 from image removal, from the engine's reason. */
function removalFix(text: string): Fix | undefined {
  if (/cannot be forced/i.test(text)) {
    return { text: 'A running container uses this image: stop and remove that container first (force does not apply to running containers).' };
  }
  if (/referenced in multiple repositories/i.test(text)) {
    return { text: 'The image has several names: remove them one by one, or remove with force to delete every name.' };
  }
  if (/container .* is using/i.test(text) || /being used/i.test(text)) {
    return { text: 'Stop and remove the container first, or remove with force.' };
  }
  return undefined;
}

export interface ImageService {
  list(): Promise<ImageSummary[]>;
  inspect(id: string): Promise<ImageDetail>;
  remove(id: string, force: boolean): Promise<void>;
  tag(id: string, target: string): Promise<void>;
  pruneEstimate(): Promise<PruneEstimate>;
  prune(): Promise<PruneResult>;
}

export function createImageService(access: DockerAccess): ImageService {
  const listImages = (): Promise<ImageSummary[]> =>
    access.withEngine('Listing images', async (docker) => {
      const [images, counts] = await Promise.all([docker.listImages(), containersPerImage(docker)]);
      return images.map((image) => summary(image, counts));
    });

  return {
    list: listImages,

    inspect: (id) =>
      access.withEngine(`Inspecting image ${id}`, async (docker) => {
        const image = docker.getImage(id);
        const [info, history, counts] = await Promise.all([image.inspect(), image.history() as Promise<HistoryEntry[]>, containersPerImage(docker)]);
        const config = info.Config;
        const tags = realNames(info.RepoTags);
        return {
          id: info.Id,
          tags,
          digests: realNames(info.RepoDigests),
          size: info.Size,
          created: Math.floor(Date.parse(info.Created) / 1000),
          containers: counts.get(info.Id) ?? 0,
          dangling: tags.length === 0,
          architecture: info.Architecture,
          os: info.Os,
          config: {
            cmd: list(config.Cmd),
            entrypoint: list(config.Entrypoint as string[] | string | null | undefined),
            env: list(config.Env),
            workingDir: config.WorkingDir ?? '',
            user: config.User ?? '',
            exposedPorts: Object.keys(config.ExposedPorts ?? {}),
          },
          rootFsLayers: info.RootFS.Layers ?? [],
          history: history.map(layer),
          raw: info,
        };
      }),

    remove: (id, force) =>
      access.withEngine(
        `Removing image ${id}`,
        async (docker) => {
          await docker.getImage(id).remove({ force });
        },
        (error) => (dockerStatus(error) === 409 ? removalFix(engineMessage(error)) : undefined),
      ),

    tag: (id, target) => {
      const { repo, tag } = splitTarget(target);
      return access.withEngine(`Tagging image ${id} as ${repo}:${tag}`, async (docker) => {
        await docker.getImage(id).tag({ repo, tag });
      });
    },

    // What `image prune` (dangling only) removes, and the bytes only those images hold: /system/df gives each
    // image's size shared with other images, which stays (API 1.41 has no shared-size on /images/json).
    pruneEstimate: () =>
      access.withEngine('Estimating what pruning dangling images frees', async (docker) => {
        const usage = (await docker.df()) as { Images?: DiskUsageImage[] | null };
        const prunable = (usage.Images ?? []).filter((image) => realNames(image.RepoTags).length === 0 && image.Containers <= 0);
        return { count: prunable.length, size: prunable.reduce((sum, image) => sum + Math.max(0, image.Size - Math.max(0, image.SharedSize)), 0) };
      }),

    // The engine lists layers among what it deleted: count the images that were dangling before.
    prune: () =>
      access.withEngine('Pruning dangling images', async (docker) => {
        const dangling = new Set((await docker.listImages({ filters: { dangling: ['true'] } })).map((image) => image.Id));
        const result = await docker.pruneImages({ filters: { dangling: ['true'] } });
        const deleted = (result.ImagesDeleted ?? []).flatMap((item) => (item.Deleted && dangling.has(item.Deleted) ? [item.Deleted] : []));
        return { deleted, spaceReclaimed: result.SpaceReclaimed ?? 0 };
      }),
  };
}
