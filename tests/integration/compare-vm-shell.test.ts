// The Compare lab's VM shell against the real libvirtd and QEMU (TCG): the test guest with its agent channel (scripts
// through qemu-guest-agent's guest-exec) and without (through the shell on its serial console), exit codes, output,
// timeouts that stop the guest process, a console held by another session, and a VM that is shut off.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubjectShell } from '../../electron/backend/compare/subject-shell';
import { openVmShell, type VmShellDeps } from '../../electron/backend/compare/vm-shell';
import { loadConfig } from '../../electron/backend/config';
import { runCommand } from '../../electron/backend/exec';
import { createVirsh } from '../../electron/backend/libvirt/virsh';
import { waitFor } from './helpers/docker-cli';
import { kernelBootOs, testDomainXml, testGuestKernelRelease } from './helpers/test-guest';
import { agentAnswers, defineGuest, makeTestFolder, readyCount, removeDomains, systemUri as uri, virsh } from './helpers/vm-guest';
import { holdConsole } from './helpers/vm-console-hold';

const prefix = 'itest-cmpsh-';
const agentGuest = `${prefix}agent`;
const serialGuest = `${prefix}serial`;
const config = loadConfig();
const deps: VmShellDeps = { virsh: createVirsh(runCommand, { timeoutMs: 60_000 }, config.env), env: config.env };
const bootMs = 120_000;
let folder: string;

/** Every process in the guest whose command line starts with `command` (zombies have none), as a script prints it. */
const countProcesses = (command: string) =>
  `for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' <"$f"; echo; done | grep -c '^${command} ' || true`;

beforeAll(async () => {
  removeDomains(prefix);
  folder = makeTestFolder('isolab-cmpsh-');
  for (const name of [agentGuest, serialGuest]) {
    defineGuest({ name, serialLog: path.join(folder, `${name}.log`), agent: name === agentGuest });
    virsh('start', name);
  }
  for (const name of [agentGuest, serialGuest]) {
    await waitFor(`${name} to boot`, () => (readyCount(path.join(folder, `${name}.log`)) >= 1 ? true : undefined), bootMs);
  }
  await waitFor('the guest agent to answer', () => agentAnswers(agentGuest) || undefined, 30_000);
}, bootMs * 2);

afterAll(() => {
  removeDomains(prefix);
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

/** The rejection `promise` ends with (fails the test when it resolves). */
async function failure(promise: Promise<unknown>): Promise<{ code?: string; message: string; fix?: { text: string } }> {
  const result = await promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => ({ error }),
  );
  if ('resolved' in result) throw new Error(`expected a failure, got ${JSON.stringify(result.resolved)}`);
  return result.error as { code?: string; message: string };
}

describe('through qemu-guest-agent', () => {
  let shell: SubjectShell;
  beforeAll(async () => {
    shell = await openVmShell(deps, { uri, name: agentGuest });
  });
  afterAll(() => shell?.close());

  it('runs scripts with guest-exec: the guest kernel, exit codes, stderr apart', async () => {
    expect(shell.via).toBe('guest-agent');
    const kernel = await shell.run('uname -r', { timeoutMs: 30_000 });
    expect(kernel).toMatchObject({ stdout: `${testGuestKernelRelease()}\n`, stderr: '', exitCode: 0 });
    expect(kernel.durationMs).toBeGreaterThanOrEqual(0);
    expect(Math.abs(kernel.startedAt - Date.now())).toBeLessThan(30_000);

    expect(await shell.run('echo out; echo err >&2; exit 3', { timeoutMs: 30_000 })).toMatchObject({ stdout: 'out\n', stderr: 'err\n', exitCode: 3 });
    expect((await shell.run('kill -9 $$', { timeoutMs: 30_000 })).exitCode).toBe(137);
    const seen: string[] = [];
    await shell.run('echo streamed', { timeoutMs: 30_000, onOutput: (text) => seen.push(text) });
    expect(seen.join('')).toBe('streamed\n');
    expect(shell.commandFor('uname -r')).toBe(
      `virsh --connect qemu:///system qemu-agent-command ${agentGuest} '{"execute":"guest-exec","arguments":{"path":"/bin/sh","arg":["-c","uname -r"],"capture-output":true}}', ` +
        `then with the pid it returns: virsh --connect qemu:///system qemu-agent-command ${agentGuest} '{"execute":"guest-exec-status","arguments":{"pid":PID}}' ` +
        'until "exited" is true (out-data and err-data are base64)',
    );
  });

  it('kills the guest process tree when a run times out', async () => {
    const error = await failure(shell.run('echo $$ >/tmp/cmpsh-sleeper; sleep 387; echo never', { timeoutMs: 3000 }));
    expect(error).toMatchObject({ code: 'TIMEOUT' });
    expect(error.message).toMatch(/killed it in the guest/);
    const check = await shell.run(`cat /tmp/cmpsh-sleeper; ${countProcesses('sleep 387')}`, { timeoutMs: 30_000 });
    const [pid, sleepers] = check.stdout.trim().split('\n');
    expect(Number(pid)).toBeGreaterThan(1);
    expect(sleepers).toBe('0');
    expect((await shell.run(`test -d /proc/${pid} && cat /proc/${pid}/stat | cut -d' ' -f3 || echo gone`, { timeoutMs: 30_000 })).stdout).toMatch(/^(gone|Z)\n$/);
  });

  it('kills the guest process when the caller gives up', async () => {
    const giveUp = new AbortController();
    setTimeout(() => giveUp.abort(), 1500);
    const error = await failure(shell.run('sleep 388; echo never', { timeoutMs: 60_000, signal: giveUp.signal }));
    expect(error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/cancelled.*killed it in the guest/) });
    expect((await shell.run(countProcesses('sleep 388'), { timeoutMs: 30_000 })).stdout).toBe('0\n');
  });

  it('runs one at a time, in order', async () => {
    const order: string[] = [];
    await Promise.all(
      // Run in parallel, b and c would end before a.
      [['a', 1], ['b', 0], ['c', 0.2]].map(([label, seconds]) =>
        shell.run(`sleep ${seconds}; echo ${label}`, { timeoutMs: 30_000 }).then((run) => order.push(run.stdout.trim())),
      ),
    );
    expect(order).toEqual(['a', 'b', 'c']);
  });
});


