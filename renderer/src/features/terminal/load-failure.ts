// What the user is told when a part of the Terminals page that loads on first use (xterm.js, noVNC) cannot be
// fetched. Never imports node:*, electron or backend code.
import { AppError } from '@shared/errors';
import { notifyFailure } from '../../hooks/use-rpc-mutation';

export function notifyLoadFailure(what: string, error: unknown): void {
  notifyFailure(
    `${what} could not be loaded`,
    new AppError('UNAVAILABLE', error instanceof Error ? error.message : String(error), {
      fix: { text: 'Reload the page (Ctrl+R): Isolab may have been rebuilt or restarted since this page was opened.' },
    }),
  );
}
