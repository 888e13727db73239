// How a script travels over a VM's serial console and how its output is read back: the lines typed into the guest's
// shell, with begin/end markers the shell computes, and a scanner for what comes back. Pure logic; imports nothing.

/** One run's markers. The typed line holds `$((left+right))` where the printed marker holds the sum, so the guest's
 * echo of the line can never be taken for the marker; the random token keeps a script from printing it by chance. */
export interface ConsoleMarkers {
  token: string;
  left: number;
  right: number;
}

export function randomMarkers(random: () => number = Math.random): ConsoleMarkers {
  const token = Math.floor(random() * 0xffffffff)
    .toString(16)
    .padStart(8, '0');
  return { token, left: 1000 + Math.floor(random() * 9000), right: 1000 + Math.floor(random() * 9000) };
}

function markerText(markers: ConsoleMarkers, kind: string, computed: boolean): string {
  const sum = computed ? `$((${markers.left}+${markers.right}))` : String(markers.left + markers.right);
  return `isolab-${markers.token}-${sum}-${kind}`;
}

/** What the shell prints when the script starts, and before its exit status when it ends. */
export function beginMarker(markers: ConsoleMarkers): string {
  return markerText(markers, 'begin', false);
}

export function endMarker(markers: ConsoleMarkers): string {
  return `${markerText(markers, 'end', false)}:`;
}

export function syncMarker(markers: ConsoleMarkers): string {
  return markerText(markers, 'sync', false);
}

/** A line that makes the shell print the sync marker: seen back, the shell is at its prompt and reading. */
export function syncLine(markers: ConsoleMarkers): string {
  return `echo ${markerText(markers, 'sync', true)}\n`;
}

/** Busybox's line editor keeps 1024 characters of a line and drops the rest; stay well below. */
export const maxConsoleLineLength = 900;

const scriptVariable = '_isolab_script';

/** One line to type, and what the shell prints when it has taken it (the next line waits for that). */
export interface ConsoleStep {
  line: string;
  ack?: string;
}

/**
 * The lines that run `sh -c SCRIPT` in the guest's shell: the script as base64 in a shell variable (one line for
 * a short script, a few for a long one), then one line that prints the begin marker, runs it with stdin from
 * /dev/null (so it never reads the console) and prints the end marker with its exit status. Output reaches the
 * console with stdout and stderr merged: a serial line has one stream. A long script's lines each wait for the
 * shell's acknowledgement: typed ahead, more than the guest tty's 4 KiB input buffer would be lost.
 */
export function consoleRunSteps(script: string, markers: ConsoleMarkers): ConsoleStep[] {
  const encoded = Buffer.from(script, 'utf8').toString('base64');
  const run =
    `echo ${markerText(markers, 'begin', true)}; ` +
    `sh -c "$(printf %s "\${${scriptVariable}}" | base64 -d)" </dev/null; ` +
    `echo ${markerText(markers, 'end', true)}:$?; unset ${scriptVariable}`;
  const stored = (index: number) => `${index}-stored`;
  const acknowledged = (assignment: string, index: number): ConsoleStep => ({
    line: `${assignment}; echo ${markerText(markers, stored(index), true)}\n`,
    ack: markerText(markers, stored(index), false),
  });
  const chunkLength = maxConsoleLineLength - 2 * scriptVariable.length - markerText(markers, stored(99_999), true).length - 16;
  const chunks: string[] = [];
  for (let offset = 0; offset < encoded.length; offset += chunkLength) chunks.push(encoded.slice(offset, offset + chunkLength));
  const assignments = (chunks.length > 0 ? chunks : ['']).map((chunk, index) =>
    index === 0 ? `${scriptVariable}=${chunk}` : `${scriptVariable}=\${${scriptVariable}}${chunk}`,
  );
  const last = assignments.pop()!;
  const steps = assignments.map(acknowledged);
  if (last.length + run.length + 2 <= maxConsoleLineLength) return [...steps, { line: `${last}; ${run}\n` }];
  return [...steps, acknowledged(last, steps.length), { line: `${run}\n` }];
}

/** A serial line turns every "\n" into "\r\n" (and a script's own "\r\n" into "\r\r\n"): make them "\n" again. */
export function normalizeNewlines(text: string): string {
  return text.replace(/\r+\n/g, '\n');
}