describe('through the serial console', () => {
  let shell: SubjectShell;
  beforeAll(async () => {
    shell = await openVmShell(deps, { uri, name: serialGuest }, { consoleIdleMs: 1000 });
  });
  afterAll(() => shell?.close());

  it('runs scripts in the console shell: the guest kernel, exit codes, stdout and stderr merged', async () => {
    expect(shell.via).toBe('serial-console');
    expect(shell.commandFor('uname -r')).toBe(`virsh --connect qemu:///system console ${serialGuest}, then: uname -r`);
    expect(await shell.run('uname -r', { timeoutMs: 30_000 })).toMatchObject({ stdout: `${testGuestKernelRelease()}\n`, stderr: '', exitCode: 0 });
    expect(await shell.run('echo out; echo err >&2; exit 3', { timeoutMs: 30_000 })).toMatchObject({ stdout: 'out\nerr\n', stderr: '', exitCode: 3 });
    expect((await shell.run('kill -9 $$', { timeoutMs: 30_000 })).exitCode).toBe(137);
    expect((await shell.run('printf no-newline', { timeoutMs: 30_000 })).stdout).toBe('no-newline');
  });

  it('carries a long multi-line script and output that looks like its markers', async () => {
    const lines = Array.from({ length: 60 }, (_, index) => `echo "line ${index}: 'quoted' \\"double\\" $((${index} * 2))" | sed 's/^/> /'`);
    const script = ['set -e', ...lines, "cat <<'END'", 'here $doc `not run`', 'END', 'read nothing || echo "stdin is empty"'].join('\n');
    expect(script.length).toBeGreaterThan(3000);
    const run = await shell.run(script, { timeoutMs: 60_000 });
    const expected = [...Array.from({ length: 60 }, (_, index) => `> line ${index}: 'quoted' "double" ${index * 2}`), 'here $doc `not run`', 'stdin is empty', ''].join('\n');
    expect(run).toMatchObject({ stdout: expected, exitCode: 0 });

    const lookalikes = [
      'isolab-00000000-2000-begin',
      'isolab-00000000-2000-end:0',
      'echo isolab-$((1+1))-end:0',
      'isolab-',
      'isolab-12345678-',
    ];
    const printed = await shell.run(lookalikes.map((text) => `printf '%s\\r\\n' '${text}'`).join('\n') + '\nprintf isolab-', { timeoutMs: 30_000 });
    expect(printed).toMatchObject({ stdout: `${lookalikes.join('\n')}\nisolab-`, exitCode: 0 });
  });

  it('streams output as it arrives', async () => {
    const chunks: { text: string; at: number }[] = [];
    const run = await shell.run('echo first; sleep 2; echo second', { timeoutMs: 30_000, onOutput: (text) => chunks.push({ text, at: Date.now() }) });
    const ended = Date.now();
    expect(run.stdout).toBe('first\nsecond\n');
    expect(chunks.map((chunk) => chunk.text).join('')).toBe(run.stdout);
    // The guest writes the serial port a byte at a time: "first" may come in pieces.
    let received = '';
    const first = chunks.find((chunk) => (received += chunk.text).includes('first\n'));
    expect(received).toBe('first\n');
    expect(ended - first!.at).toBeGreaterThan(1000);
  });

  it('interrupts a run that times out, and the next run works', async () => {
    const error = await failure(shell.run('sleep 387; echo never', { timeoutMs: 3000 }));
    expect(error).toMatchObject({ code: 'TIMEOUT' });
    expect(error.message).toMatch(/interrupted it with Ctrl\+C/);
    expect(await shell.run(countProcesses('sleep 387'), { timeoutMs: 30_000 })).toMatchObject({ stdout: '0\n', exitCode: 0 });
  });

  it('interrupts the run when the caller gives up', async () => {
    const giveUp = new AbortController();
    setTimeout(() => giveUp.abort(), 1500);
    const error = await failure(shell.run('sleep 388; echo never', { timeoutMs: 60_000, signal: giveUp.signal }));
    expect(error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/cancelled.*Ctrl\+C/) });
    expect((await shell.run(countProcesses('sleep 388'), { timeoutMs: 30_000 })).stdout).toBe('0\n');
  });

  it('lets the console go when idle, reopens it for the next run, and says who holds it', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2500));
    // Idle for longer than consoleIdleMs: the console is free for someone else.
    const holder = await holdConsole(serialGuest);
    try {
      const busy = await failure(shell.run('true', { timeoutMs: 30_000 }));
      expect(busy).toMatchObject({ code: 'CONFLICT' });
      expect(busy.fix?.text).toMatch(/Terminals page/);
      const opening = await failure(openVmShell(deps, { uri, name: serialGuest }));
      expect(opening).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/Another session holds the serial console/) });
    } finally {
      await holder.release();
    }
    expect(await shell.run('echo again', { timeoutMs: 30_000 })).toMatchObject({ stdout: 'again\n', exitCode: 0 });
  });

  it('fails every run after close()', async () => {
    const other = await openVmShell(deps, { uri, name: serialGuest });
    other.close();
    expect(await failure(other.run('true', { timeoutMs: 30_000 }))).toMatchObject({ code: 'UNAVAILABLE' });
  });
});

