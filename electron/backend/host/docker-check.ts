// The doctor's Docker section: every candidate endpoint and its state, the one in use (the first that
// answers), the engine's versions and drivers, and whether its kernel is this host's. Never imports electron.
import path from 'node:path';
import type { Fix, WireError } from '@shared/errors';
import type { Check, DockerEndpointFacts, DockerEngineFacts, DockerFacts, Section } from '@shared/types';
import { toAppError } from '../app-errors';
import type { BackendConfig } from '../config';
import { abortable, probeEndpoint, type EndpointProbe } from '../docker/client';
import { dockerEndpointCandidates, type DockerContextProblem, type DockerEndpoint } from '../docker/endpoints';
import {
  addToGroupCommand,
  asAdmin,
  installCommand,
  packages,
  reloginAdvice,
  restartServiceCommand,
  startServiceCommand,
  type FixContext,
} from './fixes';
import { describeAccess, findOnPath, inspectAccess, readOptional, type Accounts, type FileAccess } from './host-files';
import { makeSection } from './section';

export interface ObservedEndpoint {
  endpoint: DockerEndpoint;
  state: EndpointProbe['state'];
  message: string;
  /** For a unix socket that refused this user: who may use it. */
  access?: FileAccess;
}

export type EngineObservation = Omit<DockerEngineFacts, 'hostKernel' | 'runsInVm'>;

export interface DockerObservation {
  endpoints: ObservedEndpoint[];
  contextProblems: DockerContextProblem[];
  engine?: EngineObservation;
  engineError?: WireError;
  hostKernel: string;
  installed: { dockerd: boolean; podman: boolean };
}

interface VersionResponse {
  Version?: string;
  ApiVersion?: string;
  Platform?: { Name?: string };
  Components?: { Name?: string }[];
}

interface InfoResponse {
  ServerVersion?: string;
  Driver?: string;
  CgroupDriver?: string;
  CgroupVersion?: string;
  KernelVersion?: string;
  OperatingSystem?: string;
}

function socketPath(address: string): string | undefined {
  return address.startsWith('unix://') ? address.slice('unix://'.length) : undefined;
}

/** `use`: read the engine facts from this endpoint address instead of the first that answers. */
export async function observeDocker(
  config: BackendConfig,
  accounts: Accounts,
  signal?: AbortSignal,
  use?: string,
): Promise<DockerObservation> {
  const { endpoints, problems } = await dockerEndpointCandidates(config);
  const probes = await Promise.all(
    endpoints.map((endpoint) => probeEndpoint(endpoint.address, config, config.checkTimeoutMs, signal)),
  );
  const observed: ObservedEndpoint[] = await Promise.all(
    endpoints.map(async (endpoint, index) => {
      const probe = probes[index]!;
      const socket = socketPath(endpoint.address);
      const access = probe.state === 'permission-denied' && socket ? await inspectAccess(socket, accounts) : undefined;
      return { endpoint, state: probe.state, message: probe.message, ...(access ? { access } : {}) };
    }),
  );
  const [hostKernel, dockerd, podman] = await Promise.all([
    readOptional(path.join(config.roots.proc, 'sys', 'kernel', 'osrelease')),
    findOnPath('dockerd', config.programPath),
    findOnPath('podman', config.programPath),
  ]);
  const observation: DockerObservation = {
    endpoints: observed,
    contextProblems: problems,
    hostKernel: hostKernel?.trim() ?? 'unknown',
    installed: { dockerd: dockerd !== undefined, podman: podman !== undefined },
  };
  const docker = use === undefined ? probes.find((probe) => probe.docker)?.docker : probes[endpoints.findIndex((endpoint) => endpoint.address === use)]?.docker;
  if (!docker) return observation;
  try {
    const timeout = AbortSignal.timeout(config.checkTimeoutMs);
    const abortSignal = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const [version, info] = (await Promise.all([abortable(docker).version({ abortSignal }), abortable(docker).info({ abortSignal })])) as [
      VersionResponse,
      InfoResponse,
    ];
    const podmanEngine = version.Components?.some((component) => component.Name === 'Podman Engine');
    observation.engine = {
      // Podman fills Platform.Name with its OS ("linux/arm64/debian-11"), not a product name.
      product: podmanEngine ? 'Podman Engine' : version.Platform?.Name || 'Docker Engine',
      serverVersion: version.Version ?? info.ServerVersion ?? 'unknown',
      apiVersion: version.ApiVersion ?? 'unknown',
      operatingSystem: info.OperatingSystem ?? 'unknown',
      storageDriver: info.Driver ?? 'unknown',
      cgroupDriver: info.CgroupDriver ?? 'unknown',
      ...(info.CgroupVersion ? { cgroupVersion: info.CgroupVersion } : {}),
      kernelVersion: info.KernelVersion ?? 'unknown',
    };
  } catch (error) {
    observation.engineError = toAppError(error, 'Reading the engine version').toWire();
  }
  return observation;
}

