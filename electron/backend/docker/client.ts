// Makes a dockerode client for an endpoint address (unix://, tcp://, ssh://), and probes an endpoint:
// does it answer, and if not, why (missing socket, refused, permission denied, timeout). Never imports electron.
import fs from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import type { DockerEndpointState } from '@shared/types';
import { errnoOf, messageOf } from '../app-errors';
import type { BackendConfig } from '../config';

export function dockerodeOptions(address: string, env: BackendConfig['env'], home: string): Docker.DockerOptions {
  const url = new URL(address);
  switch (url.protocol) {
    case 'unix:':
      return { socketPath: decodeURIComponent(url.pathname) };
    case 'tcp:':
    case 'http:':
    case 'https:': {
      const tls = url.protocol === 'https:' || (env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '' && env.DOCKER_TLS_VERIFY !== '0');
      const options: Docker.DockerOptions = {
        host: url.hostname,
        port: url.port || (tls ? '2376' : '2375'),
        protocol: tls ? 'https' : 'http',
      };
      if (tls) {
        const certDir = env.DOCKER_CERT_PATH ?? path.join(home, '.docker');
        const read = (name: string) => fs.readFileSync(path.join(certDir, name));
        return { ...options, ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
      }
      return options;
    }
    case 'ssh:':
      return {
        protocol: 'ssh',
        host: url.hostname,
        port: url.port || '22',
        ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
        ...(env.SSH_AUTH_SOCK ? { sshOptions: { agent: env.SSH_AUTH_SOCK } } : {}),
      };
    default:
      throw new Error(`unsupported Docker endpoint scheme "${url.protocol}" in ${address} (use unix://, tcp:// or ssh://)`);
  }
}

/**
 * dockerode's ping/version/info take {abortSignal} at runtime (lib/docker.js hands it to docker-modem),
 * which @types/dockerode 4.0.2 does not declare: this is that part of its real surface.
 */
export interface AbortableDocker {
  ping(options: { abortSignal: AbortSignal }): Promise<unknown>;
  version(options: { abortSignal: AbortSignal }): Promise<Docker.DockerVersion>;
  info(options: { abortSignal: AbortSignal }): Promise<unknown>;
}

export function abortable(docker: Docker): AbortableDocker {
  return docker as unknown as AbortableDocker;
}

export interface EndpointProbe {
  state: DockerEndpointState;
  message: string;
  /** The client, when the endpoint answers. */
  docker?: Docker;
}

const stateMessages: Partial<Record<DockerEndpointState, string>> = {
  missing: 'no socket there',
  refused: 'the socket exists but no daemon is listening (it stopped or crashed)',
  'permission-denied': 'permission denied',
};

function stateOf(error: unknown): DockerEndpointState {
  switch (errnoOf(error)) {
    case 'ENOENT':
      return 'missing';
    case 'ECONNREFUSED':
      return 'refused';
    case 'EACCES':
    case 'EPERM':
      return 'permission-denied';
    default:
      return 'error';
  }
}

/** Pings the endpoint; never throws. A ping that takes longer than `timeoutMs` counts as hung. */
export async function probeEndpoint(
  address: string,
  config: Pick<BackendConfig, 'env' | 'identity'>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<EndpointProbe> {
  let docker: Docker;
  try {
    docker = new Docker(dockerodeOptions(address, config.env, config.identity.home));
  } catch (error) {
    return { state: 'error', message: messageOf(error) };
  }
  const timeout = AbortSignal.timeout(timeoutMs);
  const abortSignal = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    await abortable(docker).ping({ abortSignal });
    return { state: 'answers', message: 'answers', docker };
  } catch (error) {
    if (timeout.aborted) return { state: 'timeout', message: `no answer within ${timeoutMs / 1000} s (the daemon may be hung)` };
    const state = stateOf(error);
    return { state, message: stateMessages[state] ?? messageOf(error) };
  }
}