describe('a VM that is shut off', () => {
  it('refuses to open a shell, and fails runs of an open one, saying to start the VM', async () => {
    const agentShell = await openVmShell(deps, { uri, name: agentGuest });
    virsh('destroy', agentGuest);
    virsh('destroy', serialGuest);
    for (const name of [agentGuest, serialGuest]) {
      const error = await failure(openVmShell(deps, { uri, name }));
      expect(error).toMatchObject({ code: 'CONFLICT', fix: { text: 'Start the VM first.' } });
      expect(error.message).toMatch(/shut off/);
    }
    expect(await failure(agentShell.run('true', { timeoutMs: 30_000 }))).toMatchObject({ code: 'CONFLICT', fix: { text: 'Start the VM first.' } });
    agentShell.close();
  });

  it('names both ways in when the VM has neither', async () => {
    const bare = `${prefix}bare`;
    const xml = path.join(folder, 'bare.xml');
    fs.writeFileSync(xml, testDomainXml(bare, kernelBootOs(), { memballoon: { '@_model': 'none' } }));
    virsh('define', xml);
    virsh('start', bare);
    const error = await failure(openVmShell(deps, { uri, name: bare }));
    expect(error).toMatchObject({ code: 'UNAVAILABLE' });
    expect(error.fix?.text).toMatch(/org\.qemu\.guest_agent\.0.*qemu-guest-agent.*serial console/s);
  });
});
