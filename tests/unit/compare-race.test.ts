// The start-time race's pure logic: medians over runs, phase marks, and reading `virsh start --console` output (recorded
// from this machine's libvirt and test guest) into start, first output and a ready sign; the commands it shows.
import { describe, expect, it } from 'vitest';
import type { RaceRun } from '@shared/compare-types';
import { createConsoleReader, createPhaseRecorder, median, phaseMedians, plainText, promptSettleMs, type ConsoleReading } from '../../electron/backend/compare/race-phases';
import { vmRaceCommands } from '../../electron/backend/compare/race-vm';
import { readLibvirtFixture } from './host-fixture-support';

interface Chunk {
  atMs: number;
  text: string;
}

async function recorded(name: string): Promise<Chunk[]> {
  return JSON.parse(await readLibvirtFixture(name)) as Chunk[];
}

function replay(chunks: readonly Chunk[], reader = createConsoleReader()): ConsoleReading[] {
  return chunks.flatMap((chunk) => reader.push(chunk.text, chunk.atMs));
}

const banner = "Domain 'web' started\r\nConnected to domain 'web'\r\nEscape character is ^] (Ctrl + ])\r\n";

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([7, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
    expect(median([5])).toBe(5);
    expect(median([])).toBeUndefined();
  });

  it('leaves its input as it was', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('phaseMedians', () => {
  it('takes each phase over the runs that reached it, and leaves out phases no run reached', () => {
    const runs: RaceRun[] = [
      { run: 1, phases: { start: 400, 'first-output': 7000, ready: 7010 } },
      { run: 2, phases: { start: 500 }, error: { code: 'TIMEOUT', message: 'no ready sign' } },
      { run: 3, phases: { start: 450.04, 'first-output': 6000, ready: 6020 } },
    ];
    expect(phaseMedians(runs)).toEqual({ start: 450, 'first-output': 6500, ready: 6515 });
    expect(phaseMedians([])).toEqual({});
  });
});

describe('createPhaseRecorder', () => {
  it('keeps the first mark of each phase, rounded to a tenth of a millisecond, and reports only that one', () => {
    const seen: [string, number][] = [];
    const recorder = createPhaseRecorder((phase, atMs) => seen.push([phase, atMs]));
    expect(recorder.mark('start', 12.345)).toBe(true);
    expect(recorder.mark('first-output', 12.345)).toBe(true);
    expect(recorder.mark('start', 20)).toBe(false);
    expect(recorder.phases).toEqual({ start: 12.3, 'first-output': 12.3 });
    expect(seen).toEqual([
      ['start', 12.3],
      ['first-output', 12.3],
    ]);
  });
});

describe('console reader on a recorded start of the test guest', () => {
  it('finds the start, the first guest byte and the ready marker line', async () => {
    const reader = createConsoleReader();
    const readings = replay(await recorded('race-start-console.json'), reader);
    expect(readings).toEqual([
      { phase: 'start', atMs: 435.3 },
      { phase: 'first-output', atMs: 7048.4 },
      { phase: 'ready', atMs: 7054.4, readyBy: 'ready marker: ISOLAB-GUEST-READY 6.1.0-56-amd64' },
    ]);
    expect(reader.started).toBe(true);
    expect(reader.promptPending).toBe(false);
  });

  it('sees no start when virsh refused it, and keeps its error for the run', async () => {
    const reader = createConsoleReader();
    expect(replay(await recorded('race-start-console-running.json'), reader)).toEqual([]);
    expect(reader.started).toBe(false);
    expect(reader.tail()).toMatch(/^error: Domain is already active$/m);
  });
});

describe('console reader ready signs', () => {
  it('takes a login prompt once nothing extends it, at the time it appeared', () => {
    const reader = createConsoleReader();
    replay([{ atMs: 300, text: banner }], reader);
    expect(reader.push('\r\nDebian GNU/Linux 12 debian ttyS0\r\n\r\n', 9000)).toEqual([{ phase: 'first-output', atMs: 9000 }]);
    expect(reader.push('debian login: ', 9100)).toEqual([]);
    expect(reader.promptPending).toBe(true);
    expect(reader.settle(9100 + promptSettleMs - 1)).toEqual([]);
    expect(reader.settle(9100 + promptSettleMs)).toEqual([{ phase: 'ready', atMs: 9100, readyBy: 'login prompt: debian login:' }]);
  });

  it('takes a shell prompt followed only by an escape sequence (busybox asks for the cursor position)', () => {
    const reader = createConsoleReader();
    replay([{ atMs: 300, text: `${banner}Please press Enter\r\n` }], reader);
    expect(reader.push('root@debian:~# ', 5000)).toEqual([]);
    expect(reader.push('\x1b[6n', 5050)).toEqual([]);
    expect(reader.push('\x1b', 5400)).toEqual([{ phase: 'ready', atMs: 5000, readyBy: 'shell prompt: root@debian:~#' }]);
  });

  it('drops a prompt-like piece that the next bytes turn into an ordinary line', () => {
    const reader = createConsoleReader();
    replay([{ atMs: 300, text: banner }], reader);
    reader.push('ISOLAB # ', 1000);
    expect(reader.promptPending).toBe(true);
    expect(reader.push('7 of 9\r\n', 1001)).toEqual([]);
    expect(reader.promptPending).toBe(false);
    expect(reader.settle(5000)).toEqual([]);
  });

  it('takes any line that starts with a word ending in READY as a marker, and nothing else', () => {
    const reader = createConsoleReader();
    const lines = ['[    1.20] virtio_blk: READY', 'NOT READY YET', 'APP_READY v2.1'].map((line, index) => ({ atMs: 1000 + index, text: `${line}\r\n` }));
    expect(replay([{ atMs: 300, text: banner }, ...lines], reader)).toEqual([
      { phase: 'start', atMs: 300 },
      { phase: 'first-output', atMs: 1000 },
      { phase: 'ready', atMs: 1002, readyBy: 'ready marker: APP_READY v2.1' },
    ]);
  });

  it('counts nothing virsh prints before the console banner as guest output', () => {
    const reader = createConsoleReader();
    expect(reader.push("Domain 'web' started\r\nConnected to domain 'web'\r\n", 400)).toEqual([{ phase: 'start', atMs: 400 }]);
    expect(reader.push('Escape character is ^] (Ctrl + ])\r\n', 401)).toEqual([]);
    expect(reader.push('READY\r\n', 2000)).toEqual([
      { phase: 'first-output', atMs: 2000 },
      { phase: 'ready', atMs: 2000, readyBy: 'ready marker: READY' },
    ]);
  });

  it('reads a line whose escape sequence was cut between two chunks', () => {
    const reader = createConsoleReader();
    replay([{ atMs: 300, text: banner }], reader);
    reader.push('\x1b[1;3', 800);
    expect(reader.push('2mGUEST-READY\x1b[0m\r\n', 801)).toEqual([{ phase: 'ready', atMs: 801, readyBy: 'ready marker: GUEST-READY' }]);
  });
});

describe('plainText', () => {
  it('removes colours, cursor queries, titles and carriage returns', () => {
    expect(plainText('\x1b[32mok\x1b[0m\r\n\x1b]0;title\x07/ # \x1b[6n')).toBe('ok\n/ # ');
  });
});

describe('vmRaceCommands', () => {
  it('shows the console start and the force-off as a user would type them', () => {
    expect(vmRaceCommands({ uri: 'qemu:///system', name: 'web', hasConsole: true, hasAgent: true })).toEqual([
      'virsh --connect qemu:///system start web --console',
      'virsh --connect qemu:///system destroy web',
    ]);
  });

  it('shows the guest-ping poll when there is no console', () => {
    expect(vmRaceCommands({ uri: 'qemu:///system', name: 'my vm', hasConsole: false, hasAgent: true })).toEqual([
      "virsh --connect qemu:///system start 'my vm'",
      `virsh --connect qemu:///system qemu-agent-command 'my vm' '{"execute":"guest-ping"}'`,
      "virsh --connect qemu:///system destroy 'my vm'",
    ]);
  });
});
