// createBackend(config): builds the services and returns the RPC handlers for the one contract.
// Hosted by Electron main and by web mode alike; never imports electron.
import type { Api } from '@shared/api';
import { loadConfig, type BackendConfig } from './config';
import { createDockerConnection, type DockerConnectionService } from './docker/connection';
import { createContainerHandlers } from './docker/container-handlers';
import { imageHandlers } from './docker/image-handlers';
import { volumeNetworkHandlers } from './docker/volume-network-handlers';
import { runCommand, type CommandRunner } from './exec';
import { createSettingsStore } from './settings';
import { createHostDoctor } from './host/doctor';
import type { RpcHandlers } from './rpc-server';

export interface Backend {
  handlers: RpcHandlers<Api>;
  /** The Docker connection every Docker service reaches the engine through. */
  docker: DockerConnectionService;
  /** Ends the engine subscriptions and every stream still open; the host calls it on exit. */
  dispose(): void;
}

export interface BackendOptions {
  config?: BackendConfig;
  run?: CommandRunner;
}

export function createBackend(options: BackendOptions = {}): Backend {
  const config = options.config ?? loadConfig();
  const doctor = createHostDoctor(config, options.run ?? runCommand);
  const settings = createSettingsStore(config.paths.settingsFile);
  const docker = createDockerConnection(config, { settings });
  const containers = createContainerHandlers(docker);
  const images = imageHandlers(docker, docker.signal);
  return {
    handlers: {
      methods: {
        'host.report': (_args, context) => doctor.report(context.signal),
        ...containers.methods,
        ...images.methods,
        ...volumeNetworkHandlers(docker),
      },
      streams: {
        ...containers.streams,
        ...images.streams,
      },
    },
    docker,
    dispose: () => docker.dispose(),
  };
}
