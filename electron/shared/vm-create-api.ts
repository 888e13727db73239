// Contract part: The VM create wizard: sources (ISO, cloud image + cloud-init, existing disk, kernel boot), defaults, create.
// Spread into api.ts; pure TypeScript plus zod, no node:*, DOM or electron.
import { z } from 'zod';
import { method, stream, type MethodSpec, type StreamSpec } from './contract';
import { osIdSchema, vmCreateSpecSchema } from './vm-create-schemas';
import type { OsList, VmCreateCheck, VmCreateOptions, VmCreateProgress, VmOsDefaults } from './vm-create-types';
import { connectionUriSchema } from './vm-schemas';

export const vmCreateMethods = {
  /** The connection's domain type (KVM or TCG and why), host limits, UEFI, tools, networks, pools and taken names. */
  'vmCreate.options': method<VmCreateOptions>()(z.strictObject({ uri: connectionUriSchema })),
  /** Operating systems osinfo-db knows (osinfo-query), for the OS choice. */
  'vmCreate.osList': method<OsList>()(z.strictObject({})),
  /** Defaults for an OS (none: generic), from osinfo-db when installed. */
  'vmCreate.osDefaults': method<VmOsDefaults>()(z.strictObject({ osId: osIdSchema.optional() })),
  /** Checks the spec against the host (names, memory, pool space, paths) without creating anything. */
  'vmCreate.check': method<VmCreateCheck>()(z.strictObject({ spec: vmCreateSpecSchema })),
} as const satisfies Record<string, MethodSpec>;

export const vmCreateStreams = {
  /**
   * Create the VM: progress events (download bytes included), ending with step 'done'. On any failure, or when
   * unsubscribed before 'done', everything made so far (download, volumes, seed, definition) is removed first.
   */
  'vmCreate.create': stream<VmCreateProgress>()(z.strictObject({ spec: vmCreateSpecSchema })),
} as const satisfies Record<string, StreamSpec>;
