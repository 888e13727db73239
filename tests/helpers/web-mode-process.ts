// Starts the built web mode (out/web/cli.js) on a free port as its own process and reads the URL with the
// token from its stdout; stops it again. Used by the e2e fixture and the benchmarks.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface WebMode {
  /** The address with the token, as printed. */
  url: string;
  process: ChildProcess;
}

export async function startWebMode(extraEnv: NodeJS.ProcessEnv = {}): Promise<WebMode> {
  const child = spawn(process.execPath, ['out/web/cli.js', '--port', '0'], {
    // Settings saved during a test run (a chosen endpoint) go to a fresh folder, never the user's.
    env: { ...process.env, XDG_CONFIG_HOME: mkdtempSync(path.join(tmpdir(), 'isolab-web-config-')), ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`web mode exited with ${code} before it was ready:\n${output}`)));
  });
  return { url, process: child };
}

export async function stopWebMode(webMode: WebMode): Promise<void> {
  if (webMode.process.exitCode !== null || webMode.process.signalCode !== null) return;
  const exited = once(webMode.process, 'exit');
  webMode.process.kill('SIGTERM');
  await exited;
}
