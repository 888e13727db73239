// The Images page in Chromium over web mode, against the real dockerd and the local test registry: pull an
// image through the Pull modal and watch its layer and overall progress, see its row, read its layers,
// remove it through the UI; tag an image (its names checked as typed) and remove only the new name; prune
// dangling images with what it frees shown first. axe in light and dark, with the pointer on the active
// sidebar entry.
import type { Page } from '@playwright/test';
import { expectNoSeriousViolationsInBothSchemes } from './axe';
import { docker, exists, pushToRegistry, quietly, removeFromRegistry, removeTestObjects, testName } from './docker-cli';
import { openFromSidebar } from './sidebar';
import { expect, test } from './web-mode';

const prefix = 'itest-h1-';
const repository = 'isolab-test/busybox';
const pulledTag = 'e2e';
let reference = '';

// An image with a layer local/busybox lacks (3 MB of random bytes), in the registry and not on the engine.
test.beforeAll(() => {
  reference = pushToRegistry(repository, pulledTag, 3_000_000, testName(prefix, 'push-source'));
});

test.afterAll(() => removeFromRegistry(repository, pulledTag));

function imageRow(page: Page, tag: string) {
  return page.locator(`[data-testid="image-row"][data-tags~="${tag}"]`);
}

test('pull from the registry with progress, see the row, read its layers, then remove it through the UI', async ({ page, webMode }) => {
  await openFromSidebar(page, webMode.url, 'Images');
  await expect(imageRow(page, 'local/busybox:latest')).toBeVisible();
  await expect(imageRow(page, reference)).toHaveCount(0);
  await expectNoSeriousViolationsInBothSchemes(page);

  await page.getByRole('button', { name: 'Pull image' }).click();
  const dialog = page.getByRole('dialog', { name: 'Pull an image' });
  const input = dialog.getByRole('textbox', { name: 'Image reference' });
  await input.fill('Not/A:Reference');
  await input.blur();
  await expect(input).toHaveAccessibleDescription(/Not an image reference/);
  await input.fill(reference);
  await dialog.getByRole('button', { name: 'Pull', exact: true }).click();

  await expect(dialog.getByTestId('pull-progress')).toBeVisible();
  await expect(dialog.getByRole('progressbar', { name: new RegExp(`^Pull of ${reference.replace(/[.]/g, '\\.')}`) })).toBeVisible();
  await expect(dialog.getByText(`${reference} is on this engine now.`)).toBeVisible({ timeout: 60_000 });
  await expect(dialog.getByTestId('pull-layer').first()).toBeVisible();
  await expect(dialog.getByTestId('pull-layer').filter({ hasText: /Pull complete|Already exists/ })).not.toHaveCount(0);
  await expect(dialog.getByRole('progressbar', { name: `Pull of ${reference}: 100%` })).toBeVisible();
  await expectNoSeriousViolationsInBothSchemes(page);
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();

  const row = imageRow(page, reference);
  await expect(row).toBeVisible();
  expect(docker('image', 'inspect', '--format', '{{.Id}}', reference)).toMatch(/^sha256:/);

  await row.getByRole('button', { name: `Layers of ${reference}` }).click();
  const drawer = page.getByRole('dialog', { name: `Layers of ${reference}` });
  await expect(drawer.getByTestId('image-history')).toContainText('/payload');
  await expectNoSeriousViolationsInBothSchemes(page);
  await page.keyboard.press('Escape');

  await row.getByRole('button', { name: `Remove ${reference}` }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove image' });
  await confirm.getByRole('button', { name: 'Remove image' }).click();
  await expect(row).toHaveCount(0);
  expect(() => docker('image', 'inspect', reference)).toThrow();
});

const busybox = 'local/busybox:latest';
let busyboxId = '';
// Dangling images have no name to find them by: their ids.
const danglingIds: string[] = [];

test.beforeAll(() => {
  busyboxId = docker('image', 'inspect', '--format', '{{.Id}}', busybox);
});

test.afterEach(() => {
  removeTestObjects(prefix);
  for (const id of danglingIds.splice(0)) quietly(() => docker('rmi', '-f', id));
  // A test that went wrong must not leave the shared test image without its name.
  if (!exists('image', busybox)) docker('tag', busyboxId, busybox);
});

test('tag: a name the image has or a malformed one is refused as typed; the new name joins its row; removing only that name keeps the image', async ({ page, webMode }) => {
  const tag = `${testName(prefix, 'tagged')}:e2e`;
  await openFromSidebar(page, webMode.url, 'Images');
  await imageRow(page, busybox).getByRole('button', { name: /^Tag / }).click();
  const dialog = page.getByRole('dialog', { name: 'Tag image' });
  const input = dialog.getByRole('textbox', { name: 'New name' });
  const submit = dialog.getByRole('button', { name: 'Tag', exact: true });
  await input.fill(busybox);
  await expect(input).toHaveAccessibleDescription(/The image already has this name/);
  await expect(submit).toBeDisabled();
  await input.fill('Not/A:Reference');
  await expect(input).toHaveAccessibleDescription(/Not an image reference/);
  await expect(submit).toBeDisabled();
  await input.fill(tag);
  await expect(input).not.toHaveAttribute('aria-invalid', 'true');
  await expect(submit).toBeEnabled();
  await expectNoSeriousViolationsInBothSchemes(page);
  await submit.click();
  await expect(dialog).toHaveCount(0);

  const row = imageRow(page, tag);
  await expect(row).toHaveAttribute('data-tags', new RegExp(`(^| )${busybox}( |$)`));
  expect(docker('image', 'inspect', '--format', '{{.Id}}', tag)).toBe(busyboxId);

  await row.getByRole('button', { name: /^Remove / }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove image' });
  await confirm.getByRole('radio', { name: `Only the name ${tag}` }).check();
  await expectNoSeriousViolationsInBothSchemes(page);
  await confirm.getByRole('button', { name: 'Remove name' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(imageRow(page, tag)).toHaveCount(0);
  await expect(imageRow(page, busybox)).toBeVisible();
  expect(exists('image', tag)).toBe(false);
  expect(docker('image', 'inspect', '--format', '{{.Id}}', busybox)).toBe(busyboxId);
});

test('prune dangling: how many and how much is shown first, then what was removed and the space it freed', async ({ page, webMode }) => {
  // A commit without a name is a dangling image, with 1 MiB of its own on top of local/busybox.
  const source = testName(prefix, 'dangling-source');
  docker('run', '--name', source, 'local/busybox', 'sh', '-c', 'head -c 1048576 /dev/urandom > /payload');
  const dangling = docker('commit', source);
  danglingIds.push(dangling);
  docker('rm', source);

  await openFromSidebar(page, webMode.url, 'Images');
  const row = page.locator(`[data-testid="image-row"][data-id="${dangling}"]`);
  await expect(row).toContainText('dangling');
  await page.getByRole('button', { name: 'Prune dangling' }).click();
  const dialog = page.getByRole('dialog', { name: 'Prune dangling images' });
  await expect(dialog.getByTestId('prune-estimate')).toContainText(/^\d+ dangling images?, up to [\d.]+ (KiB|MiB|GiB) would be freed/);
  await expectNoSeriousViolationsInBothSchemes(page);
  await dialog.getByRole('button', { name: 'Prune', exact: true }).click();

  const result = dialog.getByTestId('prune-result');
  await expect(result).toContainText(/^Removed \d+ dangling images?, freed ([1-9][\d.]* MiB|[\d.]+ GiB)\./);
  await expect(result.getByText(dangling, { exact: true })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('prune-dangling-result.png') });
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(row).toHaveCount(0);
  expect(exists('image', dangling)).toBe(false);
});
