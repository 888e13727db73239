// The Compare lab's SSH settings in Chromium over web mode: the test guest on the default network without a guest
// agent and with its serial console held elsewhere, SSH set up in the "SSH…" dialog (an empty port and a relative
// key path refused), the probes reaching the guest over ssh, and the settings removed again. Axe, both schemes,
// with the dialog open.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { waitForGuestSsh } from '../integration/helpers/guest-ssh';
import { testGuestKernelRelease, testGuestSshKey } from '../integration/helpers/test-guest';
import { holdConsole, type HeldConsole } from '../integration/helpers/vm-console-hold';
import { defineGuest, makeTestFolder, readyCount, removeDomains, virsh } from '../integration/helpers/vm-guest';
import { expectNoSeriousViolationsInBothSchemes } from './axe';
import { openFromSidebar } from './sidebar';
import { expect, test } from './web-mode';

const prefix = 'itest-cmpssh-e2e-';
const guest = `${prefix}guest`;
let folder: string;
let heldConsole: HeldConsole | undefined;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  removeDomains(prefix);
  folder = makeTestFolder(prefix);
  const serialLog = path.join(folder, 'serial.log');
  defineGuest({ name: guest, serialLog, nic: { network: 'default' } });
  virsh('start', guest);
  await expect.poll(() => readyCount(serialLog), { timeout: 90_000 }).toBeGreaterThan(0);
  await waitForGuestSsh(guest);
  heldConsole = await holdConsole(guest);
});

test.afterAll(async () => {
  await heldConsole?.release();
  removeDomains(prefix);
  fs.rmSync(folder, { recursive: true, force: true });
});

async function openSshDialog(page: Page) {
  await page.getByRole('button', { name: /^SSH/ }).click();
  const dialog = page.getByRole('dialog', { name: `SSH into ${guest}` });
  await expect(dialog).toBeVisible();
  return dialog;
}

test('sets up SSH for a VM whose console is taken, probes it over ssh, and removes the settings', async ({ page, webMode }) => {
  test.setTimeout(300_000);
  await openFromSidebar(page, webMode.url, 'Compare lab');
  await expect(page.getByRole('button', { name: 'SSH…' })).toBeDisabled();
  await page.getByRole('combobox', { name: 'VM on qemu:///system' }).click();
  await page.getByRole('option', { name: new RegExp(`^${guest} \\(running`) }).click();

  const dialog = await openSshDialog(page);
  await dialog.getByRole('textbox', { name: 'User' }).fill('root');
  await dialog.getByRole('textbox', { name: 'Port' }).fill('');
  await dialog.getByRole('textbox', { name: 'Host' }).focus();
  await expect(dialog.getByText('Type a port number from 1 to 65535.')).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Port' }).fill('22');
  await dialog.getByRole('textbox', { name: 'Identity file' }).fill('id_ed25519');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('Give the full path, starting with "/".')).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Identity file' }).fill(testGuestSshKey);
  await page.screenshot({ path: path.join(test.info().outputDir, 'ssh-dialog.png') });
  await expectNoSeriousViolationsInBothSchemes(page);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'SSH: root@VM address…' })).toBeVisible();

  await page.getByRole('button', { name: 'Run probes' }).click();
  await expect(page.getByTestId('probe-kernel-vm')).toHaveAttribute('data-value', testGuestKernelRelease(), { timeout: 120_000 });
  await expect(page.getByTestId('probe-hostname-vm')).toHaveAttribute('data-value', 'isolab-guest', { timeout: 120_000 });
  await page.getByRole('button', { name: 'Commands and raw output of Kernel' }).click();
  await expect(page.getByText(/^ssh -o BatchMode=yes -o ConnectTimeout=5 .* root@\d+\.\d+\.\d+\.\d+ 'ISOLAB_SHELL=/).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run probes' })).toBeVisible({ timeout: 240_000 });
  await page.screenshot({ path: path.join(test.info().outputDir, 'ssh-probes.png'), fullPage: true });

  const again = await openSshDialog(page);
  await expect(again.getByRole('textbox', { name: 'User' })).toHaveValue('root');
  await expect(again.getByRole('textbox', { name: 'Identity file' })).toHaveValue(testGuestSshKey);
  await again.getByRole('button', { name: 'Remove the SSH settings' }).click();
  await expect(again).toBeHidden();
  await expect(page.getByRole('button', { name: 'SSH…' })).toBeEnabled();
});
