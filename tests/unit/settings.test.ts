// The settings file: missing, saved and read back, atomic 0600 writes in a 0700 folder, updates in order,
// a broken file set aside with a warning, and keys from a newer version kept.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSettingsStore } from '../../electron/backend/settings';

function settingsPath(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'isolab-settings-')), 'isolab', 'settings.json');
}

describe('the settings store', () => {
  it('reads a missing file as no settings, and saves what it is given with private modes', async () => {
    const file = settingsPath();
    const store = createSettingsStore(file);
    expect(await store.load()).toEqual({});
    expect(await store.update({ dockerEndpoint: 'unix:///run/user/1000/docker.sock' })).toEqual({ dockerEndpoint: 'unix:///run/user/1000/docker.sock' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ dockerEndpoint: 'unix:///run/user/1000/docker.sock' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(await createSettingsStore(file).load()).toEqual({ dockerEndpoint: 'unix:///run/user/1000/docker.sock' });
  });

  it('removes a key given as undefined, and applies updates in the order they were made', async () => {
    const file = settingsPath();
    const store = createSettingsStore(file);
    await Promise.all([store.update({ dockerEndpoint: 'unix:///a.sock' }), store.update({ dockerEndpoint: 'unix:///b.sock' }), store.update({ dockerEndpoint: undefined })]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({});
    expect(readdirSync(path.dirname(file))).toEqual(['settings.json']);
  });

  it('gives a function update the settings as every earlier update left them, and passes on what it throws', async () => {
    const file = settingsPath();
    const store = createSettingsStore(file);
    const add = (uri: string) => store.update((saved) => ({ libvirtRemoteUris: [...(saved.libvirtRemoteUris ?? []), uri] }));
    await Promise.all([add('qemu+ssh://a@one/system'), add('qemu+ssh://b@two/system')]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ libvirtRemoteUris: ['qemu+ssh://a@one/system', 'qemu+ssh://b@two/system'] });
    await expect(
      store.update(() => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect((await store.update({})).libvirtRemoteUris).toHaveLength(2);
  });

  it('refuses to save a setting that breaks its schema', async () => {
    const store = createSettingsStore(settingsPath());
    await expect(store.update({ libvirtRemoteUris: ['http://example.com/'] })).rejects.toThrow();
  });

  it('sets a broken file aside, says so, and starts from defaults', async () => {
    const file = settingsPath();
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '{"dockerEndpoint": 42}');
    const warnings: string[] = [];
    const store = createSettingsStore(file, { warn: (message) => warnings.push(message) });
    expect(await store.load()).toEqual({});
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/could not be read .* moved to .*settings\.json\.broken-\d+/);
    const aside = readdirSync(path.dirname(file)).find((name) => name.startsWith('settings.json.broken-'));
    expect(readFileSync(path.join(path.dirname(file), aside!), 'utf8')).toBe('{"dockerEndpoint": 42}');
  });

  it('keeps keys it does not know, so an older version does not erase a newer one\'s settings', async () => {
    const file = settingsPath();
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ futureSetting: { on: true } }));
    await createSettingsStore(file).update({ dockerEndpoint: 'unix:///a.sock' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ futureSetting: { on: true }, dockerEndpoint: 'unix:///a.sock' });
  });
});
