// Terminal sessions against the real host, dockerd and libvirtd through the RPC server: the host shell, flow control
// under a flood, exec and attach in local/busybox containers, reopening after a restart, and disposal with the client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, removeTestObjects, startBackend, testImage, waitFor, type TestBackend } from './helpers/docker-cli';
import { failure } from '../helpers/failure';
import { isolatedHome, openTerminal } from './helpers/terminal-session';

const prefix = 'itest-term-';
let test: TestBackend;
let home: ReturnType<typeof isolatedHome>;

beforeAll(() => {
  removeTestObjects(prefix);
  home = isolatedHome();
  test = startBackend('terminal-test');
});
afterAll(() => {
  test?.close();
  home?.restore();
  removeTestObjects(prefix);
});

describe('host shell', () => {
  it('runs the login shell in the home folder, echoes, resizes and ends on close', async () => {
    const terminal = await openTerminal(test.client, { kind: 'host-shell' }, { cols: 90, rows: 20 });
    expect(terminal.session.title).toMatch(/^Shell: /);
    await terminal.type('echo "itest-$((6*7))"; pwd; stty size\r');
    await terminal.waitFor(/itest-42\r\n(\/\S*)\r\n20 90\r\n/);
    expect(terminal.text()).toContain(`\r\n${home.home}\r\n`);
    await test.client.call('terminal.resize', { id: terminal.session.id, cols: 120, rows: 33 });
    const mark = terminal.received();
    await terminal.type('stty size\r');
    await terminal.waitFor(/33 120\r\n/, 10_000, mark);
    await test.client.call('terminal.close', { id: terminal.session.id });
    const exit = await terminal.exit;
    expect(exit.canReopen).toBe(true);
    await waitFor('the session to be gone', () => (test.backend.terminalSessions === 0 ? true : undefined));
    const gone = await failure(test.client.call('terminal.input', { id: terminal.session.id, data: 'x' }));
    expect(gone.code).toBe('NOT_FOUND');
  });

  it('reports the exit of the shell with its code', async () => {
    const terminal = await openTerminal(test.client, { kind: 'host-shell' });
    await terminal.type('exit 3\r');
    const exit = await terminal.exit;
    expect(exit).toMatchObject({ exitCode: 3, canReopen: true });
    expect(exit.message).toMatch(/exited with code 3/);
  });

  it('pauses a flood while the output is not acknowledged, resumes once it is, and Ctrl-C stops it', async () => {
    const terminal = await openTerminal(test.client, { kind: 'host-shell' }, { autoAck: false });
    await terminal.type('yes itest-flood | head -c 50000000; echo itest-flood-done\r');
    await terminal.waitFor(/itest-flood\r\n/);
    // Unacknowledged output stops at the high watermark (100k) plus what was in flight: far below 50 MB.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const held = terminal.received();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(terminal.received()).toBe(held);
    expect(held).toBeLessThan(600_000);
    await terminal.ack(held);
    await waitFor('more output after the acknowledgement', () => (terminal.received() > held ? true : undefined), 10_000);
    await terminal.type('\x03');
    // The output keeps flowing once acknowledged, until the shell is back at its prompt after the interrupt.
    const stopped = (async () => {
      for (let acked = held; ; ) {
        const now = terminal.received();
        if (now > acked) {
          await terminal.ack(now - acked);
          acked = now;
        }
        if (/\^C/.test(terminal.text().slice(-4000))) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await stopped;
    // The command line's own echo names it too: only a line of its own would mean the flood ran to its end.
    expect(terminal.text()).not.toContain('\r\nitest-flood-done\r\n');
    await test.client.call('terminal.close', { id: terminal.session.id });
    await terminal.exit;
  });

  it('ends every session of a client that goes away', async () => {
    const other = startBackend('terminal-test-gone');
    try {
      const first = await openTerminal(other.client, { kind: 'host-shell' });
      await openTerminal(other.client, { kind: 'host-shell' });
      await first.waitFor(/[$#] $/);
      expect(other.backend.terminalSessions).toBe(2);
      other.link.disconnect();
      await waitFor('the sessions to end', () => (other.backend.terminalSessions === 0 ? true : undefined));
    } finally {
      other.close();
    }
  });

  it('lets only the opening client use a session', async () => {
    const other = startBackend('terminal-test-other');
    const session = await test.client.call('terminal.open', { target: { kind: 'host-shell' }, cols: 80, rows: 24 });
    try {
      const refused = await failure(other.client.call('terminal.input', { id: session.id, data: 'echo hi\r' }));
      expect(refused.code).toBe('NOT_FOUND');
    } finally {
      await test.client.call('terminal.close', { id: session.id });
      other.close();
    }
  });
});

describe('containers', () => {
  it('opens the first shell the container has, at the view size, and ends the exec on close', async () => {
    const name = `${prefix}exec`;
    docker('run', '-d', '--name', name, testImage, 'sleep', '3600');
    const terminal = await openTerminal(test.client, { kind: 'container-exec', id: name }, { cols: 101, rows: 31 });
    // busybox has no bash, so sh it is.
    expect(terminal.session.title).toBe(`sh in ${name}`);
    await terminal.type('stty size; echo "itest-$((6*7))"\r');
    await terminal.waitFor(/31 101\r\nitest-42/);
    await test.client.call('terminal.resize', { id: terminal.session.id, cols: 77, rows: 22 });
    const mark = terminal.received();
    await terminal.type('stty size\r');
    await terminal.waitFor(/22 77\r\n/, 10_000, mark);
    await test.client.call('terminal.close', { id: terminal.session.id });
    await terminal.exit;
    await waitFor('the exec shell to end', () => (docker('top', name).includes(' sh') ? undefined : true));
  });

  it('runs the given command as the given user in the given folder', async () => {
    const name = `${prefix}exec-args`;
    docker('run', '-d', '--name', name, testImage, 'sleep', '3600');
    const terminal = await openTerminal(test.client, { kind: 'container-exec', id: name, command: ['sh', '-c', 'id -u; pwd'], user: '65534', workdir: '/tmp' });
    await terminal.waitFor(/65534\r\n\/tmp\r\n/);
    const exit = await terminal.exit;
    expect(exit).toMatchObject({ exitCode: 0, canReopen: true });
  });

  it('ends with a reopen offer when the container restarts, and a reopen works', async () => {
    const name = `${prefix}restart`;
    docker('run', '-d', '--name', name, testImage, 'sleep', '3600');
    const terminal = await openTerminal(test.client, { kind: 'container-exec', id: name });
    await terminal.waitFor(/\/ # /);
    docker('restart', '-t', '0', name);
    const exit = await terminal.exit;
    expect(exit.canReopen).toBe(true);
    const again = await openTerminal(test.client, { kind: 'container-exec', id: name });
    await again.type('echo itest-again\r');
    await again.waitFor(/itest-again\r\n/);
    await test.client.call('terminal.close', { id: again.session.id });
  });

  it('refuses a stopped container and a missing one with a clear error', async () => {
    const name = `${prefix}stopped`;
    docker('create', '--name', name, testImage, 'sleep', '3600');
    const stopped = await failure(test.client.call('terminal.open', { target: { kind: 'container-exec', id: name }, cols: 80, rows: 24 }));
    expect(stopped.code).toBe('CONFLICT');
    expect(stopped.fix?.text).toMatch(/Start the container/);
    const missing = await failure(test.client.call('terminal.open', { target: { kind: 'container-exec', id: `${prefix}nothing` }, cols: 80, rows: 24 }));
    expect(missing.code).toBe('NOT_FOUND');
  });

  it('attaches to a TTY container and detaches on close, leaving it running', async () => {
    const name = `${prefix}attach`;
    docker('run', '-dit', '--name', name, testImage, 'sh');
    const terminal = await openTerminal(test.client, { kind: 'container-attach', id: name }, { cols: 88, rows: 26 });
    expect(terminal.session.notice).toMatch(/stops the container/);
    await terminal.type('stty size; echo itest-attached\r');
    await terminal.waitFor(/26 88\r\nitest-attached/);
    await test.client.call('terminal.close', { id: terminal.session.id });
    const exit = await terminal.exit;
    expect(exit.message).toMatch(/still running/);
    expect(docker('inspect', '-f', '{{.State.Running}}', name)).toBe('true');
    const noTty = `${prefix}attach-notty`;
    docker('run', '-d', '--name', noTty, testImage, 'sleep', '3600');
    const refused = await failure(test.client.call('terminal.open', { target: { kind: 'container-attach', id: noTty }, cols: 80, rows: 24 }));
    expect(refused.code).toBe('CONFLICT');
  });
});