function endpointName(endpoint: DockerEndpoint): string {
  return endpoint.source === 'docker context' ? `docker context "${endpoint.contextName}"` : endpoint.source;
}

function startDockerFix(observation: DockerObservation, context: FixContext): Fix {
  if (!observation.installed.dockerd) {
    return { text: 'Install the Docker Engine.', command: installCommand(context, packages.docker) };
  }
  return { text: 'Start the Docker daemon.', command: startServiceCommand(context, ['docker'], asAdmin(context, 'service docker start')) };
}

export interface NoEngineVerdict {
  detail: string;
  fix: Fix;
  /** The telling failure is a socket that refuses this user. */
  denied: boolean;
}

/** Why no endpoint answers, and what fixes it, judged from the most telling failure. */
export function noEngineVerdict(observation: DockerObservation, context: FixContext): NoEngineVerdict {
  const failing = observation.endpoints;
  // A configured endpoint that refuses this user is the permission case below (DOCKER_HOST often names the rootful socket).
  const configured = failing.find(
    ({ endpoint, state }) => (endpoint.source === 'DOCKER_HOST' || endpoint.source === 'docker context') && state !== 'permission-denied',
  );
  if (configured) {
    const variable = configured.endpoint.source === 'DOCKER_HOST' ? 'DOCKER_HOST' : 'DOCKER_CONTEXT';
    return {
      denied: false,
      detail: `${endpointName(configured.endpoint)} points to ${configured.endpoint.address}: ${configured.message}.`,
      fix: {
        text: `Start the engine at that address, or stop pointing there: unset ${variable} (or run "docker context use default").`,
        command: configured.endpoint.source === 'DOCKER_HOST' ? 'unset DOCKER_HOST' : 'docker context use default',
      },
    };
  }
  const denied = failing.find(({ state }) => state === 'permission-denied');
  if (denied) {
    const who = denied.access ? ` (${describeAccess(denied.access)})` : '';
    return {
      denied: true,
      detail:
        `${denied.endpoint.address.replace('unix://', '')}${who}: permission denied. Only root and members of the ` +
        `${denied.access?.group ?? 'docker'} group may use it, and ${context.user} is not one of them in this session. ` +
        'Note that the docker group grants root-equivalent access; rootless Docker or Podman avoid that.',
      fix: {
        text: `Add ${context.user} to the ${denied.access?.group ?? 'docker'} group, ${reloginAdvice}.`,
        command: addToGroupCommand(context, denied.access?.group ?? 'docker'),
      },
    };
  }
  const stuck = failing.find(({ state }) => state === 'refused' || state === 'timeout');
  if (stuck) {
    return {
      denied: false,
      detail: `${stuck.endpoint.address}: ${stuck.message}.`,
      fix: {
        text: 'Restart the Docker daemon.',
        command: restartServiceCommand(context, 'docker', asAdmin(context, 'service docker restart')),
      },
    };
  }
  return {
    denied: false,
    detail: observation.installed.dockerd
      ? 'dockerd is installed but not running: none of the sockets exists.'
      : 'No Docker Engine is installed here, and no socket answers.',
    fix: startDockerFix(observation, context),
  };
}

