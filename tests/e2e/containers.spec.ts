// The Containers area in Chromium over web mode, against the real dockerd: a container made with the docker
// CLI appears, its logs and stats arrive live, a CLI stop changes its row, removing it in the UI removes it
// from the engine, and the list and detail page pass axe in light and dark.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { expectNoSeriousViolationsInBothSchemes } from './axe';
import { openFromSidebar } from './sidebar';
import { expect, test } from './web-mode';

const run = promisify(execFile);

// One stdout and one stderr line every 0.2 s; `exec` would not help: sh as PID 1 ignores SIGTERM, so stops use -t 1.
const chatty = 'i=0; while true; do i=$((i+1)); echo "out line $i"; echo "err line $i" >&2; sleep 0.2; done';

const created: string[] = [];

function runContainer(): string {
  const name = `isolab-test-e2e-${randomBytes(4).toString('hex')}`;
  created.push(name);
  execFileSync('docker', ['run', '-d', '--name', name, '--label', 'isolab-test=e2e', 'local/busybox', 'sh', '-c', chatty], { stdio: 'pipe' });
  return name;
}

function existsInEngine(name: string): boolean {
  const names = execFileSync('docker', ['ps', '-a', '--format', '{{.Names}}'], { encoding: 'utf8' }).split('\n');
  return names.includes(name);
}

test.afterEach(() => {
  for (const name of created.splice(0)) {
    try {
      execFileSync('docker', ['rm', '-f', name], { stdio: 'pipe' });
    } catch {
      // Already gone: the test removed it itself.
    }
  }
});

function row(page: Page, name: string) {
  return page.locator(`[data-testid="container-row"][data-name="${name}"]`);
}

test('a CLI container shows live in the list and its detail page; stopping and removing it change the engine and the page', async ({ page, webMode }) => {
  await openFromSidebar(page, webMode.url, 'Containers');
  const name = runContainer();

  await expect(row(page, name)).toHaveAttribute('data-state', 'running');
  await expect(row(page, name)).toContainText('local/busybox');
  await expectNoSeriousViolationsInBothSchemes(page);

  await row(page, name).getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByText('Running', { exact: true })).toBeVisible();
  await expectNoSeriousViolationsInBothSchemes(page);

  await page.getByRole('tab', { name: 'Logs' }).click();
  const logView = page.getByTestId('log-view');
  await expect(logView.getByText(/out line \d+/).first()).toBeVisible();
  const stderrLine = logView.locator('[data-testid="log-line"][data-stream="stderr"]').first();
  await expect(stderrLine).toContainText('err');
  const count = async () => Number(/^(\d+)/.exec((await page.getByTestId('log-count').textContent()) ?? '')?.[1] ?? 0);
  const before = await count();
  await expect.poll(count).toBeGreaterThan(before);
  await expectNoSeriousViolationsInBothSchemes(page);

  await page.getByRole('tab', { name: 'Stats' }).click();
  const cpuCurve = page.locator('[data-testid="stats-cpu-chart"] path.recharts-area-curve');
  await expect(cpuCurve).toHaveCount(1);
  const firstShape = await cpuCurve.getAttribute('d');
  await expect.poll(() => cpuCurve.getAttribute('d')).not.toBe(firstShape);
  await expect(page.getByTestId('stats-memory-chart').locator('path.recharts-line-curve')).not.toHaveCount(0);
  await expectNoSeriousViolationsInBothSchemes(page);
  await page.screenshot({ path: test.info().outputPath('container-stats.png'), fullPage: true });

  await page.getByRole('link', { name: 'All containers' }).click();
  await expect(row(page, name)).toHaveAttribute('data-state', 'running');
  await run('docker', ['stop', '-t', '1', name]);
  await expect(row(page, name)).toHaveAttribute('data-state', 'exited');
  await expect(row(page, name)).toContainText('Exited');

  await row(page, name).getByRole('button', { name: `Remove ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Remove ${name}` });
  await expect(dialog).toContainText('Also remove its anonymous volumes');
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await expect(row(page, name)).toHaveCount(0);
  expect(existsInEngine(name)).toBe(false);
});