/** The longest end of `text` that is the start of `marker` (text held back because the marker may be arriving). */
function partialMarkerLength(text: string, marker: string): number {
  for (let length = Math.min(marker.length - 1, text.length); length > 0; length--) {
    if (marker.startsWith(text.slice(text.length - length))) return length;
  }
  return 0;
}

export type ScanResult = { done: false; output: string } | { done: true; output: string; exitCode: number };

/**
 * Reads the console's text for one run: ignores everything up to the begin marker's line (the echo of the typed
 * lines, the prompt), hands on the script's output as it arrives (newlines normalized, nothing that may be the
 * start of the end marker), and ends at the end marker with the exit status after it.
 */
export class ConsoleRunScanner {
  private readonly begin: string;
  private readonly end: string;
  private started = false;
  /** Raw text before the begin line, or normalized output not handed on yet. */
  private pending = '';
  /** Carriage returns at the end of the last chunk, which may belong to a "\r\n" split across chunks. */
  private carry = '';
  private output = '';
  private exitCode: number | undefined;

  constructor(markers: ConsoleMarkers) {
    this.begin = beginMarker(markers);
    this.end = endMarker(markers);
  }

  get began(): boolean {
    return this.started;
  }

  /** The script's exit status, once the end marker came. */
  get exitStatus(): number | undefined {
    return this.exitCode;
  }

  /** Everything the script printed so far (all of it, once done). */
  get text(): string {
    return this.output;
  }

  push(chunk: string): ScanResult {
    if (this.exitCode !== undefined) return { done: true, output: '', exitCode: this.exitCode };
    if (!this.started) {
      this.pending += chunk;
      const at = this.pending.indexOf(this.begin);
      const lineEnd = at < 0 ? -1 : this.pending.indexOf('\n', at + this.begin.length);
      if (lineEnd < 0) {
        // Keep only what may still hold the marker.
        if (at < 0) this.pending = this.pending.slice(-(this.begin.length + 2));
        return { done: false, output: '' };
      }
      this.started = true;
      chunk = this.pending.slice(lineEnd + 1);
      this.pending = '';
    }
    let text = this.carry + chunk;
    const trailing = /\r+$/.exec(text)?.[0] ?? '';
    this.carry = trailing;
    text = text.slice(0, text.length - trailing.length);
    this.pending += normalizeNewlines(text);

    const at = this.pending.indexOf(this.end);
    if (at >= 0) {
      const status = /^(\d+)\n/.exec(this.pending.slice(at + this.end.length));
      const before = this.pending.slice(0, at);
      this.pending = this.pending.slice(at);
      this.output += before;
      if (!status) return { done: false, output: before };
      this.exitCode = Number(status[1]);
      this.pending = '';
      return { done: true, output: before, exitCode: this.exitCode };
    }
    const hold = partialMarkerLength(this.pending, this.end);
    const ready = this.pending.slice(0, this.pending.length - hold);
    this.pending = this.pending.slice(this.pending.length - hold);
    this.output += ready;
    return { done: false, output: ready };
  }
}

/** What the console said when it would not connect, or closed: the reason, as far as virsh's words tell. */
export type ConsoleFailure = 'busy' | 'not-running' | 'other';

export function classifyConsoleFailure(text: string): ConsoleFailure {
  if (/Active console session exists/i.test(text)) return 'busy';
  if (/domain is not running|not running/i.test(text)) return 'not-running';
  return 'other';
}

/** Lines virsh prints about itself (connection, escape key, polkit), not the guest's. */
export function virshConsoleText(text: string): string {
  return normalizeNewlines(text)
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^(Connected to domain|Escape character is|Authorization not available)/.test(line))
    .join('\n');
}

/** The console's last words, without terminal escape sequences, for an error's detail. */
export function consoleTail(text: string, length = 600): string {
  // eslint-disable-next-line no-control-regex
  const plain = normalizeNewlines(text).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
  return plain.slice(-length).trim();
}

/** A login prompt at the end of the console's output: no shell is waiting there. */
export function asksForLogin(text: string): boolean {
  return /(login|password):\s*$/i.test(consoleTail(text));
}
