// The Compare lab's VM shell, its pure parts: the lines typed into a guest's serial console and the scanner that reads
// the recorded console back (markers, "\r\n", chunks split anywhere), virsh's words about a busy console, and the
// guest agent's recorded replies (guest-info, guest-exec, guest-exec-status) and the domain XML's ways in.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  agentReturn,
  execCommand,
  execStatusCommand,
  execUnsupportedReason,
  killTreeScript,
  parseExecStatus,
} from '../../electron/backend/compare/vm-agent-shell';
import {
  asksForLogin,
  beginMarker,
  classifyConsoleFailure,
  consoleRunSteps,
  ConsoleRunScanner,
  consoleTail,
  endMarker,
  maxConsoleLineLength,
  normalizeNewlines,
  randomMarkers,
  syncLine,
  syncMarker,
  virshConsoleText,
  type ConsoleMarkers,
} from '../../electron/backend/compare/vm-console-protocol';
import { guestAccess } from '../../electron/backend/compare/vm-shell';
import { shellQuote, virshCommandLine, vmNotRunning } from '../../electron/backend/compare/vm-shell-support';
import { readLibvirtFixture as fixture } from './host-fixture-support';

/** The markers the console recordings were made with. */
const recorded: ConsoleMarkers = { token: '5f3a9c21', left: 4242, right: 1717 };

async function chunks(name: string): Promise<string[]> {
  return (JSON.parse(await fixture(name)) as [number, string][]).map(([, text]) => text);
}

function scanAll(markers: ConsoleMarkers, parts: string[]) {
  const scanner = new ConsoleRunScanner(markers);
  const streamed: string[] = [];
  let exitCode: number | undefined;
  for (const part of parts) {
    const result = scanner.push(part);
    if (result.output) streamed.push(result.output);
    if (result.done) exitCode = result.exitCode;
  }
  return { text: scanner.text, streamed, exitCode, began: scanner.began };
}

/** `text` cut into pieces of `size` characters: every marker, "\r" and "\n" ends up split somewhere. */
function pieces(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let offset = 0; offset < text.length; offset += size) parts.push(text.slice(offset, offset + size));
  return parts;
}

describe('console markers and lines', () => {
  it('types the marker as arithmetic the shell computes, so the echo never matches what it prints', () => {
    const [line] = consoleRunSteps('uname -r', recorded);
    expect(line?.ack).toBeUndefined();
    expect(line?.line).toContain('echo isolab-5f3a9c21-$((4242+1717))-begin;');
    expect(line?.line).toContain('echo isolab-5f3a9c21-$((4242+1717))-end:$?;');
    expect(line?.line).not.toContain(beginMarker(recorded));
    expect(line?.line).not.toContain(endMarker(recorded));
    expect(line?.line.endsWith('\n')).toBe(true);
    expect(syncLine(recorded)).toBe('echo isolab-5f3a9c21-$((4242+1717))-sync\n');
    expect(syncMarker(recorded)).toBe('isolab-5f3a9c21-5959-sync');
  });

  it('makes fresh markers each time', () => {
    const values = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
    const first = randomMarkers(() => values.shift()!);
    const second = randomMarkers(() => values.shift()!);
    expect(first.token).toMatch(/^[0-9a-f]{8}$/);
    expect(second.token).not.toBe(first.token);
    expect(first.left).toBeGreaterThanOrEqual(1000);
  });

  it('splits a long script into acknowledged lines the guest line editor keeps whole, and runs exactly that script', () => {
    const script = Array.from({ length: 80 }, (_, index) => `echo "line ${index}: 'quoted' \\"double\\" $((${index} * 2))"`).join('\n');
    const steps = consoleRunSteps(script, recorded);
    expect(steps.length).toBeGreaterThan(3);
    for (const step of steps) expect(step.line.length).toBeLessThanOrEqual(maxConsoleLineLength + 1);
    for (const [index, step] of steps.slice(0, -1).entries()) {
      expect(step.ack).toBe(`isolab-5f3a9c21-5959-${index}-stored`);
      expect(step.line).toContain(`echo isolab-5f3a9c21-$((4242+1717))-${index}-stored`);
    }
    expect(steps.at(-1)?.ack).toBeUndefined();
    // The same lines in a real POSIX shell (dash) print the markers and the script's own output between them.
    const output = execFileSync('sh', ['-s'], { input: steps.map((step) => step.line).join(''), encoding: 'utf8' });
    const scanned = scanAll(recorded, [output]);
    expect(scanned.exitCode).toBe(0);
    expect(scanned.text).toBe(Array.from({ length: 80 }, (_, index) => `line ${index}: 'quoted' "double" ${index * 2}\n`).join(''));
  });

  it('runs an empty script and keeps stdin away from the console', () => {
    const output = execFileSync('sh', ['-s'], { input: consoleRunSteps('', recorded)[0]!.line, encoding: 'utf8' });
    expect(scanAll(recorded, [output])).toMatchObject({ text: '', exitCode: 0 });
    const reading = consoleRunSteps('read line && echo "read: $line" || echo nothing', recorded)
      .map((step) => step.line)
      .join('');
    const read = execFileSync('sh', ['-s'], { input: `${reading}: this line must not be read\n`, encoding: 'utf8' });
    expect(scanAll(recorded, [read]).text).toBe('nothing\n');
  });
});

