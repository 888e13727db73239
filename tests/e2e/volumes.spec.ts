// The Volumes page in Chromium over web mode, against the real dockerd: create a volume (its name checked as
// typed), see it listed, a CLI container that mounts it shows under "Used by", removing it then shows the
// engine's refusal, and it goes once the container has; prune shows what it would remove, then what it removed
// and freed. axe in light and dark, with the pointer on the active sidebar entry.
import type { Page } from '@playwright/test';
import { expectNoSeriousViolationsInBothSchemes } from './axe';
import { docker, exists, removeTestObjects, testName } from './docker-cli';
import { pruneThroughDialog } from './prune-dialog';
import { openFromSidebar } from './sidebar';
import { expect, test } from './web-mode';

const prefix = 'itest-h1-';

test.afterEach(() => removeTestObjects(prefix));

function volumeRow(page: Page, name: string) {
  return page.locator(`[data-testid="volume-row"][data-name="${name}"]`);
}

async function openVolumes(page: Page, url: string) {
  await openFromSidebar(page, url, 'Volumes');
  await expect(page.getByRole('table', { name: 'Volumes' })).toBeVisible();
}

test('create a volume, see a container use it, removal refused with the reason while it does, then removed', async ({ page, webMode }) => {
  const volume = testName(prefix, 'vol');
  const user = testName(prefix, 'user');
  await openVolumes(page, webMode.url);
  await expectNoSeriousViolationsInBothSchemes(page);

  await page.getByRole('button', { name: 'Create volume' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create volume' });
  const input = dialog.getByRole('textbox', { name: 'Name' });
  await input.fill('-bad name');
  await input.blur();
  await expect(input).toHaveAccessibleDescription(/A volume name uses letters, digits/);
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expectNoSeriousViolationsInBothSchemes(page);
  await input.fill(volume);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toHaveCount(0);

  const row = volumeRow(page, volume);
  await expect(row).toBeVisible();
  await expect(row).toContainText('local');
  await expect(row).toContainText('no container');
  expect(docker('volume', 'inspect', '--format', '{{.Driver}}', volume)).toBe('local');

  docker('run', '-d', '--name', user, '-v', `${volume}:/data`, 'local/busybox', 'sleep', '600');
  await expect(row.getByRole('link', { name: user })).toBeVisible();

  await row.getByRole('button', { name: `Remove ${volume}` }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove volume' });
  await expect(confirm).toContainText(`Containers that mount it: ${user}`);
  await confirm.getByRole('button', { name: 'Remove' }).click();
  const refusal = confirm.getByRole('alert').filter({ hasText: 'The engine did not remove the volume' });
  await expect(refusal).toContainText(`it is used by container ${user}`);
  await expect(refusal).toContainText('volume is in use');
  await expect(refusal).toContainText('Fix:');
  await expectNoSeriousViolationsInBothSchemes(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: test.info().outputPath('volume-remove-refused-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  expect(exists('volume', volume)).toBe(true);

  // A stopped container still holds the volume; removing it sends no volume event, yet the row must follow.
  docker('stop', '-t', '0', user);
  await expect(row.getByRole('link', { name: user })).toBeVisible();
  docker('rm', user);
  await expect(row).toContainText('no container');
  await row.getByRole('button', { name: `Remove ${volume}` }).click();
  await page.getByRole('dialog', { name: 'Remove volume' }).getByRole('button', { name: 'Remove' }).click();
  await expect(row).toHaveCount(0);
  expect(exists('volume', volume)).toBe(false);
});

test('prune: what would go is listed first, then what went and the space it freed', async ({ page, webMode }) => {
  const unused = testName(prefix, 'unused');
  const kept = testName(prefix, 'kept');
  const holder = testName(prefix, 'holder');
  // 512 KiB of data in the unused volume, so the prune has space to free.
  docker('volume', 'create', unused);
  docker('run', '--rm', '-v', `${unused}:/data`, 'local/busybox', 'sh', '-c', 'head -c 524288 /dev/urandom > /data/payload');
  docker('run', '-d', '--name', holder, '-v', `${kept}:/data`, 'local/busybox', 'sleep', '600');
  await openVolumes(page, webMode.url);
  await expect(volumeRow(page, unused)).toContainText('no container');
  await expect(volumeRow(page, kept).getByRole('link', { name: holder })).toBeVisible();

  await pruneThroughDialog(page, {
    button: 'Prune unused',
    dialog: 'Prune unused volumes',
    removes: unused,
    keeps: kept,
    // At least the 512 KiB written; other unused volumes on the engine may add to it.
    result: /^Removed \d+ unused volumes, freed (5\d\d KiB|[\d.]+ MiB|[\d.]+ GiB)\./,
  });

  await expect(volumeRow(page, unused)).toHaveCount(0);
  await expect(volumeRow(page, kept)).toBeVisible();
  expect(exists('volume', unused)).toBe(false);
  expect(exists('volume', kept)).toBe(true);
});
