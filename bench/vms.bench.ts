// The libvirt service's speed against virsh in the same run: list with 100 defined domains, a virsh change
// reaching the open page, and start to the test guest's serial ready marker (app vs `virsh start`).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import { XMLBuilder } from 'fast-xml-parser';
import { api } from '../electron/shared/api';
import { createRpcClient } from '../electron/shared/rpc-client';
import { createBackend } from '../electron/backend/index';
import { createRpcServer } from '../electron/backend/rpc-server';
import { chromiumArgs, chromiumPath } from '../tests/helpers/chromium';
import { connectInMemory } from '../tests/helpers/in-memory-transport';
import { startWebMode, stopWebMode } from '../tests/helpers/web-mode-process';
import { testGuestCmdline, testGuestInitrd, testGuestKernel, testGuestReadyMarker } from '../tests/integration/helpers/test-guest';
import { changeToPageMs } from './page-latency';
import { median, timeMs, type Figure } from './stats';

const run = promisify(execFile);
const uri = 'qemu:///system';
const prefix = 'isolab-test-bench-vm-';
const definedCount = 100;
const listRuns = 5;
const latencyRuns = 20;
const bootRuns = 3;
const env = { ...process.env, LC_ALL: 'C' };

const virsh = async (...args: string[]) => (await run('virsh', ['--quiet', '--connect', uri, ...args], { env, maxBuffer: 64 << 20 })).stdout;

/** The tiny test guest (kernel boot, no disk), its serial console also written to `serialLog`. */
function guestXml(name: string, serialLog: string): string {
  return new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', format: true }).build({
    domain: {
      '@type': 'qemu',
      name,
      memory: { '@unit': 'MiB', '#text': 256 },
      vcpu: 1,
      os: { type: { '@arch': 'x86_64', '@machine': 'q35', '#text': 'hvm' }, kernel: testGuestKernel, initrd: testGuestInitrd, cmdline: testGuestCmdline },
      features: { acpi: '' },
      devices: {
        serial: { '@type': 'pty', log: { '@file': serialLog, '@append': 'off' }, target: { '@port': 0 } },
        console: { '@type': 'pty', target: { '@type': 'serial', '@port': 0 } },
        memballoon: { '@model': 'none' },
      },
    },
  }) as string;
}

async function define(name: string, serialLog: string, dir: string): Promise<void> {
  const file = path.join(dir, `${name}.xml`);
  writeFileSync(file, guestXml(name, serialLog));
  await virsh('define', file);
}

async function removeBenchDomains(): Promise<void> {
  const names = (await virsh('list', '--all', '--name')).split('\n').filter((name) => name.startsWith(prefix));
  for (const name of names) {
    await virsh('destroy', name).catch(() => undefined);
    await virsh('undefine', name, '--snapshots-metadata').catch(() => undefined);
  }
}

async function untilMarker(serialLog: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let text = '';
    try {
      text = readFileSync(serialLog, 'utf8');
    } catch {
      // Not written yet.
    }
    if (text.includes(testGuestReadyMarker)) return;
    if (Date.now() > deadline) throw new Error(`no ready marker in ${serialLog}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function virshToPageMs(page: Page, name: string, command: 'suspend' | 'resume'): Promise<number> {
  return changeToPageMs(page, `[data-testid="vm-row"][data-name="${name}"]`, () => virsh(command, name));
}

export async function benchVms(): Promise<{ figures: Figure[]; raw: Record<string, unknown> }> {
  await removeBenchDomains();
  const dir = mkdtempSync(path.join(tmpdir(), 'isolab-bench-vm-'));
  const backend = createBackend();
  const link = connectInMemory(createRpcServer(api, backend.handlers), 'bench');
  const rpc = createRpcClient<typeof api>(link.transport);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    // Start to ready marker, paired: the app's vms.start, then `virsh start`, on the same domain.
    const booted = `${prefix}boot`;
    const bootLog = path.join(dir, 'boot-serial.log');
    await define(booted, bootLog, dir);
    const appBoot: number[] = [];
    const cliBoot: number[] = [];
    for (let index = 0; index < bootRuns; index++) {
      appBoot.push(await timeMs(async () => {
        await rpc.call('vms.start', { uri, name: booted });
        await untilMarker(bootLog);
      }));
      await virsh('destroy', booted);
      cliBoot.push(await timeMs(async () => {
        await virsh('start', booted);
        await untilMarker(bootLog);
      }));
      await virsh('destroy', booted);
    }

    // A virsh change reaching the open page: suspend/resume of the running guest.
    await virsh('start', booted);
    await untilMarker(bootLog);
    const webMode = await startWebMode();
    const page = await browser.newPage();
    const latencies: number[] = [];
    try {
      await page.goto(webMode.url);
      await page.goto(`${new URL(webMode.url).origin}/#/vms`);
      await page.getByRole('textbox', { name: 'Search VMs' }).fill(booted);
      await page.locator(`[data-testid="vm-row"][data-name="${booted}"]`).waitFor();
      for (let index = 0; index < latencyRuns; index++) {
        latencies.push(await virshToPageMs(page, booted, index % 2 === 0 ? 'suspend' : 'resume'));
      }
    } finally {
      await page.close();
      await stopWebMode(webMode);
      await virsh('destroy', booted).catch(() => undefined);
    }

    // The list with 100 defined domains: the backend against what virsh needs for the same columns.
    for (let index = 0; index < definedCount; index++) await define(`${prefix}${String(index).padStart(3, '0')}`, path.join(dir, `${index}.log`), dir);
    const listTimes: number[] = [];
    const virshTimes: number[] = [];
    let listed = 0;
    for (let index = 0; index < listRuns; index++) {
      listTimes.push(await timeMs(async () => (listed = (await rpc.call('vms.list', { uri })).length)));
      virshTimes.push(await timeMs(async () => {
        const names = (await virsh('list', '--all', '--name')).split('\n').filter(Boolean);
        for (const name of names) await virsh('dominfo', name);
      }));
    }

    const list = median(listTimes);
    const cli = median(virshTimes);
    const app = median(appBoot);
    const cliStart = median(cliBoot);
    return {
      figures: [
        { name: `vms.list, ${listed} domains`, value: list, unit: 'ms', note: `median of ${listRuns}` },
        { name: 'virsh list --all + dominfo each', value: cli, unit: 'ms', note: 'baseline, same run' },
        { name: 'vms.list / virsh', value: list / cli, unit: 'x', note: 'lower is better' },
        { name: 'virsh change to page change', value: median(latencies), unit: 'ms', note: `median of ${latencyRuns} (suspend/resume); goal <= 500` },
        { name: 'start to ready marker (app)', value: app, unit: 'ms', note: `median of ${bootRuns} paired runs, TCG` },
        { name: 'virsh start to ready marker', value: cliStart, unit: 'ms', note: 'baseline, paired' },
        { name: 'start app / virsh', value: app / cliStart, unit: 'x', note: 'goal <= 1.05' },
      ],
      raw: { listTimes, virshTimes, latencies, appBoot, cliBoot },
    };
  } finally {
    await browser.close();
    link.disconnect();
    backend.dispose();
    await removeBenchDomains();
    rmSync(dir, { recursive: true, force: true });
  }
}
