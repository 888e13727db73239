// The Compare lab in Chromium over web mode with local/busybox and the test guest: the container's kernel equals
// the host's `uname -r` read here, the VM's kernel equals the test guest's, the container's processes are in the
// host's process list, the VM is one qemu process, and the exported JSON holds what the page shows. Axe, both schemes.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { labContainerLabel } from '@shared/compare-api';
import { testGuestKernelRelease } from '../integration/helpers/test-guest';
import { defineGuest, makeTestFolder, readyCount, removeDomains, virsh } from '../integration/helpers/vm-guest';
import { expectNoSeriousViolationsInBothSchemes } from './axe';
import { openFromSidebar } from './sidebar';
import { expect, test } from './web-mode';

const prefix = 'itest-cmp-e2e-';
const guest = `${prefix}guest`;
const image = 'local/busybox:latest';
let folder: string;

function removeLabContainers(): void {
  const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=${labContainerLabel}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  if (ids.length) execFileSync('docker', ['rm', '-f', ...ids], { stdio: 'pipe' });
}

test.beforeAll(async () => {
  removeDomains(prefix);
  removeLabContainers();
  folder = makeTestFolder(prefix);
  const serialLog = path.join(folder, 'serial.log');
  defineGuest({ name: guest, serialLog });
  virsh('start', guest);
  await expect.poll(() => readyCount(serialLog), { timeout: 90_000 }).toBeGreaterThan(0);
});

test.afterAll(() => {
  removeDomains(prefix);
  removeLabContainers();
  fs.rmSync(folder, { recursive: true, force: true });
});

async function choose(page: Page, field: string | RegExp, option: string | RegExp): Promise<void> {
  await page.getByRole('combobox', { name: field }).click();
  await page.getByRole('option', { name: option }).click();
}

function cell(page: Page, probe: string, subject: string) {
  return page.getByTestId(`probe-${probe}-${subject}`);
}

