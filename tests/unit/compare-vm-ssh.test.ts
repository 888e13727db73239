// The Compare lab's SSH path without a guest: the settings' validation, ssh's argument list and the command line
// shown, the remote command's quoting and exit status (run by this host's sh), the target address, the fix for each
// of ssh's recorded failures, and the SSH settings saved in and removed from the settings file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSshHost, vmSshInputSchema } from '@shared/vm-ssh-schemas';
import { createVmSshSettings } from '../../electron/backend/compare/vm-ssh-settings';
import { killMarkedScript, remoteCommand, sshArguments, sshCommandLine, sshFix, sshTarget } from '../../electron/backend/compare/vm-ssh-shell';
import { createSettingsStore, settingsSchema } from '../../electron/backend/settings';
import { readFixture } from './host-fixture-support';

const vm = { uri: 'qemu:///system', name: 'debian 12' };
const knownHosts = '/home/ada/.config/isolab/known_hosts';

function issues(input: unknown): string[] {
  return vmSshInputSchema.safeParse(input).error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];
}

describe('SSH settings validation', () => {
  it('accepts a user alone (port 22, the VM address) and every field given', () => {
    expect(vmSshInputSchema.parse({ user: 'root' })).toEqual({ user: 'root', port: 22 });
    expect(vmSshInputSchema.parse({ user: ' ada ', port: 2222, host: 'debian.lan', identityFile: '/home/ada/.ssh/id_ed25519' })).toEqual({
      user: 'ada',
      port: 2222,
      host: 'debian.lan',
      identityFile: '/home/ada/.ssh/id_ed25519',
    });
  });

  it('takes host names, IPv4 and IPv6 addresses, and nothing that could be an option or a second word', () => {
    for (const host of ['debian', 'vm-1.example.org', '192.168.122.45', 'fe80::5054:ff:fe12:3456', '::1', '2001:db8::1']) expect(isSshHost(host), host).toBe(true);
    for (const host of ['-oProxyCommand=x', 'two words', '300.1.2.3', '1.2.3', 'host_name', 'a..b', '[::1]', 'fe80::1%eth0', 'user@host', 'host:22']) {
      expect(isSshHost(host), host).toBe(false);
    }
  });

  it('says which field is wrong and why', () => {
    expect(issues({ user: '-oProxyCommand=touch /tmp/x' })).toEqual(['user: Use letters, digits, "_", "." or "-", starting with a letter or "_".']);
    expect(issues({ user: '' })).toEqual(['user: Type the user to log in as.']);
    expect(issues({ user: 'root', port: 0 })).toEqual(['port: Ports go from 1 to 65535.']);
    expect(issues({ user: 'root', port: 65536 })).toEqual(['port: Ports go from 1 to 65535.']);
    expect(issues({ user: 'root', port: 22.5 })).toEqual(['port: The port is a whole number.']);
    expect(issues({ user: 'root', host: 'two words' })).toEqual(['host: Use a host name (such as debian.lan), an IPv4 address or an IPv6 address.']);
    expect(issues({ user: 'root', identityFile: '.ssh/id_ed25519' })).toEqual(['identityFile: Give the full path, starting with "/".']);
    expect(issues({ user: 'root', identityFile: '/home/%u/key' })).toEqual(['identityFile: Use a path of letters, digits and _ . @ + - / only.']);
    expect(issues({ user: 'root', identityFile: '/home/ada/key file' })).toEqual(['identityFile: Use a path of letters, digits and _ . @ + - / only.']);
    expect(issues({ user: 'root', identityFile: '/home/ada/../bob/key' })).toEqual(['identityFile: Give the path without "..".']);
    expect(issues({ user: 'root', identityFile: '/home/ada/.ssh/id_ed25519.pub' })).toEqual(['identityFile: Choose the private key (the file without .pub).']);
    expect(issues({ user: 'root', command: 'id' })).toHaveLength(1);
  });

  it('keeps saved SSH settings in the settings schema, and refuses a broken entry', () => {
    expect(settingsSchema.parse({ vmSsh: { 'qemu:///system web': { user: 'root', port: 22 } } })).toEqual({ vmSsh: { 'qemu:///system web': { user: 'root', port: 22 } } });
    expect(settingsSchema.safeParse({ vmSsh: { 'qemu:///system web': { user: 'root' } } }).success).toBe(false);
  });
});

