// The host doctor's speed: cold start of the built web mode to the doctor page in Chromium, host.report
// against the docker/virsh CLI calls that learn the same facts, and the backend's idle RSS and CPU.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { chromium, type Browser } from '@playwright/test';
import { loadConfig } from '../electron/backend/config';
import { createHostDoctor } from '../electron/backend/host/doctor';
import { chromiumArgs, chromiumPath } from '../tests/helpers/chromium';
import { startWebMode, stopWebMode } from '../tests/helpers/web-mode-process';
import { median, timeMs, type Figure } from './stats';

const run = promisify(execFile);
const runs = 5;
const idleSeconds = 30;
// V8 collects garbage once, a few seconds after start-up work ends; idle is measured after that.
const settleSeconds = 10;

async function coldStartMs(browser: Browser): Promise<{ serverReadyMs: number; pageReadyMs: number; pid: number; close(): Promise<void> }> {
  const started = performance.now();
  const webMode = await startWebMode();
  const serverReadyMs = performance.now() - started;
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(webMode.url);
  await page.getByTestId('doctor-report').waitFor();
  const pageReadyMs = performance.now() - started;
  return {
    serverReadyMs,
    pageReadyMs,
    pid: webMode.process.pid!,
    async close() {
      await context.close();
      await stopWebMode(webMode);
    },
  };
}

/** The same questions the doctor asks, as a user would type them. */
async function cliBaseline(): Promise<void> {
  const env = { ...process.env, LC_ALL: 'C' };
  const ignoreExit = (promise: Promise<unknown>) => promise.catch(() => undefined);
  await run('docker', ['version'], { env });
  await run('docker', ['info'], { env });
  for (const uri of ['qemu:///system', 'qemu:///session']) await run('virsh', ['-c', uri, 'version', '--daemon'], { env });
  await run('virsh', ['-c', 'qemu:///system', 'capabilities'], { env });
  await ignoreExit(run('virsh', ['-c', 'qemu:///system', 'net-info', 'default'], { env }));
  await ignoreExit(run('virsh', ['-c', 'qemu:///system', 'pool-info', 'default'], { env }));
}

function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMiB(pid: number): number {
  const kib = Number(/^VmRSS:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return kib / 1024;
}

export async function benchDoctor(): Promise<{ figures: Figure[]; raw: Record<string, unknown> }> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    // One unmeasured start warms the page cache, as a user's second launch would be.
    await (await coldStartMs(browser)).close();
    const starts = [];
    for (let index = 0; index < runs; index++) {
      const start = await coldStartMs(browser);
      starts.push(start);
      if (index < runs - 1) await start.close();
    }
    const last = starts.at(-1)!;
    await new Promise((resolve) => setTimeout(resolve, settleSeconds * 1000));
    const cpuBefore = cpuSeconds(last.pid);
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
    const idleCpu = cpuSeconds(last.pid) - cpuBefore;
    const idleRss = rssMiB(last.pid);
    await last.close();

    const doctor = createHostDoctor(loadConfig());
    await doctor.report();
    const reportTimes: number[] = [];
    const cliTimes: number[] = [];
    for (let index = 0; index < runs; index++) {
      reportTimes.push(await timeMs(() => doctor.report()));
      cliTimes.push(await timeMs(cliBaseline));
    }
    const serverReady = median(starts.map((start) => start.serverReadyMs));
    const pageReady = median(starts.map((start) => start.pageReadyMs));
    const report = median(reportTimes);
    const cli = median(cliTimes);
    return {
      figures: [
        { name: 'web mode: process start to URL printed', value: serverReady, unit: 'ms', note: `median of ${runs}` },
        { name: 'web mode: process start to doctor page shown', value: pageReady, unit: 'ms', note: `median of ${runs}, in Chromium` },
        { name: 'host.report (backend, warm)', value: report, unit: 'ms', note: `median of ${runs}` },
        { name: 'same facts by docker/virsh CLI', value: cli, unit: 'ms', note: 'baseline, same run' },
        { name: 'host.report / CLI', value: report / cli, unit: 'x', note: 'lower is better' },
        {
          name: `idle backend CPU over ${idleSeconds} s`,
          value: idleCpu,
          unit: 's',
          note: `page open, from ${settleSeconds} s after load; goal: 0`,
        },
        { name: 'idle backend RSS', value: idleRss, unit: 'MiB' },
      ],
      raw: { starts: starts.map(({ serverReadyMs, pageReadyMs }) => ({ serverReadyMs, pageReadyMs })), reportTimes, cliTimes, idleCpu, idleRss },
    };
  } finally {
    await browser.close();
  }
}