test('probes a lab container, the test guest and the host, shows the host view, and exports what it shows', async ({ page, webMode }) => {
  test.setTimeout(300_000);
  await openFromSidebar(page, webMode.url, 'Compare lab');
  await choose(page, /^Image/, image);
  await page.getByRole('button', { name: 'Launch lab container' }).click();
  await expect(page.getByRole('combobox', { name: 'Container' })).toHaveValue(/^isolab-lab-[0-9a-f]+ \(local\/busybox:latest\)$/);
  const containerName = (await page.getByRole('combobox', { name: 'Container' }).inputValue()).split(' ')[0]!;
  await choose(page, 'VM on qemu:///system', new RegExp(`^${guest} \\(running, emulated\\)$`));
  await page.getByRole('button', { name: 'Run probes' }).click();

  const hostRelease = execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();
  await expect(cell(page, 'kernel', 'host')).toHaveAttribute('data-value', hostRelease, { timeout: 60_000 });
  await expect(cell(page, 'kernel', 'container')).toHaveAttribute('data-value', hostRelease, { timeout: 60_000 });
  await expect(cell(page, 'kernel', 'vm')).toHaveAttribute('data-value', testGuestKernelRelease(), { timeout: 120_000 });
  await expect(page.getByRole('alert').filter({ hasText: 'software emulation (TCG)' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run probes' })).toBeVisible({ timeout: 240_000 });
  await expect(page.getByTestId('explanation-kernel')).toContainText(`The container reports the host's own kernel (${hostRelease})`);
  await expect(cell(page, 'hostname', 'vm')).toHaveAttribute('data-value', 'isolab-guest');
  await expect(cell(page, 'cpu-loop', 'vm')).toHaveAttribute('data-value', /ms for 1,000,000 iterations/);
  await expect(page.getByTestId('loop-chart')).toBeVisible();

  await page.getByRole('button', { name: 'Commands and raw output of Kernel' }).click();
  await expect(page.getByText(`docker exec ${containerName} sh -c`).first()).toBeVisible();
  await expectNoSeriousViolationsInBothSchemes(page);

  await page.getByRole('tab', { name: 'Host view' }).click();
  const rows = page.getByTestId('host-process-row');
  await expect(rows.first()).toBeVisible({ timeout: 30_000 });
  const containerPid = Number(execFileSync('docker', ['inspect', '--format', '{{.State.Pid}}', containerName], { encoding: 'utf8' }).trim());
  await expect(page.locator(`[data-testid="host-process-row"][data-host-pid="${containerPid}"]`)).toHaveAttribute('data-inner-pid', '1');
  // Every container process the page lists is in the host's own process list, read here.
  const hostPids = new Set(execFileSync('ps', ['-eo', 'pid='], { encoding: 'utf8' }).split('\n').map((line) => line.trim()).filter(Boolean).map(Number));
  for (const pid of await rows.evaluateAll((elements) => elements.filter((element) => !element.hasAttribute('data-qemu')).map((element) => Number(element.getAttribute('data-host-pid'))))) {
    expect(hostPids.has(pid), `host pid ${pid}`).toBe(true);
  }
  const qemuPid = Number(await page.locator('[data-testid="host-process-row"][data-qemu="true"]').getAttribute('data-host-pid'));
  expect(fs.readFileSync(`/proc/${qemuPid}/cmdline`, 'utf8')).toContain(`guest=${guest}`);
  await expect(page.getByTestId('memory-chart')).toBeVisible();
  await expectNoSeriousViolationsInBothSchemes(page);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  const report = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as {
    probes: { probe: string; runs: Record<string, { value?: { summary: string }; command: string; stdout: string }> }[];
    hostView: { container: { processes: { hostPid: number }[] } };
  };
  await page.getByRole('tab', { name: 'Probes' }).click();
  for (const row of report.probes) {
    for (const [subject, run] of Object.entries(row.runs)) {
      await expect(cell(page, row.probe, subject)).toHaveAttribute('data-value', run.value?.summary ?? '');
    }
  }
  const kernel = report.probes.find((row) => row.probe === 'kernel')!;
  expect(kernel.runs.container?.value?.summary).toBe(hostRelease);
  expect(kernel.runs.vm?.value?.summary).toBe(testGuestKernelRelease());
  expect(kernel.runs.vm?.stdout).toContain(`release=${testGuestKernelRelease()}`);
  expect(report.hostView.container.processes.map((process) => process.hostPid)).toContain(containerPid);

  await page.getByRole('button', { name: 'Remove lab containers' }).click();
  await expect.poll(() => execFileSync('docker', ['ps', '-aq', '--filter', `label=${labContainerLabel}`], { encoding: 'utf8' }).trim()).toBe('');
});

test('runs the memory-limit experiment in its terminal, then races a fresh container against the shut-off VM', async ({ page, webMode }) => {
  test.setTimeout(300_000);
  await openFromSidebar(page, webMode.url, 'Compare lab');
  await choose(page, /^Image/, image);
  await choose(page, 'VM on qemu:///system', new RegExp(`^${guest} \\(running`));

  await page.getByRole('tab', { name: 'Experiments' }).click();
  await page.getByText('3. Memory limit').click();
  await page.getByRole('button', { name: 'Run experiment' }).click();
  const conclusion = page.getByTestId('experiment-conclusion-memory-limit');
  await expect(conclusion).toBeVisible({ timeout: 180_000 });
  await expect(conclusion).toContainText('exit code 137');
  // The terminal draws only its last rows; the exported run holds every step's command and exit code.
  await expect(page.getByRole('log', { name: 'Commands and output of experiment memory-limit' })).toContainText('The qemu process after');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  const report = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as { experiments: { id: string; steps: { command: string; exitCode: number | null }[]; conclusion: string }[] };
  const experiment = report.experiments.find((entry) => entry.id === 'memory-limit')!;
  expect(experiment.steps.find((step) => step.command.includes('--memory 32m'))?.exitCode).toBe(137);
  await expect(conclusion).toContainText(experiment.conclusion);
  await expectNoSeriousViolationsInBothSchemes(page);

  await page.getByRole('tab', { name: 'Start race' }).click();
  virsh('destroy', guest);
  await expect(page.getByRole('combobox', { name: 'VM on qemu:///system' })).toHaveValue(new RegExp(`^${guest} \\(shutoff`));
  await page.getByRole('textbox', { name: 'Runs each' }).fill('1');
  await page.getByRole('button', { name: 'Start race' }).click();
  await expect(page.getByTestId('race-chart')).toBeVisible({ timeout: 180_000 });
  await expect(page.locator('[data-testid="race-run"][data-subject="vm"]')).toContainText(`ISOLAB-GUEST-READY ${testGuestKernelRelease()}`);
  await expect(page.locator('[data-testid="race-run"][data-subject="container"]')).toHaveCount(1);
  await expectNoSeriousViolationsInBothSchemes(page);
  expect(virsh('domstate', guest).trim()).toBe('shut off');
  await page.getByRole('button', { name: `Start ${guest}` }).click();
  await expect(page.getByRole('combobox', { name: 'VM on qemu:///system' })).toHaveValue(new RegExp(`^${guest} \\(running`));
  expect(execFileSync('docker', ['ps', '-aq', '--filter', `label=${labContainerLabel}=race`], { encoding: 'utf8' }).trim()).toBe('');
});
