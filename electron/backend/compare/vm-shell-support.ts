// What the VM shells (guest agent, serial console) share: which VM, how a command line is quoted for the user, and
// the error for a VM that is not running. Plain Node; never imports electron.
import { AppError } from '@shared/errors';

export interface VmRef {
  uri: string;
  name: string;
}

/** Single-quotes `text` for a POSIX shell when it needs quoting. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `virsh --connect URI ARGS…` as a user would type it. */
export function virshCommandLine(vm: VmRef, ...args: string[]): string {
  return ['virsh', '--connect', vm.uri, ...args].map(shellQuote).join(' ');
}

export function vmNotRunning(vm: VmRef, state = 'not running'): AppError {
  if (state === 'paused') {
    return new AppError('CONFLICT', `${vm.name} is paused, so no command can run in it`, {
      fix: { text: 'Resume the VM first.', command: virshCommandLine(vm, 'resume', vm.name) },
    });
  }
  return new AppError('CONFLICT', `${vm.name} is ${state}, so no command can run in it`, { fix: { text: 'Start the VM first.' } });
}
