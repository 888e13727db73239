// The start-time race's pure logic: one run's phase marks (first mark wins, emitted as they happen), medians over
// runs, and reading `virsh start NAME --console` output into phases and a ready sign. No node:*, never imports electron.
import type { RacePhase, RaceRun } from '@shared/compare-types';

export const racePhases: readonly RacePhase[] = ['create', 'start', 'first-output', 'ready'];

/** Milliseconds to a tenth: finer than that is noise from the timer and the event loop. */
export function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** The middle value (the mean of the two middle ones for an even count); undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Each phase's median over the runs that reached it; a phase no run reached is left out. */
export function phaseMedians(runs: readonly RaceRun[]): Partial<Record<RacePhase, number>> {
  const medians: Partial<Record<RacePhase, number>> = {};
  for (const phase of racePhases) {
    const value = median(runs.flatMap((run) => run.phases[phase] ?? []));
    if (value !== undefined) medians[phase] = roundMs(value);
  }
  return medians;
}

export interface PhaseRecorder {
  readonly phases: Partial<Record<RacePhase, number>>;
  /** Records `phase` at `atMs` (ms since the run's start) unless it was recorded already; true when it was new. */
  mark(phase: RacePhase, atMs: number): boolean;
}

export function createPhaseRecorder(onPhase: (phase: RacePhase, atMs: number) => void): PhaseRecorder {
  const phases: Partial<Record<RacePhase, number>> = {};
  return {
    phases,
    mark(phase, atMs) {
      if (phases[phase] !== undefined) return false;
      phases[phase] = roundMs(atMs);
      onPhase(phase, phases[phase]);
      return true;
    },
  };
}

export interface ReadyPattern {
  /** What readyBy starts with when this pattern matched. */
  label: string;
  pattern: RegExp;
  /**
   * 'line': a finished console line (it ended with a newline). 'prompt': the unfinished last line, since a prompt waits
   * for input without a newline; it counts once nothing has extended it for promptSettleMs (a chunk of boot output can
   * end anywhere, and a line cut after "# " is not a prompt).
   */
  on: 'line' | 'prompt';
}

/**
 * What counts as a VM being ready on its serial console, checked in this order on each line (escape sequences and
 * carriage returns removed). A guest of the user's can print a marker of its own: any line that starts with a word
 * ending in READY (e.g. `APP-READY`, `GUEST_READY 1.2`), as a boot script's `echo` to /dev/ttyS0 would.
 */
