// Contract part: the Compare lab: probes in the host, a container and a VM, the host's view of both, the start-time
// race and the guided experiments. Spread into api.ts; pure TypeScript plus zod, no node:*, DOM or electron.
import { z } from 'zod';
import { method, stream, type MethodSpec, type StreamSpec } from './contract';
import { experimentIds, probeIds, type ExperimentEvent, type HostView, type ProbeEvent, type RaceEvent } from './compare-types';
import { containerIdSchema, imageIdOrReferenceSchema } from './docker-schemas';
import { domainRefSchema } from './vm-schemas';
import { vmSshInputSchema, type VmSshConfig } from './vm-ssh-schemas';

/** The label every container the lab starts carries, so the lab can find and remove exactly those. */
export const labContainerLabel = 'io.isolab.compare-lab';

export const compareVmSchema = domainRefSchema;
const subjectsSchema = {
  container: containerIdSchema.optional(),
  vm: compareVmSchema.optional(),
};

export const raceArgsSchema = z.strictObject({
  image: imageIdOrReferenceSchema,
  vm: compareVmSchema,
  runs: z.number().int().min(1, 'Run the race at least once.').max(10, 'At most 10 runs.').default(3),
});

export const compareMethods = {
  /** Start a long-running lab container from this image (labelled, no ports, no mounts) for the probes. */
  'compare.launchContainer': method<{ id: string; name: string }>()(z.strictObject({ image: imageIdOrReferenceSchema })),
  /** Remove every container the lab started (running or not); how many went. */
  'compare.cleanup': method<{ removed: number }>()(z.strictObject({})),
  /** The container's processes and the VM's qemu process as the host sees them, memory and disk footprints. */
  'compare.hostView': method<HostView>()(z.strictObject(subjectsSchema)),
  /** How the lab logs in to this VM over SSH (used when neither its guest agent nor its serial console can), or null. */
  'compare.vmSsh': method<VmSshConfig | null>()(z.strictObject({ vm: compareVmSchema })),
  /** Saves (null: removes) how the lab logs in to this VM over SSH; returns what is now saved. */
  'compare.setVmSsh': method<VmSshConfig | null>()(z.strictObject({ vm: compareVmSchema, ssh: vmSshInputSchema.nullable() })),
} as const satisfies Record<string, MethodSpec>;

export const compareStreams = {
  /**
   * Run the probes (all when none are named) on the host and in each subject given: first the subjects, then one
   * 'run' event per probe and subject as each finishes, then 'done'. Unsubscribing stops the runs still going.
   */
  'compare.probe': stream<ProbeEvent>()(z.strictObject({ ...subjectsSchema, probes: z.array(z.enum(probeIds)).min(1).optional() })),
  /**
   * Start a fresh container from the image and the shut-off VM, `runs` times each, timing every phase; each
   * container is removed and the VM forced off after its run, so both end as they began.
   */
  'compare.race': stream<RaceEvent>()(raceArgsSchema),
  /**
   * A guided experiment: its steps' commands and output as they run, then its findings. Anything it starts runs
   * inside limits it sets, ends by itself, and is removed when it ends or is unsubscribed.
   */
  'compare.experiment': stream<ExperimentEvent>()(
    z.strictObject({ id: z.enum(experimentIds), image: imageIdOrReferenceSchema.optional(), ...subjectsSchema }),
  ),
} as const satisfies Record<string, StreamSpec>;
