// The create wizard and the Storage page in Chromium over web mode, against the real libvirtd + QEMU (TCG): the
// software-emulation warning, a field message as typed, the virt-install preview, then the test guest created
// from its kernel + initrd, started, and its ready marker on the serial console; pools and volumes made and
// removed through the Storage page. axe in light and dark.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { testGuestCmdline, testGuestInitrd, testGuestKernel, testGuestReadyLine } from '../integration/helpers/test-guest';
import { expectNoSeriousViolationsInBothSchemes } from './axe';
import { openFromSidebar } from './sidebar';
import { expect, test } from './web-mode';

const prefix = 'itest-e2e-create-';
const run = Date.now().toString(36);

function virsh(...args: string[]): string {
  return execFileSync('virsh', ['--connect', 'qemu:///system', ...args], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function virshQuiet(...args: string[]): void {
  try {
    virsh(...args);
  } catch {
    // Not there: nothing to clean.
  }
}

function prefixed(kind: 'list' | 'pool-list'): string[] {
  return virsh(kind, '--all', '--name')
    .split('\n')
    .map((line) => line.trim())
    .filter((name) => name.startsWith(prefix) && name.includes(run));
}

test.afterEach(() => {
  for (const name of prefixed('list')) {
    virshQuiet('destroy', name);
    virshQuiet('undefine', name);
    fs.rmSync(`/var/log/libvirt/qemu/${name}-serial0.log`, { force: true });
  }
  for (const pool of prefixed('pool-list')) {
    virshQuiet('pool-destroy', pool);
    virshQuiet('pool-undefine', pool);
  }
});

async function openWizard(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.evaluate(() => {
    window.location.hash = '#/vms/new';
  });
  await expect(page.getByRole('heading', { level: 1, name: 'New virtual machine' })).toBeVisible();
}

async function waitForSerialLine(file: string, line: string): Promise<void> {
  await expect.poll(() => (fs.existsSync(file) ? fs.readFileSync(file, 'latin1') : ''), { timeout: 90_000 }).toContain(line);
}

test('create the test guest from its kernel and initrd through the wizard, and see it boot under TCG', async ({ page, webMode }) => {
  const name = `${prefix}e2e-${run}`;
  await openWizard(page, webMode.url);
  await expect(page.getByTestId('tcg-warning')).toContainText('software emulation (TCG)');

  const nameInput = page.getByRole('textbox', { name: 'Name' });
  await nameInput.fill('bad<name>');
  await nameInput.blur();
  await expect(nameInput).toHaveAttribute('aria-invalid', 'true');
  await expect(nameInput).toHaveAccessibleDescription(/Use letters, digits/);
  await nameInput.fill(name);

  await page.getByText('Kernel boot', { exact: true }).click();
  await page.getByRole('textbox', { name: 'Kernel', exact: true }).fill(testGuestKernel);
  await page.getByRole('textbox', { name: 'Initrd' }).fill(testGuestInitrd);
  await page.getByRole('textbox', { name: 'Kernel command line' }).fill(testGuestCmdline);
  await page.getByRole('textbox', { name: 'Memory' }).fill('256');
  await page.getByRole('textbox', { name: 'vCPUs' }).fill('1');
  await page.getByRole('combobox', { name: 'Network', exact: true }).click();
  await page.getByRole('option', { name: 'None' }).click();
  await page.getByRole('switch', { name: /Graphical display/ }).click();

  const preview = page.getByTestId('virt-install-preview');
  await expect(preview).toContainText(`virt-install --connect qemu:///system --name ${name} --virt-type qemu --machine q35 --memory 256 --vcpus 1`);
  await expect(preview).toContainText(`--boot 'kernel=${testGuestKernel},initrd=${testGuestInitrd},kernel_args=${testGuestCmdline}'`);
  await expect(preview).toContainText('--network none --graphics none');
  await expectNoSeriousViolationsInBothSchemes(page);

  await page.getByRole('button', { name: 'Create and start' }).click();
  await expect(page).toHaveURL(new RegExp(`#/vms/${encodeURIComponent('qemu:///system')}/${name}$`), { timeout: 60_000 });
  // The VM's own page (the VM area's) says how it runs.
  await expect(page.getByText('Software emulation (TCG)').first()).toBeVisible();
  expect(virsh('domstate', name).trim()).toBe('running');
  expect(virsh('dumpxml', name)).toContain("<domain type='qemu'");
  await waitForSerialLine(`/var/log/libvirt/qemu/${name}-serial0.log`, testGuestReadyLine());

  // In the list, running under TCG; stopped from virsh, the row follows; then deleted from the page with its disks.
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Virtual machines', exact: true }).click();
  const vmRow = page.locator(`[data-testid="vm-row"][data-name="${name}"]`);
  await expect(vmRow).toHaveAttribute('data-state', 'running');
  await expect(vmRow).toContainText('Software emulation (TCG)');
  virsh('destroy', name);
  await expect(vmRow).toHaveAttribute('data-state', 'shutoff');
  const disksBefore = virsh('domblklist', '--details', name);
  await vmRow.getByRole('button', { name: `More actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Delete…' }).click();
  const deleteDialog = page.getByRole('dialog', { name: `Delete ${name}?` });
  await deleteDialog.getByRole('button', { name: /^Delete VM/ }).click();
  await expect(deleteDialog).toHaveCount(0);
  await expect(vmRow).toHaveCount(0);
  expect(prefixed('list')).toEqual([]);
  for (const file of disksBefore.split('\n').flatMap((line) => /^\s*file\s+disk\s+\S+\s+(\/\S+)/.exec(line)?.[1] ?? [])) {
    expect(fs.existsSync(file)).toBe(false);
  }
});

test('a duplicate name comes back from the host check next to the field, and nothing is created', async ({ page, webMode }) => {
  const name = `${prefix}e2e-dup-${run}`;
  defineMinimalDomain(name);
  await openWizard(page, webMode.url);
  await page.getByRole('textbox', { name: 'Name' }).fill(name);
  await page.getByText('Kernel boot', { exact: true }).click();
  await page.getByRole('textbox', { name: 'Kernel', exact: true }).fill(testGuestKernel);
  await page.getByRole('button', { name: 'Create and start' }).click();
  await expect(page.getByRole('textbox', { name: 'Name' })).toHaveAccessibleDescription(new RegExp(`A VM named ${name} already exists`));
  await expectNoSeriousViolationsInBothSchemes(page);
  expect(prefixed('list')).toEqual([name]);
});

/** A domain that only takes the name (the test's own name: nothing in it needs escaping). */
function defineMinimalDomain(name: string): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}xml-`));
  try {
    const file = path.join(dir, 'domain.xml');
    fs.writeFileSync(file, `<domain type="qemu"><name>${name}</name><memory unit="MiB">64</memory><os><type arch="x86_64" machine="q35">hvm</type></os></domain>`);
    virsh('define', file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('the Storage page creates a pool, a volume, grows it, and removes both', async ({ page, webMode }) => {
  const pool = `${prefix}e2e-pool-${run}`;
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}e2e-`));
  const target = path.join(folder, 'images');
  try {
    await openFromSidebar(page, webMode.url, 'Storage');
    await page.getByRole('button', { name: 'Create pool' }).click();
    const create = page.getByRole('dialog', { name: 'Create storage pool' });
    await create.getByRole('textbox', { name: 'Name' }).fill(pool);
    await create.getByRole('textbox', { name: 'Folder' }).fill('relative/path');
    await create.getByRole('button', { name: 'Create' }).click();
    await expect(create.getByRole('textbox', { name: 'Folder' })).toHaveAccessibleDescription(/Use an absolute path/);
    await create.getByRole('textbox', { name: 'Folder' }).fill(target);
    await create.getByRole('button', { name: 'Create' }).click();
    await expect(create).toHaveCount(0);
    const row = page.locator(`[data-testid="storage-pool-row"][data-name="${pool}"]`);
    await expect(row).toContainText('active');
    expect(fs.statSync(target).isDirectory()).toBe(true);

    await row.getByRole('button', { name: `Show the volumes of ${pool}` }).click();
    await expect(page.getByRole('heading', { name: `Volumes in ${pool}` })).toBeVisible();
    await page.getByRole('button', { name: 'Create volume' }).click();
    const volumeDialog = page.getByRole('dialog', { name: `Create volume in ${pool}` });
    await volumeDialog.getByRole('textbox', { name: 'Name' }).fill('disk.qcow2');
    await volumeDialog.getByRole('textbox', { name: 'Size' }).fill('1');
    await volumeDialog.getByRole('button', { name: 'Create' }).click();
    const volumeRow = page.locator('[data-testid="storage-volume-row"][data-name="disk.qcow2"]');
    await expect(volumeRow).toContainText('qcow2');
    await expect(volumeRow).toContainText('1.0 GiB');
    await expectNoSeriousViolationsInBothSchemes(page);

    await volumeRow.getByRole('button', { name: 'Resize disk.qcow2' }).click();
    const resize = page.getByRole('dialog', { name: 'Resize disk.qcow2' });
    await resize.getByRole('textbox', { name: 'New size' }).fill('2');
    await resize.getByRole('button', { name: 'Resize' }).click();
    await expect(volumeRow).toContainText('2.0 GiB');
    expect(virsh('vol-info', '--bytes', '--pool', pool, 'disk.qcow2')).toMatch(/Capacity:\s+2147483648 bytes/);

    await volumeRow.getByRole('button', { name: 'Delete disk.qcow2' }).click();
    await page.getByRole('dialog', { name: 'Delete volume' }).getByRole('button', { name: 'Delete volume' }).click();
    await expect(volumeRow).toHaveCount(0);

    await row.getByRole('button', { name: `Delete ${pool}` }).click();
    const remove = page.getByRole('dialog', { name: 'Delete storage pool' });
    await remove.getByRole('checkbox', { name: /Also delete the folder/ }).check();
    await remove.getByRole('button', { name: 'Delete pool' }).click();
    await expect(row).toHaveCount(0);
    expect(prefixed('pool-list')).toEqual([]);
    expect(fs.existsSync(target)).toBe(false);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
