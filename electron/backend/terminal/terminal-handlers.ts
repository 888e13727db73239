// The RPC handlers for terminals and consoles: sessions (terminal-service.ts) and the VNC bridge (vnc-bridge.ts).
// Never imports electron.
import type { Api } from '@shared/api';
import type { terminalMethods, terminalStreams } from '@shared/terminal-api';
import type { BackendConfig } from '../config';
import type { DockerAccess } from '../docker/docker-access';
import { runCommand } from '../exec';
import { createVirsh } from '../libvirt/virsh';
import type { MethodHandlers, StreamHandlers } from '../rpc-server';
import { createTerminalService, type TerminalService } from './terminal-service';
import { createVncBridge, type VncBridge } from './vnc-bridge';

export interface TerminalHandlers {
  methods: Pick<MethodHandlers<Api>, keyof typeof terminalMethods>;
  streams: Pick<StreamHandlers<Api>, keyof typeof terminalStreams>;
  service: TerminalService;
  vnc: VncBridge;
  dispose(): void;
}

export function createTerminalHandlers(config: BackendConfig, docker: DockerAccess): TerminalHandlers {
  const virsh = createVirsh(runCommand, { timeoutMs: config.checkTimeoutMs }, { ...process.env, PATH: config.programPath });
  const service = createTerminalService({ config, docker, virsh });
  const vnc = createVncBridge({ virsh });
  return {
    methods: {
      'terminal.open': (args, context) => service.open(args, context),
      'terminal.input': (args, context) => service.input(args.id, args.data, context),
      'terminal.resize': (args, context) => service.resize(args.id, args.cols, args.rows, context),
      'terminal.ack': (args, context) => service.acknowledge(args.id, args.chars, context),
      'terminal.close': (args, context) => service.close(args.id, context),
      'terminal.vncInput': (args, context) => vnc.input(args.session, args.data, context.client),
    },
    streams: {
      'terminal.output': (args, sink, context) => service.output(args.id, sink, context),
      'terminal.vnc': (args, sink, context) => vnc.open(args, sink, context),
    },
    service,
    vnc,
    dispose() {
      service.dispose();
      vnc.dispose();
    },
  };
}