describe("ssh's arguments", () => {
  const target = { user: 'root', host: '192.168.122.45', port: 22 };

  it('runs one unattended command: no prompts, a bounded connect, host keys in Isolab\'s own file', () => {
    expect(sshArguments(target, knownHosts, 'uname -r')).toEqual([
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=5',
      '-o',
      'StrictHostKeyChecking=accept-new',
      '-o',
      `UserKnownHostsFile=${knownHosts}`,
      '-o',
      'LogLevel=ERROR',
      'root@192.168.122.45',
      'uname -r',
    ]);
  });

  it('adds the port when it is not 22, and only the chosen key', () => {
    const args = sshArguments({ ...target, port: 2222, identityFile: '/home/ada/.ssh/lab' }, knownHosts, 'true');
    expect(args.slice(10)).toEqual(['-p', '2222', '-o', 'IdentitiesOnly=yes', '-i', '/home/ada/.ssh/lab', 'root@192.168.122.45', 'true']);
  });

  it("escapes a known_hosts path with spaces or % for ssh's own parsing", () => {
    expect(sshArguments(target, '/home/ada b/50%/known_hosts', 'true')[7]).toBe('UserKnownHostsFile="/home/ada b/50%%/known_hosts"');
  });

  it('shows the exact command line, the remote command quoted as one word', () => {
    const command = remoteCommand("echo \"it's\" $HOME", 'a1b2c3');
    expect(command).toBe(`ISOLAB_SHELL=a1b2c3 sh -c 'echo "it'\\''s" $HOME'; exit`);
    expect(sshCommandLine(sshArguments({ ...target, identityFile: '/root/key' }, knownHosts, command))).toBe(
      `ssh -o BatchMode=yes -o ConnectTimeout=5 -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=${knownHosts} -o LogLevel=ERROR ` +
        `-o IdentitiesOnly=yes -i /root/key root@192.168.122.45 'ISOLAB_SHELL=a1b2c3 sh -c '\\''echo "it'\\''\\'\\'''\\''s" $HOME'\\''; exit'`,
    );
  });
});

describe('the remote command, run by a POSIX sh as the login shell would', () => {
  const loginShell = (command: string) => spawnSync('sh', ['-c', command], { encoding: 'utf8', env: { PATH: process.env.PATH } });

  it('runs the script with its quoting intact, marked for the kill', () => {
    const run = loginShell(remoteCommand(`printf '%s|' "it's" 'a  b' "$ISOLAB_SHELL"; echo; echo err >&2; exit 3`, 'f00d'));
    expect(run).toMatchObject({ stdout: "it's|a  b|f00d|\n", stderr: 'err\n', status: 3 });
  });

  it('reports a signal as 128+N rather than dying of it', () => {
    expect(loginShell(remoteCommand('kill -9 $$', 'f00d'))).toMatchObject({ status: 137, signal: null });
  });

  it('the kill script is valid sh that finds nothing for an unknown token', () => {
    expect(loginShell(killMarkedScript('0123456789ab'))).toMatchObject({ stdout: '\n', status: 0 });
  });
});

describe('where ssh connects', () => {
  const config = { user: 'root', port: 22 };

  it("uses the host given, else the VM's first IPv4 address", () => {
    expect(sshTarget(vm, { ...config, host: 'debian.lan' }, ['192.168.122.9'])).toEqual({ user: 'root', port: 22, host: 'debian.lan' });
    expect(sshTarget(vm, { ...config, identityFile: '/root/key' }, ['fe80::5054:ff:fe12:3456', '192.168.122.9/24', '10.0.0.2'])).toEqual({
      user: 'root',
      port: 22,
      host: '192.168.122.9',
      identityFile: '/root/key',
    });
  });

  it('says there is nowhere to connect without an IPv4 address', () => {
    expect(() => sshTarget(vm, config, ['fe80::1'])).toThrow(expect.objectContaining({ code: 'UNAVAILABLE', message: 'debian 12 has no IPv4 address libvirt knows of, so SSH has nowhere to connect' }));
  });
});