export const readyPatterns: readonly ReadyPattern[] = [
  { label: 'ready marker', pattern: /^[\w.:-]*READY(?:\s.*)?$/, on: 'line' },
  // getty's "debian login: ", or a bare "login: ".
  { label: 'login prompt', pattern: /^(?:\S+ )?login: ?$/i, on: 'prompt' },
  // "/ # " (busybox), "root@debian:~# ", "[user@host ~]$ ", "sh-5.2$ ", "$ ".
  { label: 'shell prompt', pattern: /^(?:\[[^\]]{1,60}\]|[\w.-]+@[\w.-]+(?::[^\s#$]*)?|[~/][^\s#$]*|[\w.-]+)? ?[#$] $/, on: 'prompt' },
];

export const promptSettleMs = 300;

export type ConsoleReading = { phase: Exclude<RacePhase, 'create' | 'ready'>; atMs: number } | { phase: 'ready'; atMs: number; readyBy: string };

export interface ConsoleReader {
  /** Output as it arrived from the pty at `atMs`; returns the phases it completes, in order. */
  push(text: string, atMs: number): ConsoleReading[];
  /** Confirms a prompt that has stood unextended for promptSettleMs by `atMs` (ready at the time it appeared). */
  settle(atMs: number): ConsoleReading[];
  /** A prompt is waiting to be confirmed: call settle() promptSettleMs after the last push. */
  readonly promptPending: boolean;
  /** virsh said "Domain ... started" (the start call returned): from here on, the race owns the running VM. */
  readonly started: boolean;
  /** The last lines virsh and the guest printed, for errors. */
  tail(lines?: number): string;
}

// CSI sequences (colours, the cursor query busybox sends after its prompt), OSC titles, and other two-byte escapes.
// eslint-disable-next-line no-control-regex
const escapeSequences = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;

export function plainText(text: string): string {
  return text.replace(escapeSequences, '').replaceAll('\r', '');
}

const startedLine = /^Domain '?.+?'? started$/;
// virsh prints this once the console is connected; every byte after its line is the guest's.
const consoleBannerLine = /^Escape character is /;

export function createConsoleReader(): ConsoleReader {
  let stage: 'starting' | 'connecting' | 'guest' | 'ready' = 'starting';
  let started = false;
  let sawGuestOutput = false;
  let partial = '';
  const lines: string[] = [];
  let prompt: { atMs: number; line: string; label: string } | undefined;

  const ready = (atMs: number, label: string, line: string): ConsoleReading[] => {
    stage = 'ready';
    prompt = undefined;
    return [{ phase: 'ready', atMs, readyBy: `${label}: ${line.trim()}` }];
  };

  const readLine = (line: string, atMs: number): ConsoleReading[] => {
    if (stage === 'starting' && startedLine.test(line)) {
      stage = 'connecting';
      started = true;
      return [{ phase: 'start', atMs }];
    }
    if (stage === 'connecting' && consoleBannerLine.test(line)) {
      stage = 'guest';
      return [];
    }
    if (stage !== 'guest') return [];
    const match = readyPatterns.find((candidate) => candidate.on === 'line' && candidate.pattern.test(line));
    return match ? ready(atMs, match.label, line) : [];
  };

  const settle = (atMs: number): ConsoleReading[] => {
    if (!prompt || atMs - prompt.atMs < promptSettleMs) return [];
    return ready(prompt.atMs, prompt.label, prompt.line);
  };

  return {
    push(text, atMs) {
      const readings = settle(atMs);
      if (stage === 'ready') return readings;
      // Cut into lines before removing escapes: a chunk can end inside an escape sequence.
      const parts = (partial + text).split('\n');
      partial = parts.pop() ?? '';
      // The pending prompt's line ended here; with more text on it than the prompt, it was a line cut between chunks.
      if (prompt && parts.length > 0 && plainText(parts[0] ?? '').trimEnd() !== prompt.line.trimEnd()) prompt = undefined;
      const firstOutput = () => {
        if (stage !== 'guest' || sawGuestOutput) return;
        sawGuestOutput = true;
        readings.push({ phase: 'first-output', atMs });
      };
      for (const raw of parts) {
        const line = plainText(raw);
        lines.push(line);
        if (readings.some((reading) => reading.phase === 'ready')) continue;
        firstOutput();
        readings.push(...readLine(line, atMs));
      }
      if (lines.length > 200) lines.splice(0, lines.length - 200);
      if (stage !== 'guest' || partial === '') return readings;
      firstOutput();
      // A pending prompt whose line has ended stood unextended: it waits for settle() whatever follows.
      if (prompt && parts.length > 0) return readings;
      const line = plainText(partial);
      const match = readyPatterns.find((candidate) => candidate.on === 'prompt' && candidate.pattern.test(line));
      // A prompt keeps the time it first appeared while only escape codes follow it.
      if (!match) prompt = undefined;
      else if (prompt?.line !== line || prompt.label !== match.label) prompt = { atMs, line, label: match.label };
      return readings;
    },
    settle,
    get promptPending() {
      return prompt !== undefined;
    },
    get started() {
      return started;
    },
    tail(count = 8) {
      return [...lines, plainText(partial)]
        .map((line) => line.trimEnd())
        .filter(Boolean)
        .slice(-count)
        .join('\n');
    },
  };
}
