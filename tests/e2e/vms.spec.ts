// The Virtual machines area in Chromium over web mode, against the real libvirtd + QEMU (software emulation): a VM
// started with virsh shows in the list, labelled as software emulation; shutting it down from the page powers the
// guest off; a virsh start changes its row; the detail tabs render; force off from the page; and the VM networks
// page. Every page passes axe in light and dark.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { defineGuest, domainState, domainsNamed, makeTestFolder, qemuImg, readyCount, removeDomains, virsh } from '../integration/helpers/vm-guest';
import { expectNoSeriousViolationsInBothSchemes } from './axe';
import { openFromSidebar } from './sidebar';
import { expect, test } from './web-mode';

const prefix = 'itest-vm-e2e-';
let folder: string;

test.beforeAll(() => {
  removeDomains(prefix);
  folder = makeTestFolder(prefix);
});
test.afterAll(() => {
  removeDomains(prefix);
  fs.rmSync(folder, { recursive: true, force: true });
});

function row(page: Page, name: string) {
  return page.locator(`[data-testid="vm-row"][data-name="${name}"]`);
}

async function waitForReady(serialLog: string, count: number): Promise<void> {
  await expect.poll(() => readyCount(serialLog), { timeout: 90_000, message: 'the guest prints its ready marker' }).toBeGreaterThanOrEqual(count);
}

test('a VM started with virsh shows live; it is shut down from the page, started from virsh, and its detail tabs render', async ({ page, webMode }) => {
  test.setTimeout(300_000);
  const name = `${prefix}guest`;
  const serialLog = path.join(folder, 'serial.log');
  await openFromSidebar(page, webMode.url, 'Virtual machines');
  await expect(page.getByRole('combobox', { name: 'Connection' })).toHaveValue(/^qemu:\/\/\/system /);

  defineGuest({ name, serialLog });
  const started = Date.now();
  virsh('start', name);
  await expect(row(page, name)).toHaveAttribute('data-state', 'running', { timeout: 5_000 });
  expect(Date.now() - started).toBeLessThan(5_000);
  await expect(row(page, name)).toContainText('Software emulation (TCG)');
  await expect(row(page, name)).toContainText('256 MiB');
  await expectNoSeriousViolationsInBothSchemes(page);
  await page.screenshot({ path: test.info().outputPath('vm-list.png') });

  // ACPI works once the guest's acpid runs.
  await waitForReady(serialLog, 1);
  await row(page, name).getByRole('button', { name: `Shut down ${name}` }).click();
  await expect(row(page, name)).toHaveAttribute('data-state', 'shutoff', { timeout: 60_000 });
  expect(domainState(name)).toBe('shut off');

  virsh('start', name);
  await expect(row(page, name)).toHaveAttribute('data-state', 'running');

  await row(page, name).getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByRole('region', { name: 'System' })).toContainText('Software emulation (TCG), domain type "qemu"');
  await expect(page.getByRole('region', { name: 'Consoles and channels' })).toContainText(serialLog);
  await expectNoSeriousViolationsInBothSchemes(page);
  await page.screenshot({ path: test.info().outputPath('vm-overview.png'), fullPage: true });

  await page.getByRole('tab', { name: 'Stats' }).click();
  await expect(page.getByRole('figure', { name: /^CPU: .* of 1 vCPU$/ })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('vm-stats-memory')).toBeVisible();
  await expectNoSeriousViolationsInBothSchemes(page);
  await page.screenshot({ path: test.info().outputPath('vm-stats.png'), fullPage: true });

  await page.getByRole('tab', { name: 'XML' }).click();
  await expect(page.getByTestId('domain-xml')).toContainText(`<name>${name}</name>`);
  await expectNoSeriousViolationsInBothSchemes(page);

  await page.getByRole('tab', { name: /^Snapshots/ }).click();
  await expect(page.getByTestId('no-snapshots')).toBeVisible();
  await expectNoSeriousViolationsInBothSchemes(page);

  await page.getByRole('button', { name: 'More' }).click();
  await page.getByRole('menuitem', { name: 'Force off' }).click();
  await expect(page.getByText('Shut off', { exact: true })).toBeVisible({ timeout: 30_000 });
  expect(domainState(name)).toBe('shut off');
});

test('a VM is cloned from its row, and deleted with only the disk left ticked', async ({ page, webMode }) => {
  const name = `${prefix}disks`;
  const system = path.join(folder, 'system.qcow2');
  const data = path.join(folder, 'data.qcow2');
  for (const file of [system, data]) qemuImg('create', '-q', '-f', 'qcow2', file, '16M');
  defineGuest({
    name,
    serialLog: path.join(folder, 'disks.log'),
    disks: [
      { file: system, format: 'qcow2', target: 'vda' },
      { file: data, format: 'qcow2', target: 'vdb' },
    ],
  });
  await openFromSidebar(page, webMode.url, 'Virtual machines');
  await expect(row(page, name)).toHaveAttribute('data-state', 'shutoff');

  await row(page, name).getByRole('button', { name: `More actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Clone…' }).click();
  const cloneDialog = page.getByRole('dialog', { name: `Clone ${name}` });
  await cloneDialog.getByLabel('Name of the copy').fill('bad name');
  await expect(cloneDialog.getByText(/Use letters, digits/)).toBeVisible();
  await cloneDialog.getByLabel('Name of the copy').fill(`${name}-copy`);
  await expectNoSeriousViolationsInBothSchemes(page);
  await cloneDialog.getByRole('button', { name: 'Clone' }).click();
  await expect(row(page, `${name}-copy`)).toHaveAttribute('data-state', 'shutoff');
  expect(fs.existsSync(path.join(folder, `${name}-copy.qcow2`))).toBe(true);

  await row(page, name).getByRole('button', { name: `More actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Delete…' }).click();
  const deleteDialog = page.getByRole('dialog', { name: `Delete ${name}?` });
  const disks = deleteDialog.getByRole('group', { name: 'Disks to delete' });
  await expect(disks.getByRole('checkbox', { name: new RegExp(`^vda .*${system}`) })).toBeChecked();
  await disks.getByRole('checkbox', { name: new RegExp(`^vdb .*${data}`) }).uncheck();
  await expectNoSeriousViolationsInBothSchemes(page);
  await deleteDialog.getByRole('button', { name: 'Delete VM and 1 disk' }).click();
  // The dialog closes when the whole delete is done; the row goes as soon as libvirt reports the undefine.
  await expect(deleteDialog).toHaveCount(0);
  await expect(page.getByText(`Deleted ${system}.`)).toBeVisible();
  await expect(row(page, name)).toHaveCount(0);
  expect(fs.existsSync(system)).toBe(false);
  expect(fs.existsSync(data)).toBe(true);
  expect(domainsNamed(name)).toEqual([`${name}-copy`]);
});

test('the VM networks page lists libvirt’s default network', async ({ page, webMode }) => {
  await openFromSidebar(page, webMode.url, 'VM networks');
  const defaultRow = page.locator('[data-testid="vm-network-row"][data-name="default"]');
  await expect(defaultRow).toContainText('NAT');
  await expect(defaultRow).toContainText('virbr0');
  await expect(defaultRow).toHaveAttribute('data-active', 'true');
  await expectNoSeriousViolationsInBothSchemes(page);
  await page.screenshot({ path: test.info().outputPath('vm-networks.png'), fullPage: true });
});
