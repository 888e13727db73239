// The networks service: list with the containers attached to each, create (refusing a duplicate name),
// remove (not the built-in ones; naming the containers that hold it) and prune. Never imports electron.
import type Docker from 'dockerode';
import { AppError } from '@shared/errors';
import type { NetworkSummary, PruneResult } from '@shared/docker-types';
import type { DockerAccess } from './docker-access';
import { dockerError, dockerStatus, engineMessage } from './docker-errors';
import { containerName } from './volumes';

/** The engine's predefined networks: they exist as long as the engine does and cannot be removed. */
export const builtInNetworks: ReadonlySet<string> = new Set(['bridge', 'host', 'none']);

function networkSummary(network: Docker.NetworkInspectInfo, usedBy: string[]): NetworkSummary {
  return {
    id: network.Id,
    name: network.Name,
    driver: network.Driver,
    scope: network.Scope,
    internal: network.Internal,
    subnets: (network.IPAM?.Config ?? []).flatMap((config) => (config.Subnet ? [config.Subnet] : [])),
    created: network.Created,
    labels: network.Labels ?? {},
    usedBy,
    builtIn: builtInNetworks.has(network.Name),
  };
}

/** Network name -> names of the containers (any state) attached to it, from one list call. */
async function networkUsers(docker: Docker): Promise<Map<string, string[]>> {
  const users = new Map<string, string[]>();
  for (const container of await docker.listContainers({ all: true })) {
    for (const network of Object.keys(container.NetworkSettings.Networks ?? {})) {
      users.set(network, [...(users.get(network) ?? []), containerName(container)]);
    }
  }
  return users;
}

// Docker 20.10 answers 403 Forbidden for a request that clashes with the engine's state, not a lack of rights.
const conflictTexts = [/active endpoints/i, /overlaps/i, /already exists/i, /in use/i];

function networkError(error: unknown, action: string): AppError {
  const text = engineMessage(error);
  if (dockerStatus(error) === 403 && conflictTexts.some((pattern) => pattern.test(text))) {
    const fix = /overlaps/i.test(text) ? { fix: { text: 'Choose a subnet no other network uses, or leave it empty so the engine picks one.' } } : {};
    return new AppError('CONFLICT', `${action}: ${text}`, { detail: dockerError(error, action).detail, cause: error, ...fix });
  }
  return dockerError(error, action);
}

export interface NetworkService {
  list(): Promise<NetworkSummary[]>;
  create(options: { name: string; internal: boolean; subnet?: string | undefined; labels: Record<string, string> }): Promise<NetworkSummary>;
  remove(id: string): Promise<void>;
  prune(): Promise<PruneResult>;
}

export function createNetworkService(access: DockerAccess): NetworkService {
  return {
    list: () =>
      access.withEngine('Listing networks', async (docker) => {
        const [networks, users] = await Promise.all([docker.listNetworks(), networkUsers(docker)]);
        return networks.map((network) => networkSummary(network, users.get(network.Name) ?? []));
      }),

    // Docker 20.10 creates a second network with a name already taken unless asked not to: check first.
    create: ({ name, internal, subnet, labels }) => {
      const action = `Creating network ${name}`;
      return access.withEngine(action, async (docker) => {
        try {
          const existing = await docker.listNetworks({ filters: { name: [name] } });
          if (existing.some((network) => network.Name === name)) {
            throw new AppError('CONFLICT', `${action}: a network named ${name} already exists`, {
              fix: { text: 'Choose another name, or use the existing network.' },
            });
          }
          const network = await docker.createNetwork({
            Name: name,
            Driver: 'bridge',
            CheckDuplicate: true,
            Internal: internal,
            Labels: labels,
            ...(subnet ? { IPAM: { Driver: 'default', Config: [{ Subnet: subnet }] } } : {}),
          });
          return networkSummary((await network.inspect()) as Docker.NetworkInspectInfo, []);
        } catch (error) {
          throw networkError(error, action);
        }
      });
    },

    remove: (id) =>
      access.withEngine(`Removing network ${id}`, async (docker) => {
        const network = docker.getNetwork(id);
        const info = (await network.inspect()) as Docker.NetworkInspectInfo;
        // Messages name the network as the user sees it, also when it was asked for by its long id.
        const action = `Removing network ${info.Name}`;
        if (builtInNetworks.has(info.Name)) {
          throw new AppError('INVALID_ARGUMENT', `${action}: ${info.Name} is one of the engine's built-in networks and cannot be removed`);
        }
        try {
          await network.remove();
        } catch (error) {
          const appError = networkError(error, action);
          const users = Object.values(info.Containers ?? {}).map((container) => container.Name);
          if (appError.code !== 'CONFLICT' || users.length === 0) throw appError;
          throw new AppError('CONFLICT', `${action}: ${users.join(', ')} ${users.length === 1 ? 'is' : 'are'} still attached to it`, {
            detail: appError.detail,
            cause: error,
            fix: { text: `Disconnect or remove ${users.length === 1 ? 'that container' : 'those containers'} first.` },
          });
        }
      }),

    prune: () =>
      access.withEngine('Pruning unused networks', async (docker) => {
        const result = await docker.pruneNetworks();
        return { deleted: result.NetworksDeleted ?? [], spaceReclaimed: 0 };
      }),
  };
}
