// The Compare lab's guided experiments (`compare.experiment`): runs one, streaming its steps, then cleans up what
// it made (also on failure or cancel) before its conclusion. Engines and shells come in through ExperimentDeps.
// Never imports electron.
import { labContainerLabel } from '@shared/compare-api';
import type { ExperimentEvent, ExperimentId } from '@shared/compare-types';
import { AppError } from '@shared/errors';
import { toAppError } from '../app-errors';
import type { ExperimentArgs, ExperimentDeps, ExperimentOutcome, ExperimentRun } from './experiment-context';
import { dockerInVmExperiment } from './experiment-docker-in-vm';
import { portabilityExperiment, raceExperiment } from './experiment-footprint';
import { hostSeesExperiment, kernelExperiment } from './experiment-isolation';
import { memoryLimitExperiment, pidsLimitExperiment } from './experiment-limits';
import { createStepRecorder, throwIfCancelled } from './experiment-steps';

export type { ExperimentArgs, ExperimentDeps, VmInfo } from './experiment-context';

const experiments: Record<ExperimentId, (run: ExperimentRun) => Promise<ExperimentOutcome>> = {
  kernel: kernelExperiment,
  'host-sees': hostSeesExperiment,
  'memory-limit': memoryLimitExperiment,
  'pids-limit': pidsLimitExperiment,
  race: raceExperiment,
  portability: portabilityExperiment,
  'docker-in-vm': dockerInVmExperiment,
};

/** Runs the cleanups newest first, each one whatever the others did; the failures, as AppErrors. */
async function cleanUp(cleanups: (() => Promise<void> | void)[]): Promise<AppError[]> {
  const failures: AppError[] = [];
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      failures.push(toAppError(error, 'Cleaning up after the experiment'));
    }
  }
  return failures;
}

/**
 * Runs the experiment: 'step', 'output' and 'step-done' events as it goes, then 'done' with the conclusion once
 * everything it made is gone. Rejects with an AppError (and its fix) when a subject it needs is missing, and on
 * cancel (`signal`), after the same cleanup.
 */
export async function runExperiment(deps: ExperimentDeps, args: ExperimentArgs, onEvent: (event: ExperimentEvent) => void, signal: AbortSignal): Promise<void> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const run: ExperimentRun = { deps, args, steps: createStepRecorder(onEvent), signal, defer: (cleanup) => cleanups.push(cleanup) };
  let outcome: ExperimentOutcome | undefined;
  let failure: unknown;
  try {
    throwIfCancelled(signal);
    outcome = await experiments[args.id](run);
  } catch (error) {
    failure = error;
  }
  const leftovers = await cleanUp(cleanups);
  const [first] = leftovers;
  const leftBehind = leftovers.map((leftover) => [leftover.message, leftover.detail].filter(Boolean).join('\n')).join('\n\n');
  const removeByHand = { text: 'Remove the containers the lab left behind.', command: `docker rm -f $(docker ps -aq --filter label=${labContainerLabel})` };
  if (failure !== undefined) {
    const error = toAppError(failure, `Experiment ${args.id}`);
    if (!first) throw error;
    throw new AppError(error.code, `${error.message} (and cleaning up failed: ${first.message})`, {
      detail: [error.detail, leftBehind].filter(Boolean).join('\n\n'),
      fix: error.fix ?? removeByHand,
      cause: error,
    });
  }
  if (first) throw new AppError(first.code, `The experiment ran, but cleaning up failed: ${first.message}`, { detail: leftBehind, fix: removeByHand });
  if (outcome) onEvent({ type: 'done', ...outcome });
}
