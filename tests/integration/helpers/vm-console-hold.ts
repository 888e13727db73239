// Holds a VM's serial console the way the Terminals page would: our own `virsh console` in a pty, so the product's
// console path finds it busy. Test-only; imports no product code.
import { spawn, type IPty } from 'node-pty';
import { waitFor } from './docker-cli';
import { systemUri } from './test-guest';

export interface HeldConsole {
  pty: IPty;
  /** Leaves the console (Ctrl+]) and waits for virsh to exit. */
  release(): Promise<void>;
}

/** Connected when this resolves; throws when virsh refuses (someone else holds it). */
export async function holdConsole(name: string): Promise<HeldConsole> {
  const pty = spawn('virsh', ['--connect', systemUri, 'console', '--domain', name], { cols: 80, rows: 24, cwd: '/', env: { ...process.env, LC_ALL: 'C' } });
  let text = '';
  const exited = new Promise<void>((resolve) => pty.onExit(() => resolve()));
  pty.onData((chunk) => (text += chunk));
  await waitFor('virsh console to connect', () => (text.includes('Escape character is') ? true : undefined), 15_000);
  // virsh prints its refusal after "Connected": make sure this one is the holder.
  await new Promise((resolve) => setTimeout(resolve, 500));
  if (/error:/.test(text)) throw new Error(`could not hold the console of ${name}: ${text}`);
  return {
    pty,
    async release() {
      pty.write('\x1d');
      await exited;
    },
  };
}
