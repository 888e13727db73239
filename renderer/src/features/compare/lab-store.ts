// The Compare lab's state, kept outside React so a run goes on (and its results stay) while the user visits other
// pages: the chosen subjects, probe runs, host view, race and experiments, each fed by its RPC stream.
// Never imports node:*, electron or backend code.
import { useSyncExternalStore } from 'react';
import type { CompareSubjects, ExperimentEvent, ExperimentId, ExperimentStep, HostView, ProbeRun, RaceEvent, RaceResult, RaceRun } from '@shared/compare-types';
import { AppError } from '@shared/errors';
import type { Subscription } from '@shared/rpc-client';
import { rpc } from '../../api';
import { StatusStore } from '../terminal/status-store';

export interface LabVm {
  uri: string;
  name: string;
}

export interface Selection {
  container?: string;
  vm?: LabVm;
  /** The image the race and the experiments start containers from. */
  image?: string;
}

export interface ProbeState {
  running: boolean;
  subjects?: CompareSubjects;
  runs: ProbeRun[];
  startedAt?: number;
  finishedAt?: number;
  error?: AppError;
}

export interface RaceState {
  running: boolean;
  runs: number;
  progress: string[];
  results: { container: RaceRun[]; vm: RaceRun[] };
  result?: RaceResult;
  error?: AppError;
}

export interface ExperimentState {
  running: boolean;
  steps: ExperimentStep[];
  /** Each step's output as it arrived. */
  output: Record<number, string>;
  results: Record<number, Extract<ExperimentEvent, { type: 'step-done' }>>;
  conclusion?: string;
  findings?: Record<string, string | number>;
  error?: AppError;
  /** Everything written so far, in order, for the step terminals. */
  transcript: string;
}

export interface LabState {
  selection: Selection;
  probes: ProbeState;
  hostView: { loading: boolean; data?: HostView; error?: AppError };
  race: RaceState;
  experiments: Partial<Record<ExperimentId, ExperimentState>>;
}

const emptyRace: RaceState = { running: false, runs: 0, progress: [], results: { container: [], vm: [] } };

const store = new StatusStore<LabState>({
  selection: {},
  probes: { running: false, runs: [] },
  hostView: { loading: false },
  race: emptyRace,
  experiments: {},
});

const subscriptions = new Map<string, Subscription>();

function update(change: (state: LabState) => Partial<LabState>): void {
  const state = store.get();
  store.set({ ...state, ...change(state) });
}

function asAppError(error: unknown): AppError {
  return error instanceof AppError ? error : new AppError('INTERNAL', String(error));
}

function follow(key: string, subscription: Subscription): void {
  subscriptions.get(key)?.unsubscribe();
  subscriptions.set(key, subscription);
}

export function useLab(): LabState {
  return useSyncExternalStore(store.subscribe, store.get);
}

export function labState(): LabState {
  return store.get();
}

export function select(change: Partial<Selection>): void {
  update((state) => ({ selection: { ...state.selection, ...change } }));
}

export async function readHostView(): Promise<void> {
  const { container, vm } = store.get().selection;
  update(() => ({ hostView: { loading: true } }));
  try {
    const data = await rpc.call('compare.hostView', { ...(container ? { container } : {}), ...(vm ? { vm } : {}) });
    update(() => ({ hostView: { loading: false, data } }));
  } catch (error) {
    update(() => ({ hostView: { loading: false, error: asAppError(error) } }));
  }
}

export function runProbes(): void {
  const { container, vm } = store.get().selection;
  const setProbes = (change: Partial<ProbeState>) => update((state) => ({ probes: { ...state.probes, ...change } }));
  update(() => ({ probes: { running: true, runs: [], startedAt: Date.now() } }));
  follow(
    'probes',
    rpc.subscribe('compare.probe', { ...(container ? { container } : {}), ...(vm ? { vm } : {}) }, {
      next(event) {
        if (event.type === 'subjects') setProbes({ subjects: event.subjects });
        else if (event.type === 'run') setProbes({ runs: [...store.get().probes.runs, event.run] });
        else setProbes({ finishedAt: event.finishedAt });
      },
      error: (error) => setProbes({ running: false, error }),
      end() {
        setProbes({ running: false });
        // The host's view belongs with the same run: read it as soon as the probes are in.
        if (container || vm) void readHostView();
      },
    }),
  );
}

