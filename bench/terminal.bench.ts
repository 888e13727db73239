// Terminals in Chromium over web mode: how long a click elsewhere takes while a shell floods its terminal, output
// throughput from the process to xterm having drawn it against a plain node-pty read of the same output and against
// xterm.js alone drawing the same text in the same browser, Ctrl-C during a flood, and keystroke-to-echo latency.
// Reports figures; never fails.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from '@playwright/test';
import { spawn } from 'node-pty';
import { fontFamily, fontSizes, scrollback } from '../renderer/src/features/terminal/xterm-theme';
import { chromiumArgs, chromiumPath } from '../tests/helpers/chromium';
import { startWebMode, stopWebMode } from '../tests/helpers/web-mode-process';
import { median, type Figure } from './stats';

const floodBytes = 50_000_000;
const clickRuns = 10;
const keystrokes = 100;
const interruptRuns = 5;

/** A plain node-pty read of `yes | head -c N`: the fastest this machine moves that output through a pty. */
function plainPtyMs(): Promise<number> {
  return new Promise((resolve) => {
    const started = performance.now();
    const pty = spawn('/bin/sh', ['-c', `yes | head -c ${floodBytes}`], { cols: 120, rows: 40, env: { PATH: process.env.PATH } });
    let received = 0;
    pty.onData((data) => (received += data.length));
    pty.onExit(() => resolve(performance.now() - started));
  });
}

/**
 * Waits until the terminal shows `pattern`. With `lastLines`, only the bottom of the buffer is read: reading all
 * 10k lines of scrollback every 20 ms would take the page's time from the very output being measured.
 */
/** Clock ticks per second of /proc/<pid>/stat on Linux. */
const ticksPerSecond = 100;

/**
 * CPU seconds (user and system, with reaped children) used so far by this process's descendants, by kind: the web
 * mode backend with everything under it (the shell, yes, head), each Chromium process `--type`, and Chromium's
 * browser process. From /proc; processes that end while being read are skipped.
 */
function cpuSecondsByKind(backendPid: number): Record<string, number> {
  const stats = new Map<number, { parent: number; ticks: number }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command name (which may hold spaces): state, ppid, …, utime (14), stime, cutime, cstime.
      const fields = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      stats.set(Number(entry), { parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]) });
    } catch {
      // Ended while being read.
    }
  }
  const byKind: Record<string, number> = {};
  for (const [pid, stat] of stats) {
    let underBackend = false;
    let ancestor: number | undefined = pid;
    while (ancestor !== undefined && ancestor !== process.pid && ancestor > 1) {
      if (ancestor === backendPid) underBackend = true;
      ancestor = stats.get(ancestor)?.parent;
    }
    if (ancestor !== process.pid || pid === process.pid) continue;
    let kind = 'backend';
    if (!underBackend) {
      try {
        const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        kind = /--type=([\w-]+)/.exec(command)?.[1] ?? (command.includes('chrom') ? 'browser' : 'other');
      } catch {
        continue;
      }
    }
    byKind[kind] = (byKind[kind] ?? 0) + stat.ticks / ticksPerSecond;
  }
  return byKind;
}

function cpuUsed(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([kind, seconds]) => [kind, seconds - (before[kind] ?? 0)]));
}

async function waitForText(page: Page, pattern: string, lastLines?: number, timeoutMs = 120_000): Promise<void> {
  await page.waitForFunction(
    ([text, last]) => {
      const element = document.querySelector('[data-testid="terminal"] .isolab-terminal') as unknown as { isolabTerminal: { text(lastLines?: number): string } } | null;
      return element?.isolabTerminal.text(last).includes(text) ?? false;
    },
    [pattern, lastLines] as const,
    { timeout: timeoutMs, polling: 20 },
  );
}

/**
 * xterm.js by itself in a blank page of the same browser, at the app terminal's size, font and scrollback, fed the
 * same text (`yes` output after the pty's newline translation) in batch-sized writes with no transport: the most
 * this browser can draw, the upper bound for the whole path. Plain script text, so the bundler adds nothing to it.
 */
const xtermAloneScript = `
window.writeAlone = (chars, webgl, options) => new Promise((resolve) => {
  const terminal = new Terminal(options);
  terminal.open(document.getElementById('terminal'));
  if (webgl) terminal.loadAddon(new WebglAddon.WebglAddon());
  const piece = 'y\\r\\n'.repeat(40000);
  const pieces = Math.ceil(chars / piece.length);
  const started = performance.now();
  let written = 0;
  let done = 0;
  const more = () => {
    // A few writes queued at a time, like the flow-controlled stream (xterm drops input queued past 50 MB).
    while (written < pieces && written - done < 4) {
      written++;
      terminal.write(piece, () => {
        if (++done === pieces) requestAnimationFrame(() => resolve(performance.now() - started));
        else more();
      });
    }
  };
  more();
});`;

