// containers.create: the run wizard's spec turned into the Engine API create body `docker run` would send,
// then create and start; on any failure the container and the named volumes it made are removed again, and the
// engine's reason is what the user reads. Never imports electron.
import type Docker from 'dockerode';
import { parseByteSize, type RunSpec } from '@shared/docker-schemas';
import type { CreatedContainer } from '@shared/docker-types';
import { AppError } from '@shared/errors';
import type { DockerConnectionService } from './connection';
import { engineCall } from './container-requests';
import { containerLabel } from './containers';
import { dockerError, dockerStatus, engineMessage } from './docker-errors';

/** The POST /containers/create body (without the name, which is a query parameter). */
export interface CreateBody {
  Image: string;
  Cmd?: string[];
  Entrypoint?: string[];
  Env: string[];
  WorkingDir?: string;
  User?: string;
  Labels: Record<string, string>;
  ExposedPorts: Record<string, Record<string, never>>;
  Tty: boolean;
  OpenStdin: boolean;
  AttachStdin: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  StdinOnce: boolean;
  HostConfig: {
    PortBindings: Record<string, { HostIp: string; HostPort: string }[]>;
    Mounts: { Type: 'volume' | 'bind'; Source: string; Target: string; ReadOnly: boolean }[];
    NetworkMode: string;
    RestartPolicy: { Name: string; MaximumRetryCount: number };
    AutoRemove: boolean;
    NanoCpus?: number;
    Memory?: number;
    PidsLimit?: number;
  };
}

/** What `docker run -d` sends for the same options (the CLI's own mapping, checked against `docker inspect`). */
export function createBody(spec: RunSpec): CreateBody {
  const exposed: CreateBody['ExposedPorts'] = {};
  const bindings: CreateBody['HostConfig']['PortBindings'] = {};
  for (const port of spec.ports) {
    const key = `${port.containerPort}/${port.protocol}`;
    exposed[key] = {};
    // An empty HostIp publishes on every address; an empty HostPort lets the engine pick a free one.
    (bindings[key] ??= []).push({ HostIp: port.hostIp, HostPort: port.hostPort === undefined ? '' : String(port.hostPort) });
  }
  const memory = spec.memory === undefined ? undefined : parseByteSize(spec.memory);
  return {
    Image: spec.image,
    ...(spec.command ? { Cmd: spec.command } : {}),
    ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
    Env: spec.env.map(({ key, value }) => `${key}=${value}`),
    ...(spec.workingDir ? { WorkingDir: spec.workingDir } : {}),
    ...(spec.user ? { User: spec.user } : {}),
    Labels: Object.fromEntries(spec.labels.map(({ key, value }) => [key, value])),
    ExposedPorts: exposed,
    Tty: spec.tty,
    OpenStdin: spec.interactive,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    StdinOnce: false,
    HostConfig: {
      PortBindings: bindings,
      Mounts: spec.mounts.map((mount) => ({ Type: mount.kind, Source: mount.source, Target: mount.target, ReadOnly: mount.readOnly })),
      NetworkMode: spec.network ?? 'default',
      RestartPolicy: { Name: spec.restart, MaximumRetryCount: spec.maxRetries ?? 0 },
      AutoRemove: spec.autoRemove,
      ...(spec.cpus === undefined ? {} : { NanoCpus: Math.round(spec.cpus * 1e9) }),
      ...(memory === undefined ? {} : { Memory: memory }),
      ...(spec.pidsLimit === undefined ? {} : { PidsLimit: spec.pidsLimit }),
    },
  };
}

async function exists(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return true;
  } catch (error) {
    if (dockerStatus(error) === 404) return false;
    throw error;
  }
}

async function ignoreGone(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    // Gone already (auto-remove) or being removed by the engine itself: nothing left for us to do.
    const status = dockerStatus(error);
    if (status !== 404 && status !== 409) throw error;
  }
}

/** Removes what a failed create left: the container with its anonymous volumes, and the named volumes it made. */
async function undo(docker: Docker, id: string | undefined, newVolumes: string[]): Promise<void> {
  if (id !== undefined) await ignoreGone(() => docker.getContainer(id).remove({ force: true, v: true }));
  for (const name of newVolumes) await ignoreGone(() => docker.getVolume(name).remove());
}

export function createContainerCreator(connection: DockerConnectionService) {
  return async function create(spec: RunSpec, start: boolean): Promise<CreatedContainer> {
    const what = spec.name ?? spec.image;
    return connection.withEngine(`Creating container ${what}`, async (docker) => {
      const namedVolumes = [...new Set(spec.mounts.filter((mount) => mount.kind === 'volume').map((mount) => mount.source))];
      const volumesHere = await Promise.all(namedVolumes.map((name) => exists(() => docker.getVolume(name).inspect())));
      const newVolumes = namedVolumes.filter((_name, index) => !volumesHere[index]);
      let id: string | undefined;
      let action = `Creating container ${what}`;
      try {
        const created = await engineCall<{ Id: string; Warnings?: string[] | null }>(docker, {
          path: '/containers/create',
          method: 'POST',
          query: { name: spec.name },
          body: createBody(spec),
          ok: [200, 201],
        });
        id = created.Id;
        // Read before starting: an auto-removed container may be gone right after it runs.
        const name = spec.name ?? ((await docker.getContainer(id).inspect()).Name ?? '').replace(/^\//, '');
        if (start) {
          action = `Starting container ${name || containerLabel(id)}`;
          await docker.getContainer(id).start();
        }
        return { id, name, warnings: created.Warnings ?? [] };
      } catch (error) {
        try {
          await undo(docker, id, newVolumes);
        } catch (cleanup) {
          const reason = dockerError(error, action);
          throw new AppError(reason.code, reason.message, {
            detail: `${reason.detail ?? ''}\nRemoving what was created also failed: ${dockerError(cleanup, 'Cleaning up').message}`.trim(),
            fix: { text: `Remove the container by hand: docker rm -f ${spec.name ?? id ?? ''}`.trim() },
            cause: error,
          });
        }
        // The engine refuses an image that is not here before it makes anything, so the app need not ask first.
        if (id === undefined && dockerStatus(error) === 404 && /no such image/i.test(engineMessage(error))) {
          throw new AppError('NOT_FOUND', `Image ${spec.image} is not here: pull it first`, {
            detail: engineMessage(error),
            fix: { text: `Pull ${spec.image} on the Images page, then run the container again.`, command: `docker pull ${spec.image}` },
          });
        }
        throw dockerError(error, action);
      }
    });
  };
}
