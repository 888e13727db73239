// Opening a terminal or VM console from anywhere in the app: the tab is added and the Terminals page shown.
// Never imports node:*, electron or backend code.
import { useNavigate } from 'react-router';
import type { TerminalTarget } from '@shared/terminal-types';
import { openTerminal, openVncConsole } from './terminal-store';

export const terminalsPath = '/terminals';

export function useOpenTerminal() {
  const navigate = useNavigate();
  return {
    terminal(target: TerminalTarget) {
      openTerminal(target);
      void navigate(terminalsPath);
    },
    vnc(uri: string, name: string) {
      openVncConsole(uri, name);
      void navigate(terminalsPath);
    },
  };
}
