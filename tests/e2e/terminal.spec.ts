// Terminals and consoles in Chromium over web mode, against the real host, dockerd and libvirtd: type into a host
// shell and read the echo from xterm's buffer, resize the window and check `stty size`, exec into a busybox
// container from its row, the test guest's serial console, a TCG VM's VNC console drawing something, and a flood
// that neither blocks a click elsewhere nor survives Ctrl-C. The page passes axe in light and dark.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { defineAndStartGuest, guestReadyMarker, removeGuests } from '../integration/helpers/terminal-guest';
import { startWebMode, stopWebMode, type WebMode } from '../helpers/web-mode-process';
import { expectNoSeriousViolationsInBothSchemes } from './axe';

// Web mode with an empty HOME: host shells start there, so this machine's own dotfiles are not what is tested.
const test = base.extend<object, { webMode: WebMode }>({
  webMode: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the fixtures argument to be destructured.
    async ({}, use) => {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'itest-term-e2e-home-'));
      const webMode = await startWebMode({ HOME: home });
      await use(webMode);
      await stopWebMode(webMode);
      fs.rmSync(home, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
});

const prefix = 'itest-term-e2e-';

function removeContainers(): void {
  const names = execFileSync('docker', ['ps', '-a', '--filter', `name=^/${prefix}`, '--format', '{{.Names}}'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  if (names.length) execFileSync('docker', ['rm', '-f', ...names], { stdio: 'pipe' });
}

test.beforeAll(() => {
  removeContainers();
  removeGuests(prefix);
});
test.afterAll(() => {
  removeContainers();
  removeGuests(prefix);
});

/** The terminal of the focused (or only) pane; its element carries a read-only view of xterm's buffer for tests. */
function terminal(page: Page, index = 0): Locator {
  return page.locator('[data-testid="terminal"] .isolab-terminal').nth(index);
}

function bufferText(locator: Locator): Promise<string> {
  return locator.evaluate((element) => (element as unknown as { isolabTerminal: { text(): string } }).isolabTerminal.text());
}

function terminalSize(locator: Locator): Promise<{ cols: number; rows: number }> {
  return locator.evaluate((element) => {
    const probe = (element as unknown as { isolabTerminal: { cols: number; rows: number } }).isolabTerminal;
    return { cols: probe.cols, rows: probe.rows };
  });
}

async function expectInBuffer(locator: Locator, pattern: RegExp, timeout = 20_000): Promise<void> {
  await expect.poll(() => bufferText(locator), { timeout }).toMatch(pattern);
}

async function typeLine(page: Page, locator: Locator, line: string): Promise<void> {
  await locator.click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

async function openTerminals(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('link', { name: 'Terminals' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Terminals' })).toBeVisible();
}

async function newHostShell(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'New host shell' }).click();
  await expect(page.getByTestId('terminal-state').first()).toHaveAttribute('data-state', 'running');
  return terminal(page);
}

test('a host shell echoes what is typed, follows the window size, and the page passes axe', async ({ page, webMode }) => {
  await openTerminals(page, webMode.url);
  await expect(page.getByText('No terminals are open.')).toBeVisible();
  const shell = await newHostShell(page);
  await expect(page.getByTestId('pane-title')).toHaveText(/^Shell: /);
  await typeLine(page, shell, 'echo "itest-$((6*7))"');
  await expectInBuffer(shell, /\nitest-42\n/);
  await expectNoSeriousViolationsInBothSchemes(page);

  const before = await terminalSize(shell);
  await page.setViewportSize({ width: 1000, height: 640 });
  await expect.poll(() => terminalSize(shell)).not.toEqual(before);
  const after = await terminalSize(shell);
  await typeLine(page, shell, 'stty size');
  await expectInBuffer(shell, new RegExp(`\\n${after.rows} ${after.cols}\\n`));

  // The font size applies at once: bigger letters, fewer columns in the same pane.
  await page.getByRole('textbox', { name: 'Font size' }).fill('20');
  await expect.poll(async () => (await terminalSize(shell)).cols).toBeLessThan(after.cols);

  await page.getByRole('button', { name: /^Close Shell: / }).click();
  await expect(page.getByText('No terminals are open.')).toBeVisible();
});

test('a shell in a busybox container opens from its row and runs commands there', async ({ page, webMode }) => {
  const name = `${prefix}exec`;
  execFileSync('docker', ['run', '-d', '--name', name, 'local/busybox', 'sleep', '3600'], { stdio: 'pipe' });
  await page.goto(webMode.url);
  await page.getByRole('link', { name: 'Containers' }).click();
  await page.getByRole('button', { name: `Open a shell in ${name}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Terminals' })).toBeVisible();
  await expect(page.getByTestId('pane-title')).toHaveText(`sh in ${name}`);
  const shell = terminal(page);
  await expect(page.getByTestId('terminal-state')).toHaveAttribute('data-state', 'running');
  await typeLine(page, shell, 'hostname; stty size');
  const size = await terminalSize(shell);
  const id = execFileSync('docker', ['inspect', '-f', '{{.Config.Hostname}}', name], { encoding: 'utf8' }).trim();
  await expectInBuffer(shell, new RegExp(`\\n${id}\\n${size.rows} ${size.cols}\\n`));

  execFileSync('docker', ['restart', '-t', '0', name], { stdio: 'pipe' });
  await expect(page.getByText('The session ended')).toBeVisible();
  await page.getByRole('button', { name: 'Reopen' }).click();
  await expect(page.getByTestId('terminal-state')).toHaveAttribute('data-state', 'running');
  await typeLine(page, shell, 'echo itest-reopened');
  await expectInBuffer(shell, /\nitest-reopened\n/);
});

async function openVmConsole(page: Page, name: string, kind: 'Serial console' | 'Graphical (VNC)'): Promise<void> {
  await page.getByRole('button', { name: 'VM console…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open a VM console' });
  await dialog.getByRole('textbox', { name: 'VM name' }).fill(name);
  await dialog.getByText(kind).click();
  await dialog.getByRole('button', { name: 'Open console' }).click();
}

test('the serial console of the test guest shows its boot and runs a command in its shell', async ({ page, webMode }) => {
  const name = `${prefix}serial`;
  await openTerminals(page, webMode.url);
  defineAndStartGuest({ name });
  await openVmConsole(page, name, 'Serial console');
  await expect(page.getByTestId('pane-title')).toHaveText(`Serial: ${name}`);
  const console = terminal(page);
  await expectInBuffer(console, /press Ctrl\+\] to leave it/);
  await expectInBuffer(console, new RegExp(guestReadyMarker()), 90_000);
  await typeLine(page, console, 'echo "itest-$((6*7))"');
  await expectInBuffer(console, /\nitest-42\n/);
  await expectNoSeriousViolationsInBothSchemes(page);
});

test('the VNC console of a TCG VM with a VGA device draws its screen, with key combos and scaling', async ({ page, webMode }) => {
  const name = `${prefix}vnc`;
  await openTerminals(page, webMode.url);
  defineAndStartGuest({ name, vnc: true });
  await openVmConsole(page, name, 'Graphical (VNC)');
  await expect(page.getByTestId('vnc-state')).toHaveAttribute('data-state', 'connected');
  const canvas = page.getByTestId('vnc-screen').locator('canvas');
  // The firmware and then the kernel write text on the VGA console: many pixels differ from the background.
  await expect
    .poll(
      () =>
        canvas.evaluate((element) => {
          const canvasElement = element as HTMLCanvasElement;
          const pixels = canvasElement.getContext('2d')!.getImageData(0, 0, canvasElement.width, canvasElement.height).data;
          let lit = 0;
          for (let index = 0; index < pixels.length; index += 4) if (pixels[index]! + pixels[index + 1]! + pixels[index + 2]! > 120) lit++;
          return lit;
        }),
      { timeout: 60_000 },
    )
    .toBeGreaterThan(500);
  await canvas.screenshot({ path: test.info().outputPath('vnc-console.png') });
  await page.getByRole('button', { name: `Send keys to Display: ${name}` }).click();
  await expect(page.getByRole('menuitem', { name: 'Ctrl+Alt+F2' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Ctrl+Alt+Del' })).toBeEnabled();
  await page.getByRole('switch', { name: 'Scale to fit' }).uncheck();
  await expectNoSeriousViolationsInBothSchemes(page);
});

test('a flood neither blocks a click on another page nor survives Ctrl-C', async ({ page, webMode }) => {
  await openTerminals(page, webMode.url);
  const shell = await newHostShell(page);
  await typeLine(page, shell, 'yes itest-flood | head -c 50000000; echo itest-flood-finished');
  await expectInBuffer(shell, /itest-flood\n/);
  const clicked = Date.now();
  await page.getByRole('link', { name: 'Containers' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Containers' })).toBeVisible({ timeout: 2_000 });
  const clickMs = Date.now() - clicked;
  test.info().annotations.push({ type: 'click during flood (ms)', description: String(clickMs) });
  await page.getByRole('link', { name: 'Terminals' }).click();
  await shell.click();
  await page.keyboard.press('Control+C');
  await typeLine(page, shell, 'echo "itest-after-$((6*7))"');
  await expectInBuffer(shell, /\nitest-after-42\n/, 30_000);
  expect(await bufferText(shell)).not.toMatch(/\nitest-flood-finished\n/);
});
