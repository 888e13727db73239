// Contract part: Terminals and consoles: host shell, container exec, VM serial console, VNC bridge.
// Spread into api.ts; pure TypeScript plus zod, no node:*, DOM or electron.
import type { MethodSpec, StreamSpec } from './contract';

export const terminalMethods = {} as const satisfies Record<string, MethodSpec>;

export const terminalStreams = {} as const satisfies Record<string, StreamSpec>;
