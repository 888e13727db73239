// Runs a long-lived virsh command (`event --loop`, `net-event --loop`) as a child process (argument array, LC_ALL=C,
// never a shell), hands each line of its output on, and says when it has been up long enough to count as listening.
// Plain Node; never imports electron.
import { spawn } from 'node:child_process';
import { createLineSplitter } from './virsh-output';

/** ssh must never wait for a password nobody can type: remote connections get libvirt's no_tty option. */
export function withoutTtyPrompt(uri: string): string {
  if (!uri.startsWith('qemu+ssh://') || /[?&]no_tty=/.test(uri)) return uri;
  return `${uri}${uri.includes('?') ? '&' : '?'}no_tty=1`;
}

export interface VirshLinesOptions {
  uri: string;
  /** What follows `virsh --connect URI`. */
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Ends the child (SIGTERM). */
  signal: AbortSignal;
  /** virsh prints nothing once connected: after this long alive, it counts as listening. */
  settleMs: number;
  onLine(line: string): void;
  onListening(): void;
}

/** Resolves with the child's stderr once it has exited (or could not start). */
export function runVirshLines(options: VirshLinesOptions): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('virsh', ['--connect', withoutTtyPrompt(options.uri), ...options.args], {
      env: { ...options.env, LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const lines = createLineSplitter(options.onLine);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => lines.push(chunk));
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    const settled = setTimeout(options.onListening, options.settleMs);
    const stop = () => child.kill('SIGTERM');
    options.signal.addEventListener('abort', stop, { once: true });
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(settled);
      options.signal.removeEventListener('abort', stop);
      lines.end();
      resolve(stderr);
    };
    child.once('error', (error) => {
      stderr += String(error);
      finish();
    });
    child.once('close', finish);
  });
}