test('a detail page whose container is removed meanwhile says so and links back to the list', async ({ page, webMode }) => {
  await openFromSidebar(page, webMode.url, 'Containers');
  const name = runContainer();
  await row(page, name).getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();

  await run('docker', ['rm', '-f', name]);
  await expect(page.getByTestId('container-missing')).toContainText('removed, or never existed');
  await page.getByRole('link', { name: 'All containers' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Containers' })).toBeVisible();
  await expect(row(page, name)).toHaveCount(0);
});

test('row actions: start changes the state, rename checks the name, bulk stop shows progress on each row, bulk remove empties the selection', async ({ page, webMode }) => {
  await openFromSidebar(page, webMode.url, 'Containers');
  const first = runContainer();
  const second = `isolab-test-e2e-${randomBytes(4).toString('hex')}`;
  created.push(second);
  execFileSync('docker', ['create', '--name', second, 'local/busybox', 'sleep', '600'], { stdio: 'pipe' });

  await expect(row(page, second)).toHaveAttribute('data-state', 'created');
  await row(page, second).getByRole('button', { name: `Start ${second}` }).click();
  await expect(row(page, second)).toHaveAttribute('data-state', 'running');

  const renamed = `${second}-renamed`;
  created.push(renamed);
  await row(page, second).getByRole('button', { name: `More actions for ${second}` }).click();
  await page.getByRole('menuitem', { name: 'Rename…' }).click();
  const dialog = page.getByRole('dialog', { name: `Rename ${second}` });
  await dialog.getByRole('textbox', { name: 'New name' }).fill('-bad');
  await expect(dialog).toContainText('starting with a letter or digit');
  await expect(dialog.getByRole('button', { name: 'Rename' })).toBeDisabled();
  await dialog.getByRole('textbox', { name: 'New name' }).fill(renamed);
  await dialog.getByRole('button', { name: 'Rename' }).click();
  await expect(row(page, renamed)).toHaveAttribute('data-state', 'running');
  expect(existsInEngine(renamed)).toBe(true);

  await page.getByRole('textbox', { name: 'Search containers' }).fill('isolab-test-e2e-');
  await row(page, first).getByRole('checkbox').check();
  await row(page, renamed).getByRole('checkbox').check();
  const bulk = page.getByRole('toolbar', { name: 'Actions on the selected containers' });
  await expect(bulk).toContainText('2 selected');
  await bulk.getByRole('button', { name: /^Stop/ }).click();
  // PID 1 ignores SIGTERM here, so each stop runs the engine's 10 s grace: long enough to see the row's progress.
  await expect(row(page, first).getByRole('status', { name: `Stopping ${first}` })).toBeVisible();
  await expect(row(page, renamed).getByRole('status', { name: `Stopping ${renamed}` })).toBeVisible();
  await expect(row(page, first)).toHaveAttribute('data-state', 'exited', { timeout: 30_000 });
  await expect(row(page, renamed)).toHaveAttribute('data-state', 'exited', { timeout: 30_000 });
  await bulk.getByRole('button', { name: 'Remove 2' }).click();
  await page.getByRole('dialog', { name: 'Remove 2 containers' }).getByRole('button', { name: 'Remove' }).click();
  await expect(row(page, first)).toHaveCount(0);
  await expect(row(page, renamed)).toHaveCount(0);
  expect(existsInEngine(first) || existsInEngine(renamed)).toBe(false);
});

test('an endpoint that does not answer shows the banner with its fix instead of a list, and Automatic brings the list back', async ({ page, webMode }) => {
  await openFromSidebar(page, webMode.url, 'Containers');
  const name = runContainer();
  await expect(row(page, name)).toBeVisible();

  await page.getByRole('button', { name: /· unix:\/\/\/var\/run\/docker\.sock/ }).click();
  await page.getByRole('combobox', { name: 'Docker endpoint' }).click();
  await page.getByRole('option', { name: /\(not found\)/ }).first().click();
  const banner = page.getByTestId('engine-banner');
  await expect(banner).toContainText('The Docker engine is not reachable');
  await expect(banner.getByText('Fix:')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Containers' })).toHaveCount(0);
  await expectNoSeriousViolationsInBothSchemes(page);

  await banner.getByRole('combobox', { name: 'Docker endpoint' }).click();
  await page.getByRole('option', { name: 'Automatic (first that answers)' }).click();
  await expect(row(page, name)).toHaveAttribute('data-state', 'running');
});
