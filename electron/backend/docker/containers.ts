// The container service: list, inspect, top and the lifecycle actions, each failure keeping the engine's words
// and saying what was being done. Reaches the engine only through the connection. Never imports electron.
import type Docker from 'dockerode';
import type { ContainerDetail, ContainerProcesses, ContainerSummary } from '@shared/docker-types';
import { AppError } from '@shared/errors';
import type { DockerConnectionService } from './connection';
import { toContainerDetail, toContainerSummary, type ContainerInspect, type ContainerRow } from './container-summary';
import { dockerStatus } from './docker-errors';

export interface StopOptions {
  timeoutSeconds?: number;
}

export interface RemoveOptions {
  force: boolean;
  volumes: boolean;
}

export interface ContainerService {
  list(signal?: AbortSignal): Promise<ContainerSummary[]>;
  inspect(id: string, signal?: AbortSignal): Promise<ContainerDetail>;
  top(id: string, signal?: AbortSignal): Promise<ContainerProcesses>;
  start(id: string): Promise<void>;
  stop(id: string, options?: StopOptions): Promise<void>;
  restart(id: string, options?: StopOptions): Promise<void>;
  pause(id: string): Promise<void>;
  unpause(id: string): Promise<void>;
  kill(id: string, signal?: string): Promise<void>;
  remove(id: string, options: RemoveOptions): Promise<void>;
  rename(id: string, name: string): Promise<void>;
}

/** How a container is named in messages: its name, or a long id cut to the 12 characters `docker ps` shows. */
export function containerLabel(id: string): string {
  return /^[0-9a-f]{64}$/.test(id) ? id.slice(0, 12) : id;
}

function notModified(error: unknown): boolean {
  return dockerStatus(error) === 304;
}

export function createContainerService(connection: DockerConnectionService): ContainerService {
  const act = (action: string, id: string, work: (container: Docker.Container) => Promise<unknown>) =>
    connection.withEngine(`${action} container ${containerLabel(id)}`, async (docker) => {
      try {
        await work(docker.getContainer(id));
      } catch (error) {
        // "Already started" / "already stopped": what was asked for is true.
        if (!notModified(error)) throw error;
      }
    });

  async function summaryOf(docker: Docker, id: string, signal?: AbortSignal): Promise<ContainerSummary | undefined> {
    const rows = (await docker.listContainers({ all: true, filters: { id: [id] }, ...(signal ? { abortSignal: signal } : {}) })) as ContainerRow[];
    const row = rows.find((candidate) => candidate.Id === id);
    return row ? toContainerSummary(row) : undefined;
  }

  return {
    list: (signal) =>
      connection.withEngine('Listing containers', async (docker) => {
        const rows = (await docker.listContainers({ all: true, ...(signal ? { abortSignal: signal } : {}) })) as ContainerRow[];
        return rows.map(toContainerSummary);
      }),

    inspect: (id, signal) =>
      connection.withEngine(`Inspecting container ${containerLabel(id)}`, async (docker) => {
        const inspect = (await docker.getContainer(id).inspect(signal ? { abortSignal: signal } : {})) as unknown as ContainerInspect;
        // The list row has what inspect lacks (the status text, ports as published); read it by the full id.
        const summary = await summaryOf(docker, inspect.Id, signal);
        if (!summary) throw new AppError('NOT_FOUND', `Inspecting container ${containerLabel(id)}: it was removed meanwhile`);
        return toContainerDetail(summary, inspect);
      }),

    top: (id, signal) =>
      connection.withEngine(`Listing the processes of container ${containerLabel(id)}`, async (docker) => {
        const top = (await docker.getContainer(id).top(signal ? { abortSignal: signal } : {})) as { Titles?: string[] | null; Processes?: string[][] | null };
        return { titles: top.Titles ?? [], processes: top.Processes ?? [] };
      }),

    start: (id) => act('Starting', id, (container) => container.start()),
    stop: (id, options = {}) =>
      act('Stopping', id, (container) => container.stop(options.timeoutSeconds === undefined ? {} : { t: options.timeoutSeconds })),
    restart: (id, options = {}) =>
      act('Restarting', id, (container) => container.restart(options.timeoutSeconds === undefined ? {} : { t: options.timeoutSeconds })),
    pause: (id) => act('Pausing', id, (container) => container.pause()),
    unpause: (id) => act('Resuming', id, (container) => container.unpause()),
    kill: (id, signal) => act('Killing', id, (container) => container.kill(signal === undefined ? {} : { signal })),
    remove: (id, options) => act('Removing', id, (container) => container.remove({ force: options.force, v: options.volumes })),
    rename: (id, name) => act('Renaming', id, (container) => container.rename({ name })),
  };
}
