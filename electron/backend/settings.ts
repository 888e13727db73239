// The user's settings file ($XDG_CONFIG_HOME/isolab/settings.json): read once, validated, written atomically
// (0600, in a 0700 folder) one write after another. Plain Node; never imports electron.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { remoteUriPattern } from '@shared/vm-schemas';
import { vmSshConfigSchema } from '@shared/vm-ssh-schemas';
import { errnoOf, toAppError } from './app-errors';

/** Every setting Isolab keeps between runs. Unknown keys (from a newer version) are kept as they are. */
export const settingsSchema = z.looseObject({
  /** The Docker endpoint address the user chose; absent: the first that answers. */
  dockerEndpoint: z.string().min(1).optional(),
  /** The remote libvirt connections the user added (qemu+ssh://user@host/system). */
  libvirtRemoteUris: z.array(z.string().regex(remoteUriPattern)).optional(),
  /** How the Compare lab logs in to a VM's guest over SSH, by vmSshKey (`${uri} ${name}`). */
  vmSsh: z.record(z.string(), vmSshConfigSchema).optional(),
});

export type Settings = z.infer<typeof settingsSchema>;

export interface SettingsStore {
  /** The settings as saved; a missing file is no settings, a broken one is set aside and reported. */
  load(): Promise<Settings>;
  /**
   * Saves these keys (undefined removes one) and returns the settings as now saved. Given a function, it gets
   * the settings as saved by every earlier update, so read-modify-write changes never lose one another.
   */
  update(change: Partial<Settings> | ((settings: Settings) => Partial<Settings>)): Promise<Settings>;
  readonly file: string;
}

export interface SettingsOptions {
  /** Told about a settings file that could not be read, which was set aside. */
  warn?: (message: string) => void;
}

export function createSettingsStore(file: string, options: SettingsOptions = {}): SettingsStore {
  const warn = options.warn ?? ((message: string) => console.warn(message));
  let loaded: Promise<Settings> | undefined;
  // Writes run one after another, so a later update never lands before an earlier one.
  let writes: Promise<unknown> = Promise.resolve();

  async function read(): Promise<Settings> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return {};
      warn(toAppError(error, `Reading the settings file ${file}`).message);
      return {};
    }
    const parsed = settingsSchema.safeParse(safeJson(text));
    if (parsed.success) return parsed.data;
    const aside = `${file}.broken-${Date.now()}`;
    await rename(file, aside).catch(() => undefined);
    warn(`The settings file ${file} could not be read (${parsed.error.issues[0]?.message ?? 'not JSON'}); it was moved to ${aside} and defaults are used.`);
    return {};
  }

  async function save(settings: Settings): Promise<void> {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, file);
  }

  const store: SettingsStore = {
    file,
    load: () => (loaded ??= read()),
    update(change) {
      const next = writes.then(async () => {
        const saved = await store.load();
        const merged: Record<string, unknown> = { ...saved, ...(typeof change === 'function' ? change(saved) : change) };
        for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
        const settings = settingsSchema.parse(merged);
        try {
          await save(settings);
        } catch (error) {
          throw toAppError(error, `Saving the settings file ${file}`);
        }
        loaded = Promise.resolve(settings);
        return settings;
      });
      writes = next.catch(() => undefined);
      return next;
    },
  };
  return store;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