export function cancelProbes(): void {
  subscriptions.get('probes')?.unsubscribe();
  update((state) => ({ probes: { ...state.probes, running: false, error: new AppError('UNAVAILABLE', 'The probes were cancelled.') } }));
}

function raceLine(event: RaceEvent): string | undefined {
  if (event.type === 'phase') return `${event.subject} run ${event.run}: ${event.phase} at ${Math.round(event.atMs)} ms`;
  if (event.type === 'run' && event.result.error) return `${event.subject} run ${event.result.run}: ${event.result.error.message}`;
  return undefined;
}

export function runRace(runs: number): void {
  const { image, vm } = store.get().selection;
  if (!image || !vm) return;
  const setRace = (change: Partial<RaceState>) => update((state) => ({ race: { ...state.race, ...change } }));
  update(() => ({ race: { ...emptyRace, running: true, runs } }));
  follow(
    'race',
    rpc.subscribe('compare.race', { image, vm, runs }, {
      next(event) {
        const race = store.get().race;
        const line = raceLine(event);
        if (event.type === 'run') {
          setRace({ results: { ...race.results, [event.subject]: [...race.results[event.subject], event.result] } });
        } else if (event.type === 'done') {
          setRace({ result: event.result });
        }
        if (line) setRace({ progress: [...store.get().race.progress, line] });
      },
      error: (error) => setRace({ running: false, error }),
      end: () => setRace({ running: false }),
    }),
  );
}

export function cancelRace(): void {
  subscriptions.get('race')?.unsubscribe();
  update((state) => ({ race: { ...state.race, running: false, error: new AppError('UNAVAILABLE', 'The race was cancelled; the container was removed and the VM forced off.') } }));
}

export function runExperiment(id: ExperimentId): void {
  const { image, container, vm } = store.get().selection;
  const set = (change: Partial<ExperimentState>) =>
    update((state) => ({ experiments: { ...state.experiments, [id]: { ...(state.experiments[id] as ExperimentState), ...change } } }));
  update((state) => ({ experiments: { ...state.experiments, [id]: { running: true, steps: [], output: {}, results: {}, transcript: '' } } }));
  const current = () => store.get().experiments[id] as ExperimentState;
  follow(
    `experiment:${id}`,
    rpc.subscribe('compare.experiment', { id, ...(image ? { image } : {}), ...(container ? { container } : {}), ...(vm ? { vm } : {}) }, {
      next(event) {
        const state = current();
        if (event.type === 'step') {
          set({ steps: [...state.steps, event.step], transcript: `${state.transcript}\n# ${event.step.title} (${event.step.subject})\n$ ${event.step.command}\n` });
        } else if (event.type === 'output') {
          set({ output: { ...state.output, [event.index]: (state.output[event.index] ?? '') + event.text }, transcript: state.transcript + event.text });
        } else if (event.type === 'step-done') {
          const status = event.error ? `[failed: ${event.error.message}]` : `[exit ${event.exitCode ?? '—'}]`;
          set({ results: { ...state.results, [event.index]: event }, transcript: `${state.transcript}${state.transcript.endsWith('\n') ? '' : '\n'}${status}\n` });
        } else {
          set({ conclusion: event.conclusion, findings: event.findings });
        }
      },
      error: (error) => set({ running: false, error }),
      end: () => set({ running: false }),
    }),
  );
}

export function cancelExperiment(id: ExperimentId): void {
  subscriptions.get(`experiment:${id}`)?.unsubscribe();
  update((state) => ({
    experiments: { ...state.experiments, [id]: { ...(state.experiments[id] as ExperimentState), running: false, error: new AppError('UNAVAILABLE', 'The experiment was cancelled; what it started was removed.') } },
  }));
}