describe("the fix for ssh's own failures (recorded from OpenSSH 9.2 against the test guest's dropbear)", () => {
  const target = { user: 'root', host: '192.168.122.161', port: 22, identityFile: '/root/wrong' };
  const fixFor = async (fixture: string, over: Partial<typeof target> = {}) => sshFix(await readFixture('ssh', fixture), { ...target, ...over }, knownHosts);

  it('a key the guest refuses: add it to authorized_keys', async () => {
    expect(await fixFor('permission-denied.txt')).toEqual({
      text: expect.stringMatching(/Add the public key of \/root\/wrong \(\/root\/wrong\.pub\) to ~root\/\.ssh\/authorized_keys/),
      command: 'ssh-copy-id -i /root/wrong root@192.168.122.161',
    });
  });

  it('a changed host key: forget the old one in Isolab\'s known_hosts', async () => {
    expect(await fixFor('host-key-changed.txt')).toEqual({ text: expect.stringMatching(/not the one Isolab recorded/), command: `ssh-keygen -f ${knownHosts} -R 192.168.122.161` });
    expect((await fixFor('host-key-changed.txt', { port: 2222 })).command).toBe(`ssh-keygen -f ${knownHosts} -R '[192.168.122.161]:2222'`);
  });

  it('nothing listening, a name that does not resolve, a host that does not answer', async () => {
    expect((await fixFor('connection-refused.txt', { port: 2222 })).text).toMatch(/^Nothing listens for SSH on port 2222 of 192\.168\.122\.161/);
    expect((await fixFor('unresolved.txt')).text).toMatch(/Correct the host/);
    expect((await fixFor('no-route.txt')).text).toMatch(/does not answer/);
    expect((await fixFor('timed-out.txt')).text).toMatch(/does not answer/);
  });
});

describe('SSH settings in the settings file', () => {
  const settingsFile = () => path.join(mkdtempSync(path.join(tmpdir(), 'isolab-vmssh-')), 'isolab', 'settings.json');
  const noAddresses = () => Promise.resolve([]);

  it('saves one per VM, keeps the others, and removes it when given null', async () => {
    const file = settingsFile();
    const settings = createSettingsStore(file);
    const ssh = createVmSshSettings({ settings, env: {}, addresses: noAddresses });
    const other = { uri: 'qemu:///session', name: 'web' };
    expect(await ssh.save(vm, { user: 'root', port: 22 })).toEqual({ user: 'root', port: 22 });
    await ssh.save(other, { user: 'ada', port: 2222, host: 'web.lan' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      vmSsh: { 'qemu:///system debian 12': { user: 'root', port: 22 }, 'qemu:///session web': { user: 'ada', port: 2222, host: 'web.lan' } },
    });
    expect(await ssh.config(other)).toEqual({ user: 'ada', port: 2222, host: 'web.lan' });
    expect(await ssh.save(vm, null)).toBeNull();
    expect(await ssh.config(vm)).toBeUndefined();
    await ssh.save(other, null);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({});
  });

  it('refuses an identity file that is missing or not a file, and accepts one that is', async () => {
    const file = settingsFile();
    const ssh = createVmSshSettings({ settings: createSettingsStore(file), env: {}, addresses: noAddresses });
    const folder = path.dirname(path.dirname(file));
    await expect(ssh.save(vm, { user: 'root', port: 22, identityFile: `${folder}/missing` })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: `The identity file ${folder}/missing does not exist` });
    await expect(ssh.save(vm, { user: 'root', port: 22, identityFile: folder })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: `The identity file ${folder} is not a file` });
    writeFileSync(`${folder}/key`, 'not checked further: ssh reads it');
    expect(await ssh.save(vm, { user: 'root', port: 22, identityFile: `${folder}/key` })).toEqual({ user: 'root', port: 22, identityFile: `${folder}/key` });
  });

  it('opens no shell when the VM has no address to connect to', async () => {
    const ssh = createVmSshSettings({ settings: createSettingsStore(settingsFile()), env: {}, addresses: noAddresses });
    await expect(ssh.open(vm, { user: 'root', port: 22 })).rejects.toMatchObject({ code: 'UNAVAILABLE', fix: { text: expect.stringMatching(/DHCP lease/) } });
  });
});
