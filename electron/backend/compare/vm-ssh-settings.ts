// The Compare lab's SSH settings per VM: kept in the settings file (checked: the identity file must be a readable
// file), and turned into a logged-in SSH shell with the VM's address from libvirt. Plain Node; never imports electron.
import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@shared/errors';
import { vmSshKey, type VmSshConfig } from '@shared/vm-ssh-schemas';
import { errnoOf } from '../app-errors';
import type { SettingsStore } from '../settings';
import type { VmSshAccess } from './vm-shell';
import { createSshShell, sshTarget } from './vm-ssh-shell';
import type { VmRef } from './vm-shell-support';

export interface VmSshSettings extends VmSshAccess {
  /** Saves (null: removes) the VM's SSH settings and returns what is saved now. */
  save(vm: VmRef, config: VmSshConfig | null): Promise<VmSshConfig | null>;
}

export interface VmSshSettingsDeps {
  settings: SettingsStore;
  /** The environment ssh runs in (PATH, HOME). */
  env: NodeJS.ProcessEnv;
  /** The VM's addresses as libvirt knows them (DHCP leases, the guest agent). */
  addresses(vm: VmRef): Promise<string[]>;
}

/** ssh refuses a key it cannot read only once it connects; saying so at once is clearer. */
async function checkIdentityFile(file: string): Promise<void> {
  try {
    if (!(await stat(file)).isFile()) throw new AppError('INVALID_ARGUMENT', `The identity file ${file} is not a file`);
    await access(file, constants.R_OK);
  } catch (error) {
    if (error instanceof AppError) throw error;
    const errno = errnoOf(error);
    throw new AppError(
      'INVALID_ARGUMENT',
      errno === 'ENOENT' ? `The identity file ${file} does not exist` : `Isolab cannot read the identity file ${file}${errno ? ` (${errno})` : ''}`,
      { fix: { text: 'Give the path of a private key that the user running Isolab can read, such as ~/.ssh/id_ed25519 written out in full.' } },
    );
  }
}

export function createVmSshSettings(deps: VmSshSettingsDeps): VmSshSettings {
  // Next to the settings file: Isolab's own record of the guests' host keys, apart from the user's ~/.ssh/known_hosts.
  const configDir = path.dirname(deps.settings.file);
  const knownHostsFile = path.join(configDir, 'known_hosts');

  return {
    async config(vm) {
      return (await deps.settings.load()).vmSsh?.[vmSshKey(vm)];
    },

    async save(vm, config) {
      if (config?.identityFile) await checkIdentityFile(config.identityFile);
      const key = vmSshKey(vm);
      const saved = await deps.settings.update((current) => {
        const next = { ...current.vmSsh };
        delete next[key];
        if (config) next[key] = config;
        return { vmSsh: Object.keys(next).length > 0 ? next : undefined };
      });
      return saved.vmSsh?.[key] ?? null;
    },

    async open(vm, config, signal) {
      const target = sshTarget(vm, config, config.host ? [] : await deps.addresses(vm));
      await mkdir(configDir, { recursive: true, mode: 0o700 });
      const shell = createSshShell(vm, target, { knownHostsFile, env: deps.env });
      await shell.check(signal);
      return shell;
    },
  };
}