describe('reading the recorded console back', () => {
  it('finds the output between the markers of a real run, whole and cut into any pieces', async () => {
    const recording = await chunks('vm-shell-console-short.json');
    const expected = { text: '6.1.0-56-amd64\nerr\nisolab-5f3a9c21-\nno newline', exitCode: 3, began: true };
    expect(scanAll(recorded, recording)).toMatchObject(expected);
    const whole = recording.join('');
    for (const size of [1, 2, 3, 7, 16]) {
      const scanned = scanAll(recorded, pieces(whole, size));
      expect(scanned).toMatchObject(expected);
      // Streamed as it came, nothing of the end marker handed on.
      expect(scanned.streamed.join('')).toBe(expected.text);
    }
  });

  it('reads a long script typed over several acknowledged lines', async () => {
    const scanned = scanAll(recorded, await chunks('vm-shell-console-long.json'));
    expect(scanned.exitCode).toBe(0);
    expect(scanned.text).toBe(Array.from({ length: 40 }, (_, index) => `line ${index}: 'quoted' "double" ${index * 2}\n`).join(''));
  });

  it('ignores other runs, output that only looks like markers, and the echo of the typed line', () => {
    const other: ConsoleMarkers = { token: '5f3a9c21', left: 4242, right: 1718 };
    const console = [
      'echo isolab-5f3a9c21-$((4242+1717))-begin; sh -c …; echo isolab-5f3a9c21-$((4242+1717))-end:$?\r\n',
      `${beginMarker(other)}\r\nstale\r\n${endMarker(other)}0\r\n`,
      `${beginMarker(recorded)}\r\n`,
      `isolab-5f3a9c21-5959-begin\r\n${endMarker(other)}1\r\nisolab-5f3a9c21-5959-end\r\n`,
      `${endMarker(recorded)}42\r\n/ # `,
    ];
    expect(scanAll(recorded, console)).toMatchObject({
      text: `isolab-5f3a9c21-5959-begin\n${endMarker(other)}1\nisolab-5f3a9c21-5959-end\n`,
      exitCode: 42,
    });
  });

  it('waits for the whole exit status, and for the begin line to end', () => {
    const scanner = new ConsoleRunScanner(recorded);
    expect(scanner.push(beginMarker(recorded))).toEqual({ done: false, output: '' });
    expect(scanner.began).toBe(false);
    expect(scanner.push('\r\nout\r\n')).toEqual({ done: false, output: 'out\n' });
    expect(scanner.push(`${endMarker(recorded)}12`)).toEqual({ done: false, output: '' });
    expect(scanner.push('7\r\n')).toEqual({ done: true, output: '', exitCode: 127 });
    expect(scanner.exitStatus).toBe(127);
  });

  it('turns the serial line\'s "\\r\\n" (and a script\'s own, "\\r\\r\\n") into "\\n"', () => {
    expect(normalizeNewlines('a\r\nb\r\r\nc\rd\n')).toBe('a\nb\nc\rd\n');
  });
});

describe("virsh console's words", () => {
  it('knows a console another session holds', async () => {
    const said = virshConsoleText(await fixture('vm-shell-console-busy.txt'));
    expect(said).toBe('error: operation failed: Active console session exists for this domain');
    expect(classifyConsoleFailure(said)).toBe('busy');
    expect(classifyConsoleFailure('error: Requested operation is not valid: domain is not running')).toBe('not-running');
    expect(classifyConsoleFailure('error: internal error: character device serial0 is not using a PTY')).toBe('other');
  });

  it('sees a login prompt, and keeps escape sequences out of details', () => {
    expect(asksForLogin('\r\nDebian GNU/Linux 12 guest ttyS0\r\n\r\nguest login: ')).toBe(true);
    expect(asksForLogin('Password: ')).toBe(true);
    expect(asksForLogin('/ # \u001b[6n')).toBe(false);
    expect(consoleTail('x\r\n/ # \u001b[6n')).toBe('x\n/ #');
  });
});

