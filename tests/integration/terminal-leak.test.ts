// Opening and closing 500 host-shell sessions leaves nothing behind: no session, pty, child process, file
// descriptor, active handle or RPC subscription beyond the baseline.
import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { processTree } from '../../electron/backend/terminal/process-tree';
import { startBackend, waitFor, type TestBackend } from './helpers/docker-cli';
import { isolatedHome, openTerminal } from './helpers/terminal-session';

const sessions = 500;
const batch = 20;
let test: TestBackend;
let home: ReturnType<typeof isolatedHome>;

beforeAll(() => {
  home = isolatedHome();
  test = startBackend('terminal-leak-test');
});
afterAll(() => {
  test?.close();
  home?.restore();
});

function openFds(): string[] {
  return fs.readdirSync('/proc/self/fd').map((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      return 'gone';
    }
  });
}

async function snapshot() {
  const fds = openFds();
  return {
    sessions: test.backend.terminalSessions,
    subscriptions: test.link.connection.openSubscriptions,
    fds: fds.length,
    ptys: fds.filter((target) => target === '/dev/ptmx' || target.startsWith('/dev/pts/')).length,
    children: (await processTree('/proc', process.pid)).length - 1,
    handles: process.getActiveResourcesInfo().filter((kind) => kind !== 'Timeout').length,
    exitListeners: process.listenerCount('exit'),
  };
}

it(`opens and closes ${sessions} sessions and returns to the baseline`, async () => {
  // One session first, so lazily made things (the module, its thread pool) are part of the baseline.
  const warm = await openTerminal(test.client, { kind: 'host-shell' });
  await test.client.call('terminal.close', { id: warm.session.id });
  await warm.exit;
  const baseline = await snapshot();

  for (let start = 0; start < sessions; start += batch) {
    const opened = await Promise.all(Array.from({ length: batch }, () => openTerminal(test.client, { kind: 'host-shell' })));
    expect(test.backend.terminalSessions).toBe(batch);
    // Half are closed by the user (terminal.close), half by dropping the output stream (a closed tab's cleanup).
    await Promise.all(
      opened.map(async (terminal, index) => {
        if (index % 2 === 0) await test.client.call('terminal.close', { id: terminal.session.id });
        else terminal.subscription.unsubscribe();
      }),
    );
    await Promise.all(opened.filter((_, index) => index % 2 === 0).map((terminal) => terminal.exit));
  }

  // Nothing may be held beyond the baseline. Fewer is fine: a socket from an earlier test in this process (an
  // engine keep-alive) may close meanwhile.
  const released = (now: Awaited<ReturnType<typeof snapshot>>) =>
    Object.fromEntries(Object.entries(now).map(([key, value]) => [key, Math.max(value, baseline[key as keyof typeof baseline])]));
  const after = await waitFor(
    'every resource to be released',
    async () => {
      const now = await snapshot();
      return JSON.stringify(released(now)) === JSON.stringify(baseline) ? now : undefined;
    },
    20_000,
  ).catch(async () => snapshot());
  expect(released(after)).toEqual(baseline);
});