async function xtermAloneMs(browser: Browser, size: { width: number; height: number }, webgl: boolean): Promise<number> {
  const blank = await browser.newPage();
  try {
    const css = fs.readFileSync('node_modules/@xterm/xterm/css/xterm.css', 'utf8');
    await blank.setContent(`<style>${css}</style><div id="terminal" style="width:${size.width}px;height:${size.height}px"></div>`);
    await blank.addScriptTag({ content: fs.readFileSync('node_modules/@xterm/xterm/lib/xterm.js', 'utf8') });
    await blank.addScriptTag({ content: fs.readFileSync('node_modules/@xterm/addon-webgl/lib/addon-webgl.js', 'utf8') });
    await blank.addScriptTag({ content: xtermAloneScript });
    // `yes` writes "y\n"; the pty turns each newline into "\r\n".
    const options = { fontFamily, fontSize: fontSizes.initial, scrollback };
    return await blank.evaluate(
      ([chars, useWebgl, terminalOptions]) =>
        (window as unknown as { writeAlone(chars: number, webgl: boolean, options: unknown): Promise<number> }).writeAlone(chars, useWebgl, terminalOptions),
      [floodBytes * 1.5, webgl, options] as const,
    );
  } finally {
    await blank.close();
  }
}

async function typeLine(page: Page, line: string): Promise<void> {
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** In the page: click the sidebar link, then wait for its heading to be painted; ms from the click. */
function clickToHeadingMs(page: Page, label: string): Promise<number> {
  return page.evaluate(async (name) => {
    const link = [...document.querySelectorAll('nav a')].find((anchor) => anchor.textContent?.trim() === name) as HTMLElement;
    const started = performance.now();
    link.click();
    // Loops, not named helpers: the bundler would wrap those in a helper the page does not have.
    do await new Promise((resolve) => requestAnimationFrame(resolve));
    while (document.querySelector('h1')?.textContent !== name);
    return performance.now() - started;
  }, label);
}

async function clickLatencies(page: Page): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < clickRuns; run++) times.push(await clickToHeadingMs(page, run % 2 === 0 ? 'Images' : 'Host doctor'));
  return times;
}

/** ms from Ctrl-C to the output of the command typed right after it (the flood stopped, everything sent drawn). */
async function interruptMs(page: Page, flood: boolean): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < interruptRuns; run++) {
    if (flood) {
      await typeLine(page, 'yes isolab-bench-interrupt');
      await waitForText(page, 'isolab-bench-interrupt\n', 3);
    } else {
      await typeLine(page, 'sleep 100');
    }
    const started = performance.now();
    await page.keyboard.press('Control+C');
    await typeLine(page, `echo interrupted-${run}-$((6*7))`);
    await waitForText(page, `interrupted-${run}-42`, 5);
    times.push(performance.now() - started);
  }
  return times;
}

/** ms from the key going down to its echo in xterm's buffer, measured in the page. */
async function keystrokeEchoMs(page: Page, terminal: Locator): Promise<number[]> {
  await terminal.evaluate((element) => {
    const record = window as unknown as { keyAt?: number };
    element.querySelector('textarea')!.addEventListener('keydown', () => (record.keyAt = performance.now()), { capture: true });
  });
  const times: number[] = [];
  for (let index = 0; index < keystrokes; index++) {
    const expected = `k${'x'.repeat(index + 1)}`;
    await page.keyboard.press('x');
    times.push(
      await page.evaluate(async (text) => {
        const element = document.querySelector('[data-testid="terminal"] .isolab-terminal') as unknown as { isolabTerminal: { text(): string } };
        while (!element.isolabTerminal.text().includes(text)) await new Promise((resolve) => requestAnimationFrame(resolve));
        return performance.now() - (window as unknown as { keyAt: number }).keyAt;
      },         expected,
      ),
    );
  }
  await page.keyboard.press('Control+U');
  return times;
}

