// The doctor page in Chromium over web mode: the versions docker and virsh report in this same run, this
// machine's KVM status and reason as the test reads them itself, re-check on demand, and no serious axe finding.
import fs from 'node:fs';
import { dockerServerVersion, libvirtDaemonVersion } from '../integration/helpers/engines';
import { expectNoSeriousViolationsInBothSchemes } from './axe';
import { expect, test } from './web-mode';

/** KVM as this test sees the host, without Isolab's code: the status the page must show, and words of its reason. */
function expectedKvm(): { acceleration: RegExp; reason: RegExp } {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const flags = /^flags\s*:(.*)$/m.exec(cpuinfo)?.[1]?.split(/\s+/) ?? [];
  const device = fs.existsSync('/dev/kvm');
  const vendorModule = ['kvm_intel', 'kvm_amd'].find((name) => fs.existsSync(`/sys/module/${name}`));
  if (device && vendorModule) return { acceleration: /KVM: VMs run at near-native speed/, reason: /KVM/ };
  const software = /QEMU software emulation \(TCG\)/;
  if (device && fs.existsSync('/sys/module/kvm_pvm')) return { acceleration: software, reason: /kvm_pvm \(PVM\)/ };
  if (!device && !flags.includes('vmx') && !flags.includes('svm')) {
    return { acceleration: software, reason: flags.includes('hypervisor') ? /no nested virtualization/ : /firmware/ };
  }
  return { acceleration: software, reason: /kvm/ };
}

test('the doctor shows the engines as docker and virsh report them, and this host\'s KVM status', async ({ page, webMode }) => {
  const docker = dockerServerVersion();
  const libvirt = libvirtDaemonVersion();
  const kvm = expectedKvm();

  await page.goto(webMode.url);
  await expect(page).toHaveURL(/\/(#\/)?$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Host doctor' })).toBeVisible();

  const dockerSection = page.getByRole('region', { name: 'Docker' });
  await expect(dockerSection).toContainText(`Docker Engine ${docker}`);
  const libvirtSection = page.getByRole('region', { name: 'libvirt' });
  await expect(libvirtSection).toContainText(`libvirt ${libvirt}`);
  const kvmSection = page.getByRole('region', { name: 'KVM' });
  await expect(kvmSection.locator('[data-check="kvm.acceleration"]')).toContainText(kvm.acceleration);
  await expect(kvmSection.locator('[data-check="kvm.acceleration"]')).toContainText(kvm.reason);

  await expectNoSeriousViolationsInBothSchemes(page);
  for (const details of await page.getByRole('button', { name: 'Details' }).all()) await details.click();
  await expect(dockerSection.getByRole('table')).toContainText('unix:///var/run/docker.sock');
  await expectNoSeriousViolationsInBothSchemes(page);

  await page.emulateMedia({ colorScheme: 'dark' });
  await expectNoSeriousViolationsInBothSchemes(page);
  await page.screenshot({ path: test.info().outputPath('doctor-dark.png'), fullPage: true });
});

test('Re-check, from the keyboard, asks the backend for a new report', async ({ page, webMode }) => {
  const reportCalls: string[] = [];
  page.on('websocket', (socket) =>
    socket.on('framesent', (frame) => {
      if (typeof frame.payload === 'string' && frame.payload.includes('"host.report"')) reportCalls.push(frame.payload);
    }),
  );
  await page.goto(webMode.url);
  await expect(page.getByTestId('doctor-report')).toBeVisible();
  expect(reportCalls).toHaveLength(1);

  // From the keyboard: Tab reaches the button, Enter presses it.
  const recheck = page.getByRole('button', { name: 'Re-check' });
  for (let presses = 0; presses < 20 && !(await recheck.evaluate((button) => button === document.activeElement)); presses++) {
    await page.keyboard.press('Tab');
  }
  await expect(recheck).toBeFocused();
  await page.keyboard.press('Enter');
  await expect.poll(() => reportCalls.length).toBe(2);
  await expect(page.getByTestId('doctor-report')).toHaveAttribute('aria-busy', 'false');
});

test('without the token the page is refused, and says how to get in', async ({ page, webMode }) => {
  const response = await page.goto(new URL('/', webMode.url).href);
  expect(response?.status()).toBe(401);
  await expect(page.getByRole('heading', { name: 'Not signed in' })).toBeVisible();
  await expect(page.getByText('npm run web')).toBeVisible();
});
