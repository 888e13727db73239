// Contract part: The VM create wizard: sources (ISO, cloud image + cloud-init, existing disk, kernel boot), defaults, create.
// Spread into api.ts; pure TypeScript plus zod, no node:*, DOM or electron.
import type { MethodSpec, StreamSpec } from './contract';

export const vmCreateMethods = {} as const satisfies Record<string, MethodSpec>;

export const vmCreateStreams = {} as const satisfies Record<string, StreamSpec>;
