// A terminal session seen the way the renderer sees it, for integration tests and benchmarks: open, follow the
// output (acknowledging it, unless told not to), type, wait for text, and the exit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Api } from '@shared/api';
import type { RpcClient, Subscription } from '@shared/rpc-client';
import type { TerminalEvent, TerminalSession, TerminalTarget } from '@shared/terminal-types';

export interface OpenedTerminal {
  session: TerminalSession;
  /** Everything received so far. */
  text(): string;
  /** Characters received so far (what flow control counts). */
  received(): number;
  type(data: string): Promise<void>;
  /** Resolves once the output (after `from`) matches; fails after `timeoutMs` with what arrived. */
  waitFor(pattern: RegExp, timeoutMs?: number, from?: number): Promise<RegExpExecArray>;
  exit: Promise<Extract<TerminalEvent, { type: 'exit' }>>;
  ack(chars: number): Promise<void>;
  subscription: Subscription;
}

export async function openTerminal(
  client: RpcClient<Api>,
  target: TerminalTarget,
  options: { cols?: number; rows?: number; autoAck?: boolean } = {},
): Promise<OpenedTerminal> {
  const session = await client.call('terminal.open', { target, cols: options.cols ?? 80, rows: options.rows ?? 24 });
  let output = '';
  const waiters = new Set<() => void>();
  let settleExit!: (event: Extract<TerminalEvent, { type: 'exit' }>) => void;
  let failExit!: (error: unknown) => void;
  const exit = new Promise<Extract<TerminalEvent, { type: 'exit' }>>((resolve, reject) => {
    settleExit = resolve;
    failExit = reject;
  });
  exit.catch(() => undefined);
  const subscription = client.subscribe(
    'terminal.output',
    { id: session.id },
    {
      next(event) {
        if (event.type === 'exit') return settleExit(event);
        output += event.data;
        if (options.autoAck !== false) void client.call('terminal.ack', { id: session.id, chars: event.data.length }).catch(() => undefined);
        for (const wake of waiters) wake();
      },
      error: (error) => failExit(error),
      end: () => failExit(new Error('the output stream ended without an exit event')),
    },
  );
  return {
    session,
    subscription,
    exit,
    text: () => output,
    received: () => output.length,
    type: (data) => client.call('terminal.input', { id: session.id, data }),
    ack: (chars) => client.call('terminal.ack', { id: session.id, chars }),
    waitFor(pattern, timeoutMs = 20_000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output.slice(from));
          if (!match) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(match);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${pattern} in the terminal output within ${timeoutMs} ms; it shows:\n${output.slice(-2000)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/**
 * An empty HOME for the host shells a test opens (the backend reads HOME when it starts one): the machine's own
 * dotfiles (a version manager's rehash in ~/.bashrc, say) are not what is tested, and a shell closed mid-way must
 * not leave their locks behind. Returns the folder; `restore()` puts HOME back and removes it.
 */
export function isolatedHome(): { home: string; restore(): void } {
  const previous = process.env.HOME;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'itest-term-home-'));
  process.env.HOME = home;
  return {
    home,
    restore() {
      if (previous === undefined) delete process.env.HOME;
      else process.env.HOME = previous;
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
