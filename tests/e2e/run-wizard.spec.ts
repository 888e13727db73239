// The run wizard in Chromium over web mode, against the real dockerd: a field message appears next to the
// field on blur, the docker run preview follows the typing, Run lands on the new container's page and the
// engine has the env and port asked for; an engine refusal is shown and the form kept; an image only in the
// local registry is pulled with progress and then run; axe in light and dark.
import net from 'node:net';
import type { Page } from '@playwright/test';
import { expectNoSeriousViolationsInBothSchemes } from './axe';
import { docker, exists, pushToRegistry, removeFromRegistry, removeTestObjects, testName } from './docker-cli';
import { expect, test } from './web-mode';

const command = "sh -c 'while true; do echo tick; sleep 0.2; done'";
const prefix = 'itest-h1-';

test.afterEach(() => removeTestObjects(prefix));

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function openWizard(page: Page, url: string) {
  await page.goto(`${url}#/containers/new`);
  await expect(page.getByRole('heading', { level: 1, name: 'Run a container' })).toBeVisible();
}

interface Inspect {
  Config: { Env: string[]; Cmd: string[]; Image: string };
  HostConfig: { PortBindings: Record<string, { HostIp: string; HostPort: string }[]> };
  State: { Running: boolean };
}

test('run a container through the wizard: field messages, live docker run preview, and the engine gets what was asked', async ({ page, webMode }) => {
  const name = testName(prefix, 'wizard');
  const port = await freePort();
  await openWizard(page, webMode.url);

  const nameInput = page.getByRole('textbox', { name: 'Name', exact: true });
  await nameInput.fill('-not a name');
  await nameInput.blur();
  await expect(nameInput).toHaveAccessibleDescription(/Use at least 2 characters: letters, digits/);
  await expect(nameInput).toHaveAttribute('aria-invalid', 'true');

  await page.getByRole('combobox', { name: 'Image' }).fill('local/busybox:latest');
  await nameInput.fill(name);
  await nameInput.blur();
  await expect(nameInput).not.toHaveAccessibleDescription(/letters, digits/);
  await page.getByRole('textbox', { name: 'Command', exact: true }).fill(command);
  await page.getByRole('button', { name: 'Add variable' }).click();
  await page.getByLabel('Variable 1 name').fill('ISOLAB_GREETING');
  await page.getByLabel('Variable 1 value').fill('hello world');
  await page.getByRole('button', { name: 'Publish a port' }).click();
  await page.getByLabel('Host IP').fill('127.0.0.1');
  await page.getByLabel('Host port').fill(String(port));
  await page.getByLabel('Container port').fill('8080');

  const preview = page.getByTestId('docker-run-preview');
  await expect(preview).toHaveText(
    `docker run -d --name ${name} -e 'ISOLAB_GREETING=hello world' -p 127.0.0.1:${port}:8080 local/busybox:latest ${command}`,
  );

  await expectNoSeriousViolationsInBothSchemes(page);

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page).toHaveURL(/#\/containers\/[0-9a-f]{64}$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);

  const inspect = (JSON.parse(docker('inspect', name)) as Inspect[])[0]!;
  expect(inspect.Config.Env).toContain('ISOLAB_GREETING=hello world');
  expect(inspect.Config.Cmd).toEqual(['sh', '-c', 'while true; do echo tick; sleep 0.2; done']);
  expect(inspect.HostConfig.PortBindings['8080/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(port) }]);
  expect(inspect.State.Running).toBe(true);
});

test('a name the engine already has: its reason is shown next to the field and above Run, and the form is kept', async ({ page, webMode }) => {
  const name = testName(prefix, 'wizard');
  docker('create', '--name', name, 'local/busybox');
  await page.goto(`${webMode.url}#/containers/new?image=local%2Fbusybox%3Alatest`);
  await expect(page.getByRole('combobox', { name: 'Image' })).toHaveValue('local/busybox:latest');
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await page.getByRole('textbox', { name: 'Command', exact: true }).fill("echo 'unclosed");
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('textbox', { name: 'Command', exact: true })).toHaveAccessibleDescription(/single quote is not closed/);

  await page.getByRole('textbox', { name: 'Command', exact: true }).fill('true');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The engine did not run the container' })).toContainText(name);
  await expect(page).toHaveURL(/#\/containers\/new/);
  await expect(page.getByRole('textbox', { name: 'Name', exact: true })).toHaveValue(name);
  const names = docker('ps', '-a', '--filter', `name=^/${name}$`, '--format', '{{.Names}}');
  expect(names).toBe(name);
});

const pullRepository = 'itest-h1/wizard';
const pullTag = 'e2e';

test.describe('an image that is not local', () => {
  let reference = '';

  // 16 MB of random data the engine lacks: the pull takes long enough to watch its progress.
  test.beforeAll(() => {
    reference = pushToRegistry(pullRepository, pullTag, 16_000_000, testName(prefix, 'push-source'));
  });

  test.afterAll(() => removeFromRegistry(pullRepository, pullTag));

  test('is pulled from the registry with progress, then the container runs from it', async ({ page, webMode }) => {
    const name = testName(prefix, 'pulled');
    expect(exists('image', reference)).toBe(false);
    await openWizard(page, webMode.url);

    await page.getByRole('combobox', { name: 'Image' }).fill(reference);
    const offer = page.getByTestId('pull-offer');
    await expect(offer).toContainText(`${reference} is not on this engine`);
    await expect(offer).toContainText('Running it pulls it first.');
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    await page.getByRole('textbox', { name: 'Command', exact: true }).fill('sleep 600');
    await expect(page.getByTestId('docker-run-preview')).toHaveText(`docker run -d --name ${name} ${reference} sleep 600`);
    await expectNoSeriousViolationsInBothSchemes(page);

    // A local pull lasts about a second and the page moves on when it ends: watch for its progress from before
    // the click, checked every frame rather than at expect's retry intervals.
    const progressShown = offer.getByTestId('pull-progress').waitFor();
    // At 0 % the bar has no width, so it counts as present rather than visible.
    const overallShown = offer.getByRole('progressbar', { name: new RegExp(`^Pull of ${reference.replace(/[.]/g, '\\.')}: \\d+%$`) }).waitFor({ state: 'attached' });
    const layerShown = offer.getByTestId('pull-layer').first().waitFor();
    const cancelShown = offer.getByRole('button', { name: 'Cancel pull' }).waitFor();
    await page.getByRole('button', { name: 'Pull and run' }).click();
    await Promise.all([progressShown, overallShown, layerShown, cancelShown]);

    await expect(page).toHaveURL(/#\/containers\/[0-9a-f]{64}$/, { timeout: 60_000 });
    await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
    expect(docker('image', 'inspect', '--format', '{{.Id}}', reference)).toMatch(/^sha256:/);
    expect(docker('inspect', '--format', '{{.Config.Image}} {{.State.Running}}', name)).toBe(`${reference} true`);
  });
});
