// createBackend(config): builds the services and returns the RPC handlers for the one contract.
// Hosted by Electron main and by web mode alike; never imports electron.
import type { Api } from '@shared/api';
import { loadConfig, type BackendConfig } from './config';
import { runCommand, type CommandRunner } from './exec';
import { createHostDoctor } from './host/doctor';
import type { RpcHandlers } from './rpc-server';

export interface Backend {
  handlers: RpcHandlers<Api>;
}

export interface BackendOptions {
  config?: BackendConfig;
  run?: CommandRunner;
}

export function createBackend(options: BackendOptions = {}): Backend {
  const config = options.config ?? loadConfig();
  const doctor = createHostDoctor(config, options.run ?? runCommand);
  return {
    handlers: {
      methods: {
        'host.report': (_args, context) => doctor.report(context.signal),
      },
      streams: {},
    },
  };
}
