// The Networks page in Chromium over web mode, against the real dockerd: create a network with a subnet (a
// subnet that is not one gets a message next to the field), see it listed with the subnet, a CLI container on it
// shows under "Used by" and keeps it from removal with the engine's reason, remove it, and prune unused ones; the
// built-in networks cannot be removed. axe in light and dark, with the pointer on the active sidebar entry.
import type { Page } from '@playwright/test';
import { expectNoSeriousViolationsInBothSchemes } from './axe';
import { docker, exists, removeTestObjects, testName } from './docker-cli';
import { pruneThroughDialog } from './prune-dialog';
import { openFromSidebar } from './sidebar';
import { expect, test } from './web-mode';

const prefix = 'itest-h1-';
// Far from the engine's 172.17-172.28 default pools, so it does not overlap a network it made itself.
const subnet = '10.231.47.0/24';

test.afterEach(() => removeTestObjects(prefix));

function networkRow(page: Page, name: string) {
  return page.locator(`[data-testid="network-row"][data-name="${name}"]`);
}

async function openNetworks(page: Page, url: string) {
  await openFromSidebar(page, url, 'Networks');
  await expect(networkRow(page, 'bridge')).toBeVisible();
}

test('create with a subnet, a container on it shows and blocks removal with the reason, then remove it', async ({ page, webMode }) => {
  const network = testName(prefix, 'net');
  const user = testName(prefix, 'user');
  await openNetworks(page, webMode.url);
  await expect(networkRow(page, 'bridge')).toContainText('built in');
  await expect(networkRow(page, 'bridge').getByRole('button', { name: 'Remove bridge (built in: cannot be removed)' })).toHaveAttribute('aria-disabled', 'true');
  await expectNoSeriousViolationsInBothSchemes(page);

  await page.getByRole('button', { name: 'Create network' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create network' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill(network);
  const subnetInput = dialog.getByRole('textbox', { name: 'Subnet' });
  await subnetInput.fill('10.231.300.0/24');
  await subnetInput.blur();
  await expect(subnetInput).toHaveAccessibleDescription(/Use a subnet such as 172\.30\.0\.0\/24/);
  await expect(subnetInput).toHaveAttribute('aria-invalid', 'true');
  await expectNoSeriousViolationsInBothSchemes(page);
  // Submitting with the bad subnet creates nothing.
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeVisible();
  expect(exists('network', network)).toBe(false);

  await subnetInput.fill(subnet);
  await subnetInput.blur();
  await expect(subnetInput).not.toHaveAttribute('aria-invalid', 'true');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toHaveCount(0);

  const row = networkRow(page, network);
  await expect(row).toContainText(subnet);
  await expect(row).toContainText('bridge');
  await expect(row).toContainText('no container');
  expect(docker('network', 'inspect', '--format', '{{range .IPAM.Config}}{{.Subnet}}{{end}}', network)).toBe(subnet);

  docker('run', '-d', '--name', user, '--network', network, 'local/busybox', 'sleep', '600');
  await expect(row.getByRole('link', { name: user })).toBeVisible();

  await row.getByRole('button', { name: `Remove ${network}` }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove network' });
  await expect(confirm).toContainText(`Containers on it (${user}) must be disconnected first`);
  await confirm.getByRole('button', { name: 'Remove' }).click();
  const refusal = confirm.getByRole('alert').filter({ hasText: 'The engine did not remove the network' });
  await expect(refusal).toContainText(`${user} is still attached to it`);
  await expect(refusal).toContainText('active endpoints');
  await expect(refusal).toContainText('Fix:');
  await expectNoSeriousViolationsInBothSchemes(page);
  await page.screenshot({ path: test.info().outputPath('network-remove-refused.png') });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  expect(exists('network', network)).toBe(true);

  docker('rm', '-f', user);
  await expect(row).toContainText('no container');
  await row.getByRole('button', { name: `Remove ${network}` }).click();
  await page.getByRole('dialog', { name: 'Remove network' }).getByRole('button', { name: 'Remove' }).click();
  await expect(row).toHaveCount(0);
  expect(exists('network', network)).toBe(false);
});

test('prune: the unused networks are listed first, then the ones removed; used and built-in ones stay', async ({ page, webMode }) => {
  const unused = testName(prefix, 'unused');
  const kept = testName(prefix, 'kept');
  const holder = testName(prefix, 'holder');
  docker('network', 'create', unused);
  docker('network', 'create', kept);
  docker('run', '-d', '--name', holder, '--network', kept, 'local/busybox', 'sleep', '600');
  await openNetworks(page, webMode.url);
  await expect(networkRow(page, unused)).toContainText('no container');
  await expect(networkRow(page, kept).getByRole('link', { name: holder })).toBeVisible();

  await pruneThroughDialog(page, {
    button: 'Prune unused',
    dialog: 'Prune unused networks',
    removes: unused,
    keeps: kept,
    // Networks take no disk space: the result says only what went.
    result: /^Removed \d+ unused networks\./,
  });

  await expect(networkRow(page, unused)).toHaveCount(0);
  await expect(networkRow(page, kept)).toBeVisible();
  await expect(networkRow(page, 'bridge')).toBeVisible();
  expect(exists('network', unused)).toBe(false);
  expect(exists('network', kept)).toBe(true);
});
