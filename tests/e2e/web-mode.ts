// A Playwright fixture that starts the built web mode (out/web/cli.js) on a free port, reads the URL with
// the token from its stdout, and stops it after the worker's tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { test as base } from '@playwright/test';

export interface WebMode {
  /** The address with the token, as printed. */
  url: string;
  process: ChildProcess;
}

export async function startWebMode(extraEnv: NodeJS.ProcessEnv = {}): Promise<WebMode> {
  const child = spawn(process.execPath, ['out/web/cli.js', '--port', '0'], {
    env: { ...process.env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`web mode exited with ${code} before it was ready:\n${output}`)));
  });
  return { url, process: child };
}

export async function stopWebMode(webMode: WebMode): Promise<void> {
  if (webMode.process.exitCode !== null) return;
  webMode.process.kill('SIGTERM');
  await once(webMode.process, 'exit');
}

export const test = base.extend<object, { webMode: WebMode }>({
  webMode: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the fixtures argument to be destructured.
    async ({}, use) => {
      const webMode = await startWebMode();
      await use(webMode);
      await stopWebMode(webMode);
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
