// Contract part: Virtual machines through libvirt: connections, domains, lifecycle, snapshots, stats, storage, networks.
// Spread into api.ts; pure TypeScript plus zod, no node:*, DOM or electron.
import type { MethodSpec, StreamSpec } from './contract';

export const vmMethods = {} as const satisfies Record<string, MethodSpec>;

export const vmStreams = {} as const satisfies Record<string, StreamSpec>;
