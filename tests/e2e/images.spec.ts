// The Images page in Chromium over web mode, against the real dockerd and the local test registry: pull an
// image through the Pull modal and watch its layer and overall progress, see its row, read its layers,
// remove it through the UI; axe in light and dark.
import { execFileSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { expectNoSeriousViolations } from './axe';
import { expect, test } from './web-mode';

const registry = process.env.ISOLAB_TEST_REGISTRY ?? '127.0.0.1:5000';
const repository = 'isolab-test/busybox';
const reference = `${registry}/${repository}:e2e`;
const source = 'isolab-test-e2e-image-source';

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function quietly(action: () => unknown): void {
  try {
    action();
  } catch {
    // Nothing to clean up.
  }
}

// An image with a layer local/busybox lacks (3 MB of random bytes), pushed to the registry and removed here,
// so the pull has something to download and shows progress.
test.beforeAll(() => {
  quietly(() => docker('rm', '-f', source));
  docker('run', '--name', source, 'local/busybox', 'sh', '-c', 'head -c 3000000 /dev/urandom > /payload');
  docker('commit', source, reference);
  docker('rm', source);
  docker('push', reference);
  docker('rmi', reference);
});

test.afterAll(async () => {
  quietly(() => docker('rm', '-f', source));
  quietly(() => docker('rmi', '-f', reference));
  const manifest = `http://${registry}/v2/${repository}/manifests/e2e`;
  const head = await fetch(manifest, { method: 'HEAD', headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
  const digest = head.headers.get('docker-content-digest');
  if (digest) await fetch(`http://${registry}/v2/${repository}/manifests/${digest}`, { method: 'DELETE' });
});

function imageRow(page: Page, tag: string) {
  return page.locator(`[data-testid="image-row"][data-tags~="${tag}"]`);
}

async function axeInBothSchemes(page: Page) {
  await expectNoSeriousViolations(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectNoSeriousViolations(page);
  await page.emulateMedia({ colorScheme: 'light' });
}

test('pull from the registry with progress, see the row, read its layers, then remove it through the UI', async ({ page, webMode }) => {
  await page.goto(webMode.url);
  await page.getByRole('link', { name: 'Images' }).click();
  // Off the sidebar: a hovered active entry is the frame's look, checked by the frame's own tests.
  await page.mouse.move(600, 10);
  await expect(page.getByRole('heading', { level: 1, name: 'Images' })).toBeVisible();
  await expect(imageRow(page, 'local/busybox:latest')).toBeVisible();
  await expect(imageRow(page, reference)).toHaveCount(0);
  await axeInBothSchemes(page);

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
  await axeInBothSchemes(page);
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();

  const row = imageRow(page, reference);
  await expect(row).toBeVisible();
  expect(docker('image', 'inspect', '--format', '{{.Id}}', reference)).toMatch(/^sha256:/);

  await row.getByRole('button', { name: `Layers of ${reference}` }).click();
  const drawer = page.getByRole('dialog', { name: `Layers of ${reference}` });
  await expect(drawer.getByTestId('image-history')).toContainText('/payload');
  await axeInBothSchemes(page);
  await page.keyboard.press('Escape');

  await row.getByRole('button', { name: `Remove ${reference}` }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove image' });
  await confirm.getByRole('button', { name: 'Remove image' }).click();
  await expect(row).toHaveCount(0);
  expect(() => docker('image', 'inspect', reference)).toThrow();
});
