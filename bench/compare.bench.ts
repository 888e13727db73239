// The Compare lab's speed in the same run: one round of the probes (all but the timed loop) in a container through
// the Engine API against `docker exec` per probe, and in the test guest through qemu-guest-agent (against
// `virsh qemu-agent-command` per probe) and through its serial console (no CLI does that; reported as is).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { api } from '../electron/shared/api';
import type { ProbeId } from '../electron/shared/compare-types';
import { probeIds } from '../electron/shared/compare-types';
import { createRpcClient } from '../electron/shared/rpc-client';
import { probes } from '../electron/backend/compare/probes';
import { createBackend } from '../electron/backend/index';
import { createRpcServer } from '../electron/backend/rpc-server';
import { connectInMemory } from '../tests/helpers/in-memory-transport';
import { agentAnswers, defineGuest, makeTestFolder, readyCount, removeDomains, virsh } from '../tests/integration/helpers/vm-guest';
import { median, timeMs, type Figure } from './stats';

const run = promisify(execFile);
const prefix = 'isolab-test-bench-cmp-';
const rounds = 5;
const env = { ...process.env, LC_ALL: 'C' };
const roundProbes: ProbeId[] = probeIds.filter((id) => id !== 'cpu-loop');
const scripts = probes.filter((probe) => roundProbes.includes(probe.id)).map((probe) => probe.script);

async function waitUntil(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A user's way to run one script through the agent: guest-exec, then guest-exec-status until it has exited. */
async function agentCli(name: string, script: string): Promise<void> {
  const exec = JSON.stringify({ execute: 'guest-exec', arguments: { path: '/bin/sh', arg: ['-c', script], 'capture-output': true } });
  const pid = (JSON.parse((await run('virsh', ['-c', 'qemu:///system', 'qemu-agent-command', name, exec], { env })).stdout) as { return: { pid: number } }).return.pid;
  for (;;) {
    const status = JSON.stringify({ execute: 'guest-exec-status', arguments: { pid } });
    const answer = JSON.parse((await run('virsh', ['-c', 'qemu:///system', 'qemu-agent-command', name, status], { env })).stdout) as { return: { exited: boolean } };
    if (answer.return.exited) return;
  }
}

export async function benchCompare(): Promise<{ figures: Figure[]; raw: Record<string, unknown> }> {
  const backend = createBackend();
  const link = connectInMemory(createRpcServer(api, backend.handlers), 'bench-compare');
  const client = createRpcClient<typeof api>(link.transport);
  const probeRound = (args: { container?: string; vm?: { uri: string; name: string } }) =>
    timeMs(
      () =>
        new Promise<void>((resolve, reject) => {
          client.subscribe('compare.probe', { ...args, probes: roundProbes }, { next: () => undefined, end: resolve, error: reject });
        }),
    );
  removeDomains(prefix);
  const folder = makeTestFolder(prefix);
  const agentGuest = `${prefix}agent`;
  const serialGuest = `${prefix}serial`;
  const raw: Record<'containerApp' | 'containerCli' | 'agentApp' | 'agentCli' | 'serialApp', number[]> = { containerApp: [], containerCli: [], agentApp: [], agentCli: [], serialApp: [] };
  try {
    const lab = await client.call('compare.launchContainer', { image: 'local/busybox:latest' });
    for (const name of [agentGuest, serialGuest]) {
      defineGuest({ name, serialLog: path.join(folder, `${name}.log`), agent: name === agentGuest });
      virsh('start', name);
    }
    for (const name of [agentGuest, serialGuest]) await waitUntil(`${name} ready`, () => readyCount(path.join(folder, `${name}.log`)) > 0, 120_000);
    await waitUntil('the guest agent', () => agentAnswers(agentGuest), 30_000);
    const vm = (name: string) => ({ vm: { uri: 'qemu:///system', name } });
    for (let round = 0; round < rounds; round++) {
      raw.containerApp.push(await probeRound({ container: lab.id }));
      raw.containerCli.push(await timeMs(async () => {
        for (const script of scripts) await run('docker', ['exec', lab.name, 'sh', '-c', script], { env });
      }));
      raw.agentApp.push(await probeRound(vm(agentGuest)));
      raw.agentCli.push(await timeMs(async () => {
        for (const script of scripts) await agentCli(agentGuest, script);
      }));
      raw.serialApp.push(await probeRound(vm(serialGuest)));
    }
    await client.call('compare.cleanup', {});
  } finally {
    link.disconnect();
    backend.dispose();
    removeDomains(prefix);
    fs.rmSync(folder, { recursive: true, force: true });
  }
  const m = (key: keyof typeof raw) => median(raw[key]);
  const count = `${roundProbes.length} probes plus the host`;
  return {
    figures: [
      { name: 'container: one probe round (app)', value: m('containerApp'), unit: 'ms', note: `${count}, median of ${rounds}` },
      { name: 'container: the same scripts with docker exec', value: m('containerCli'), unit: 'ms' },
      { name: 'container: app vs docker exec', value: m('containerApp') / m('containerCli'), unit: 'x', note: 'below 1 is faster' },
      { name: 'VM (TCG), guest agent: one probe round (app)', value: m('agentApp'), unit: 'ms' },
      { name: 'VM (TCG): the same with virsh qemu-agent-command', value: m('agentCli'), unit: 'ms' },
      { name: 'VM (TCG), guest agent: app vs virsh', value: m('agentApp') / m('agentCli'), unit: 'x' },
      { name: 'VM (TCG), serial console: one probe round (app)', value: m('serialApp'), unit: 'ms', note: 'no CLI runs scripts over a console' },
    ],
    raw,
  };
}
