// The containers service's speed against the docker CLI in the same run: list with 500 containers, create+start,
// a CLI change reaching the page, and the page's render of a 1000-row list in Chromium.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import Docker from 'dockerode';
import { api } from '../electron/shared/api';
import { createRpcClient } from '../electron/shared/rpc-client';
import { createBackend } from '../electron/backend/index';
import { createRpcServer } from '../electron/backend/rpc-server';
import { chromiumArgs, chromiumPath } from '../tests/helpers/chromium';
import { connectInMemory } from '../tests/helpers/in-memory-transport';
import { startWebMode, stopWebMode } from '../tests/helpers/web-mode-process';
import { changeToPageMs } from './page-latency';
import { median, timeMs, type Figure } from './stats';

const run = promisify(execFile);
const image = 'local/busybox:latest';
const prefix = 'isolab-test-bench-';
const benchLabel = 'isolab.bench';
const listRuns = 10;
const createRuns = 10;
const latencyRuns = 20;
const renderRuns = 5;

const docker = new Docker({ socketPath: '/var/run/docker.sock' });

/** Created (not started) containers, made in parallel batches: setup, not measured. */
async function createContainers(from: number, to: number): Promise<void> {
  const batch = 16;
  for (let start = from; start < to; start += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, to - start) }, (_, offset) =>
        docker.createContainer({ name: `${prefix}${String(start + offset).padStart(4, '0')}`, Image: image, Cmd: ['true'], Labels: { [benchLabel]: '1' } }),
      ),
    );
  }
}

async function removeBenchContainers(): Promise<void> {
  const containers = await docker.listContainers({ all: true, filters: { name: [prefix] } });
  for (let start = 0; start < containers.length; start += 16) {
    await Promise.all(containers.slice(start, start + 16).map((info) => docker.getContainer(info.Id).remove({ force: true }).catch(() => undefined)));
  }
}

function cliToPageMs(page: Page, name: string, command: 'pause' | 'unpause'): Promise<number> {
  return changeToPageMs(page, `[data-testid="container-row"][data-name="${name}"]`, () => run('docker', [command, name]));
}

export async function benchContainers(): Promise<{ figures: Figure[]; raw: Record<string, unknown> }> {
  await removeBenchContainers();
  const rpcServer = createRpcServer(api, createBackend().handlers);
  const link = connectInMemory(rpcServer, 'bench');
  const rpc = createRpcClient<typeof api>(link.transport);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    await createContainers(0, 500);
    await rpc.call('containers.list', {});
    const listTimes: number[] = [];
    const psTimes: number[] = [];
    for (let index = 0; index < listRuns; index++) {
      listTimes.push(await timeMs(() => rpc.call('containers.list', {})));
      psTimes.push(await timeMs(() => run('docker', ['ps', '-a'], { maxBuffer: 64 * 1024 * 1024 })));
    }

    const appCreate: number[] = [];
    const cliCreate: number[] = [];
    for (let index = 0; index < createRuns; index++) {
      const appName = `${prefix}create-app-${index}`;
      const cliName = `${prefix}create-cli-${index}`;
      appCreate.push(await timeMs(() => rpc.call('containers.create', { spec: { image, name: appName, command: ['sleep', '600'] } })));
      cliCreate.push(await timeMs(() => run('docker', ['run', '-d', '--name', cliName, image, 'sleep', '600'])));
      await Promise.all([appName, cliName].map((name) => docker.getContainer(name).remove({ force: true })));
    }

    const webMode = await startWebMode();
    const page = await browser.newPage();
    const latencies: number[] = [];
    const renders: number[] = [];
    const cachedRenders: number[] = [];
    try {
      const watched = `${prefix}watched`;
      await run('docker', ['run', '-d', '--name', watched, image, 'sleep', '600']);
      await page.goto(webMode.url);
      await page.goto(`${new URL(webMode.url).origin}/#/containers`);
      // The list is virtualized: with 500 rows the watched one is only in the page when searched for.
      await page.getByRole('textbox', { name: 'Search containers' }).fill(watched);
      await page.locator(`[data-testid="container-row"][data-name="${watched}"]`).waitFor();
      for (let index = 0; index < latencyRuns; index++) {
        latencies.push(await cliToPageMs(page, watched, index % 2 === 0 ? 'pause' : 'unpause'));
      }

      await createContainers(500, 1000);
      // The click and the wait for the rows both run in the page, so Playwright's own round trips (tens of ms)
      // are not counted; the figure ends one frame after the first row is in the page, when it is painted.
      const openContainersPage = async () => {
        await page.getByTestId('doctor-report').waitFor();
        return page.evaluate(async () => {
          const link = [...document.querySelectorAll('nav a')].find((anchor) => anchor.textContent?.trim() === 'Containers') as HTMLElement | undefined;
          if (!link) throw new Error('no Containers link in the sidebar');
          const started = performance.now();
          link.click();
          while (!document.querySelector('[data-testid="container-row"]')) await new Promise((resolve) => requestAnimationFrame(resolve));
          await new Promise((resolve) => requestAnimationFrame(resolve));
          return performance.now() - started;
        });
      };
      for (let index = 0; index < renderRuns; index++) {
        await page.goto(`${new URL(webMode.url).origin}/#/`);
        renders.push(await openContainersPage());
        // Back to the doctor and again: the list is in the cache (kept live by events), so this is the render.
        await page.getByRole('link', { name: 'Host doctor' }).click();
        cachedRenders.push(await openContainersPage());
      }
    } finally {
      await page.close();
      await stopWebMode(webMode);
    }

    const list = median(listTimes);
    const ps = median(psTimes);
    const create = median(appCreate);
    const cli = median(cliCreate);
    return {
      figures: [
        { name: 'containers.list, 500 containers', value: list, unit: 'ms', note: `median of ${listRuns}` },
        { name: 'docker ps -a, same 500', value: ps, unit: 'ms', note: 'baseline, same run' },
        { name: 'containers.list / docker ps -a', value: list / ps, unit: 'x', note: 'goal <= 0.2' },
        { name: 'create+start (app)', value: create, unit: 'ms', note: `median of ${createRuns} paired runs` },
        { name: 'docker run -d', value: cli, unit: 'ms', note: 'baseline, paired' },
        { name: 'create+start app / CLI', value: create / cli, unit: 'x', note: 'goal <= 1.0' },
        { name: 'docker CLI change to page change', value: median(latencies), unit: 'ms', note: `median of ${latencyRuns} (pause/unpause); goal <= 250` },
        { name: 'open Containers page, 1000 rows', value: median(renders), unit: 'ms', note: `median of ${renderRuns}: click to rows painted, first visit (list call included)` },
        { name: 'render of the 1000-row list', value: median(cachedRenders), unit: 'ms', note: `median of ${renderRuns}: click to rows painted, list cached; goal <= 100` },
      ],
      raw: { listTimes, psTimes, appCreate, cliCreate, latencies, renders, cachedRenders },
    };
  } finally {
    link.disconnect();
    await browser.close();
    await removeBenchContainers();
  }
}
