// createBackend(config): builds the services and returns the RPC handlers for the one contract.
// Hosted by Electron main and by web mode alike; never imports electron.
import type { Api } from '@shared/api';
import { createCompareHandlers } from './compare/compare-handlers';
import { loadConfig, type BackendConfig } from './config';
import { createDockerConnection, type DockerConnectionService } from './docker/connection';
import { createContainerHandlers } from './docker/container-handlers';
import { imageHandlers } from './docker/image-handlers';
import { volumeNetworkHandlers } from './docker/volume-network-handlers';
import { runCommand, type CommandRunner } from './exec';
import { createSettingsStore } from './settings';
import { createHostDoctor } from './host/doctor';
import { createVmCreateHandlers } from './libvirt/vm-create-handlers';
import { createVmHandlers } from './libvirt/vm-handlers';
import type { RpcHandlers } from './rpc-server';
import { createTerminalHandlers } from './terminal/terminal-handlers';
import type { VncBridge } from './terminal/vnc-bridge';

export interface Backend {
  handlers: RpcHandlers<Api>;
  /** The Docker connection every Docker service reaches the engine through. */
  docker: DockerConnectionService;
  /** The VNC console bridge: web mode hands it the WebSockets that claim a ticket. */
  vnc: VncBridge;
  /** Terminal sessions alive now (leak checks). */
  readonly terminalSessions: number;
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
  const terminals = createTerminalHandlers(config, docker);
  const vms = createVmHandlers(config, settings, options.run ? { run: options.run } : {});
  const vmCreation = new AbortController();
  const vmCreate = createVmCreateHandlers(config, options.run ?? runCommand, vmCreation.signal);
  const compare = createCompareHandlers(config, docker, vms.connections, settings, options.run ? { run: options.run } : {});
  return {
    handlers: {
      methods: {
        'host.report': (_args, context) => doctor.report(context.signal),
        ...containers.methods,
        ...images.methods,
        ...volumeNetworkHandlers(docker),
        ...terminals.methods,
        ...vms.methods,
        ...vmCreate.methods,
        ...compare.methods,
      },
      streams: {
        ...containers.streams,
        ...images.streams,
        ...terminals.streams,
        ...vms.streams,
        ...vmCreate.streams,
        ...compare.streams,
      },
    },
    docker,
    vnc: terminals.vnc,
    get terminalSessions() {
      return terminals.service.sessions;
    },
    dispose: () => {
      terminals.dispose();
      compare.dispose();
      vms.dispose();
      vmCreation.abort();
      docker.dispose();
    },
  };
}
