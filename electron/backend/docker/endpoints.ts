// Where a Docker Engine API may be found, in the order the docker CLI and Isolab try them: DOCKER_HOST, the
// current docker context (~/.docker), the rootful socket, the rootless socket, the Podman sockets.
// Plain Node; never imports electron.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { DockerEndpointSource } from '@shared/types';
import type { BackendConfig } from '../config';
import { readOptional } from '../host/host-files';

export interface DockerEndpoint {
  source: DockerEndpointSource;
  /** unix:///path, tcp://host:port, ssh://user@host */
  address: string;
  contextName?: string;
}

export interface DockerContextProblem {
  contextName: string;
  message: string;
}

function dockerConfigDir(config: BackendConfig): string {
  return config.env.DOCKER_CONFIG ?? path.join(config.identity.home, '.docker');
}

function runtimeDir(config: BackendConfig): string {
  return config.env.XDG_RUNTIME_DIR ?? `/run/user/${config.identity.uid}`;
}

/** The context the CLI would use: DOCKER_CONTEXT, else config.json's currentContext; "default" means none. */
export async function currentContextName(config: BackendConfig): Promise<string | undefined> {
  const fromEnv = config.env.DOCKER_CONTEXT;
  if (fromEnv) return fromEnv === 'default' ? undefined : fromEnv;
  const text = await readOptional(path.join(dockerConfigDir(config), 'config.json'));
  if (!text) return undefined;
  try {
    const current = (JSON.parse(text) as { currentContext?: unknown }).currentContext;
    return typeof current === 'string' && current !== '' && current !== 'default' ? current : undefined;
  } catch {
    return undefined;
  }
}

/** A context's endpoint, from contexts/meta/<sha256 of its name>/meta.json, as the docker CLI stores it. */
export async function contextEndpoint(config: BackendConfig, name: string): Promise<string | DockerContextProblem> {
  const digest = createHash('sha256').update(name).digest('hex');
  const metaFile = path.join(dockerConfigDir(config), 'contexts', 'meta', digest, 'meta.json');
  const text = await readOptional(metaFile);
  if (!text) return { contextName: name, message: `docker context "${name}" is selected but ${metaFile} does not exist` };
  try {
    const host = (JSON.parse(text) as { Endpoints?: { docker?: { Host?: unknown } } }).Endpoints?.docker?.Host;
    if (typeof host === 'string' && host) return host;
    return { contextName: name, message: `docker context "${name}" has no Docker endpoint in ${metaFile}` };
  } catch (error) {
    return { contextName: name, message: `${metaFile} is not valid JSON: ${(error as Error).message}` };
  }
}

export interface EndpointCandidates {
  endpoints: DockerEndpoint[];
  problems: DockerContextProblem[];
}

export async function dockerEndpointCandidates(config: BackendConfig): Promise<EndpointCandidates> {
  const endpoints: DockerEndpoint[] = [];
  const problems: DockerContextProblem[] = [];
  const add = (endpoint: DockerEndpoint) => {
    if (!endpoints.some((known) => known.address === endpoint.address)) endpoints.push(endpoint);
  };
  if (config.env.DOCKER_HOST) add({ source: 'DOCKER_HOST', address: config.env.DOCKER_HOST });
  const context = await currentContextName(config);
  if (context) {
    const endpoint = await contextEndpoint(config, context);
    if (typeof endpoint === 'string') add({ source: 'docker context', address: endpoint, contextName: context });
    else problems.push(endpoint);
  }
  const xdg = runtimeDir(config);
  add({ source: 'rootful socket', address: `unix://${config.docker.rootfulSocket}` });
  add({ source: 'rootless socket', address: `unix://${path.join(xdg, 'docker.sock')}` });
  add({ source: 'Podman socket (rootless)', address: `unix://${path.join(xdg, 'podman', 'podman.sock')}` });
  add({ source: 'Podman socket (rootful)', address: `unix://${config.docker.podmanRootfulSocket}` });
  return { endpoints, problems };
}
