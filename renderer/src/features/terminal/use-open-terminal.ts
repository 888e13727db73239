// Opening a terminal or VM console from anywhere in the app: the tab is added and the Terminals page shown.
// Never imports node:*, electron or backend code.
import { useNavigate } from 'react-router';
import type { TerminalTarget } from '@shared/terminal-types';
import { notifyLoadFailure } from './load-failure';
import type * as TerminalStore from './terminal-store';

export const terminalsPath = '/terminals';

export function useOpenTerminal() {
  const navigate = useNavigate();
  // The store brings xterm.js along: it loads with the first terminal, not with every page that offers one.
  const open = (action: (store: typeof TerminalStore) => unknown) =>
    import('./terminal-store')
      .then(action)
      .then(() => navigate(terminalsPath))
      .catch((error: unknown) => notifyLoadFailure('The Terminals page', error));
  return {
    terminal(target: TerminalTarget) {
      void open((store) => store.openTerminal(target));
    },
    vnc(uri: string, name: string) {
      void open((store) => store.openVncConsole(uri, name));
    },
  };
}