export async function benchTerminal(): Promise<{ figures: Figure[]; raw: Record<string, unknown> }> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'isolab-bench-home-'));
  const webMode = await startWebMode({ HOME: home });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(webMode.url);
    await page.getByRole('link', { name: 'Terminals' }).click();
    await page.getByRole('button', { name: 'New host shell' }).click();
    const terminal = page.locator('[data-testid="terminal"] .isolab-terminal');
    await page.locator('[data-testid="terminal-state"][data-state="running"]').waitFor();
    await terminal.click();
    await typeLine(page, 'echo ready-$((6*7))');
    await waitForText(page, 'ready-42');

    const idleClicks = await clickLatencies(page);
    await page.getByRole('link', { name: 'Terminals' }).click();
    await terminal.click();
    await typeLine(page, 'yes isolab-bench-flood');
    await waitForText(page, 'isolab-bench-flood\n', 3);
    const floodClicks = await clickLatencies(page);
    await page.getByRole('link', { name: 'Terminals' }).click();
    await terminal.click();
    await page.keyboard.press('Control+C');
    await typeLine(page, 'clear; echo stopped-$((6*7))');
    await waitForText(page, 'stopped-42');

    const cpuBefore = cpuSecondsByKind(webMode.process.pid!);
    const started = performance.now();
    await typeLine(page, `yes | head -c ${floodBytes}; echo done-$((6*7))`);
    await waitForText(page, 'done-42', 5);
    const xtermMs = performance.now() - started;
    const cpu = cpuUsed(cpuBefore, cpuSecondsByKind(webMode.process.pid!));
    const chromiumRest = Object.entries(cpu).reduce((total, [kind, seconds]) => (kind === 'renderer' || kind === 'backend' ? total : total + seconds), 0);
    const cpuShare = (seconds: number) => (100 * seconds) / (xtermMs / 1000);
    const plainMs = await plainPtyMs();
    const size = (await terminal.boundingBox())!;
    const webgl = await terminal.evaluate((element) => element.querySelector('canvas') !== null);
    const aloneMs = await xtermAloneMs(browser, size, webgl);
    const xtermRate = floodBytes / (xtermMs / 1000) / 1e6;
    const plainRate = floodBytes / (plainMs / 1000) / 1e6;
    const aloneRate = floodBytes / (aloneMs / 1000) / 1e6;

    const idleInterrupts = await interruptMs(page, false);
    const floodInterrupts = await interruptMs(page, true);

    await typeLine(page, 'clear');
    await page.keyboard.type('k');
    const echoes = await keystrokeEchoMs(page, terminal);

    return {
      figures: [
        { name: 'click to page shown, idle', value: median(idleClicks), unit: 'ms', note: `median of ${clickRuns}: baseline, same run` },
        { name: 'click to page shown, during a flood', value: median(floodClicks), unit: 'ms', note: `median of ${clickRuns} while \`yes\` floods a terminal; goal <= 100` },
        { name: 'throughput to xterm (drawn)', value: xtermRate, unit: 'MB/s', note: `${floodBytes / 1e6} MB of \`yes\` output; goal >= 30` },
        { name: 'plain node-pty read, same output', value: plainRate, unit: 'MB/s', note: 'baseline, same run' },
        { name: 'xterm / plain node-pty', value: xtermRate / plainRate, unit: 'x', note: 'goal >= 0.5' },
        { name: 'xterm.js alone, same text', value: aloneRate, unit: 'MB/s', note: `upper bound: written straight into xterm (${webgl ? 'WebGL' : 'DOM'} renderer, as the app), same run` },
        { name: 'xterm.js alone / plain node-pty', value: aloneRate / plainRate, unit: 'x', note: 'the most the 0.5 goal can reach in this browser' },
        { name: 'xterm / xterm.js alone', value: xtermRate / aloneRate, unit: 'x', note: 'what the path (pty, batching, flow control, WebSocket) costs' },
        { name: 'CPU during it: page renderer', value: cpuShare(cpu.renderer ?? 0), unit: '%', note: 'of one core; xterm parses and draws here' },
        { name: 'CPU during it: rest of Chromium', value: cpuShare(chromiumRest), unit: '%', note: 'of one core: GPU process (compositing, WebGL), network, browser' },
        { name: 'CPU during it: backend and shell', value: cpuShare(cpu.backend ?? 0), unit: '%', note: `of one core: web mode, the shell, yes and head (${os.cpus().length} cores, shared)` },
        { name: 'Ctrl-C to next output, idle', value: median(idleInterrupts), unit: 'ms', note: `median of ${interruptRuns}: Ctrl-C on \`sleep\`, then a typed echo; baseline` },
        { name: 'Ctrl-C to next output, flood', value: median(floodInterrupts), unit: 'ms', note: `median of ${interruptRuns}: the same during \`yes\`; the difference is the output still in flight` },
        { name: 'keystroke to echo', value: median(echoes), unit: 'ms', note: `median of ${keystrokes}, key down to the echo in xterm's buffer; goal <= 30` },
      ],
      raw: { idleClicks, floodClicks, xtermMs, plainMs, aloneMs, webgl, cpu, idleInterrupts, floodInterrupts, echoes },
    };
  } finally {
    await browser.close();
    await stopWebMode(webMode);
    fs.rmSync(home, { recursive: true, force: true });
  }
}