export function assessDocker(observation: DockerObservation, context: FixContext): Section<DockerFacts> {
  const usedIndex = observation.endpoints.findIndex(({ state }) => state === 'answers');
  const used = observation.endpoints[usedIndex];
  const engine: DockerEngineFacts | null = observation.engine
    ? {
        ...observation.engine,
        hostKernel: observation.hostKernel,
        runsInVm: observation.engine.kernelVersion !== observation.hostKernel,
      }
    : null;

  const checks: Check[] = [];
  if (used) {
    checks.push({
      id: 'docker.endpoint',
      label: 'Endpoint in use',
      status: 'ok',
      summary: `${used.endpoint.address} (${endpointName(used.endpoint)}) answers.`,
    });
  } else {
    const verdict = noEngineVerdict(observation, context);
    checks.push({
      id: 'docker.endpoint',
      label: 'Endpoint in use',
      status: 'error',
      summary: 'No Docker endpoint answers, so containers are unavailable.',
      detail: verdict.detail,
      fix: verdict.fix,
    });
  }
  for (const skipped of observation.endpoints.slice(0, Math.max(usedIndex, 0))) {
    if (skipped.endpoint.source !== 'DOCKER_HOST' && skipped.endpoint.source !== 'docker context') continue;
    checks.push({
      id: `docker.configured.${skipped.endpoint.source === 'DOCKER_HOST' ? 'docker-host' : 'context'}`,
      label: endpointName(skipped.endpoint),
      status: 'warning',
      summary: `${skipped.endpoint.address}: ${skipped.message}. Isolab uses ${used?.endpoint.address} instead; the docker CLI would fail.`,
    });
  }
  for (const problem of observation.contextProblems) {
    checks.push({
      id: 'docker.context',
      label: `docker context "${problem.contextName}"`,
      status: 'warning',
      summary: problem.message,
      fix: { text: 'Select a context that exists.', command: 'docker context use default' },
    });
  }
  if (engine) {
    checks.push(
      {
        id: 'docker.engine',
        label: 'Engine',
        status: 'ok',
        summary:
          `${engine.product} ${engine.serverVersion} (API ${engine.apiVersion}) on ${engine.operatingSystem}: ` +
          `${engine.storageDriver} storage, ${engine.cgroupDriver} cgroup driver${engine.cgroupVersion ? `, cgroup v${engine.cgroupVersion}` : ''}.`,
      },
      {
        id: 'docker.kernel',
        label: 'Engine kernel',
        status: 'ok',
        summary: engine.runsInVm
          ? `The engine runs kernel ${engine.kernelVersion}, not this host's ${engine.hostKernel}: it runs inside a VM (as Docker Desktop's does), so containers do not share this host's kernel.`
          : `Same kernel as this host (${engine.hostKernel}): containers share it.`,
      },
    );
  } else if (observation.engineError) {
    checks.push({
      id: 'docker.engine',
      label: 'Engine',
      status: 'error',
      summary: `The engine answers a ping but not a version request: ${observation.engineError.message}.`,
      ...(observation.engineError.detail ? { detail: observation.engineError.detail } : {}),
    });
  }

  const endpoints: DockerEndpointFacts[] = observation.endpoints.map(({ endpoint, state, message, access }, index) => ({
    source: endpoint.source,
    address: endpoint.address,
    ...(endpoint.contextName ? { contextName: endpoint.contextName } : {}),
    state,
    message: access ? `${message} (${describeAccess(access)})` : message,
    used: index === usedIndex,
  }));
  const summary = engine
    ? `${engine.product} ${engine.serverVersion} via ${used?.endpoint.address}`
    : used
      ? `${used.endpoint.address} answers, but the engine's version could not be read`
      : 'No Docker endpoint answers';
  return makeSection(summary, checks, { endpoints, engine });
}