describe('the guest agent', () => {
  it('reads guest-info: guest-exec is there and enabled', async () => {
    const info = agentReturn(await fixture('vm-shell-agent-guest-info.json'));
    expect(info.version).toBe('7.2.22');
    expect(execUnsupportedReason(info)).toBeUndefined();
    const disabled = {
      ...info,
      supported_commands: (info.supported_commands as { name: string; enabled: boolean }[]).map((command) =>
        command.name === 'guest-exec' ? { ...command, enabled: false } : command,
      ),
    };
    expect(execUnsupportedReason(disabled)).toBe("guest-exec is disabled in the guest agent's configuration");
    expect(execUnsupportedReason({ version: '2.5.0', supported_commands: [{ name: 'guest-ping', enabled: true }] })).toBe(
      'the guest agent 2.5.0 has no guest-exec command',
    );
  });

  it('reads guest-exec and guest-exec-status: running, exited with output, ended by a signal', async () => {
    expect(agentReturn(await fixture('vm-shell-agent-exec.json'))).toEqual({ pid: 109 });
    expect(parseExecStatus(agentReturn(await fixture('vm-shell-agent-status-running.json')))).toMatchObject({ exited: false });
    expect(parseExecStatus(agentReturn(await fixture('vm-shell-agent-status-exited.json')))).toEqual({
      exited: true,
      exitCode: 3,
      stdout: '6.1.0-56-amd64\n',
      stderr: 'err\n',
      truncated: false,
    });
    expect(parseExecStatus(agentReturn(await fixture('vm-shell-agent-status-killed.json')))).toMatchObject({ exited: true, exitCode: 137, stdout: '' });
  });

  it('refuses replies that are not results', () => {
    expect(() => agentReturn('not json')).toThrow(/not JSON/);
    expect(() => agentReturn('{"error":{"class":"GenericError"}}')).toThrow(/without a result/);
  });

  it('builds the commands it sends', () => {
    expect(JSON.stringify(execCommand("echo 'hi'"))).toBe(
      '{"execute":"guest-exec","arguments":{"path":"/bin/sh","arg":["-c","echo \'hi\'"],"capture-output":true}}',
    );
    expect(execStatusCommand(7)).toEqual({ execute: 'guest-exec-status', arguments: { pid: 7 } });
  });

  it('kills a process tree, parent first stopped so nothing forks away', () => {
    // A real tree on this host: a shell with a sleeping child, both gone after the script.
    const tree = execFileSync('sh', ['-c', 'sh -c "sleep 300; echo never" >/dev/null 2>&1 & echo $!; sleep 0.3'], { encoding: 'utf8' }).trim();
    const parent = Number(tree);
    const killed = execFileSync('sh', ['-c', killTreeScript(parent)], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
    expect(killed[0]).toBe(parent);
    expect(killed.length).toBe(2);
    for (const pid of killed) {
      let state = 'gone';
      try {
        state = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
      } catch {
        // ps exits 1 for a process that no longer exists.
      }
      expect(state).toMatch(/^(gone|Z)/);
    }
  });
});

describe('the domain XML and the words for the user', () => {
  it('finds the agent channel and the pty console', async () => {
    expect(guestAccess(await fixture('vm-shell-domain-agent-running.xml'))).toEqual({ agentChannel: true, serialConsole: true });
    expect(guestAccess(await fixture('domain-kernel-inactive.xml'))).toEqual({ agentChannel: false, serialConsole: true });
    expect(guestAccess(await fixture('vm-shell-domain-no-console.xml'))).toEqual({ agentChannel: false, serialConsole: false });
  });

  it('quotes command lines for a POSIX shell', () => {
    expect(shellQuote('qemu:///system')).toBe('qemu:///system');
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
    const printed = execFileSync('sh', ['-c', `printf %s ${shellQuote(`{"a":"it's $HOME"}`)}`], { encoding: 'utf8' });
    expect(printed).toBe(`{"a":"it's $HOME"}`);
    expect(virshCommandLine({ uri: 'qemu:///system', name: 'my vm' }, 'console', 'my vm')).toBe("virsh --connect qemu:///system console 'my vm'");
  });

  it('says to start, or resume, a VM that is not running', () => {
    expect(vmNotRunning({ uri: 'qemu:///system', name: 'a' }, 'shut off').toWire()).toEqual({
      code: 'CONFLICT',
      message: 'a is shut off, so no command can run in it',
      fix: { text: 'Start the VM first.' },
    });
    expect(vmNotRunning({ uri: 'qemu:///system', name: 'a' }, 'paused').fix).toEqual({ text: 'Resume the VM first.', command: 'virsh --connect qemu:///system resume a' });
  });
});
