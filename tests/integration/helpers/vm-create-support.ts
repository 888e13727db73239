// What the VM create and storage tests share: a scratch pool per run in a folder QEMU can reach, the create stream
// awaited with every progress event, the serial console log, virt-xml-validate, and cleanup of everything named
// with the test prefix (domains with their NVRAM, volumes, pools).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Api } from '@shared/api';
import type { RpcClient } from '@shared/rpc-client';
import type { VmCreateSpecInput } from '@shared/vm-create-schemas';
import type { VmCreated, VmCreateProgress } from '@shared/vm-create-types';
import { makeTestFolder, systemUri, virsh } from './vm-guest';

export { systemUri, virsh };

export const prefix = 'itest-create-';

export function virshQuiet(...args: string[]): void {
  try {
    virsh(...args);
  } catch {
    // Not there: nothing to clean.
  }
}

export function names(kind: 'list' | 'pool-list', ...flags: string[]): string[] {
  return virsh(kind, '--all', '--name', ...flags)
    .split('\n')
    .map((line) => line.trim())
    .filter((name) => name.startsWith(prefix));
}

export function volumesOf(pool: string): string[] {
  return virsh('vol-list', '--pool', pool)
    .split('\n')
    .slice(2)
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

/** Removes every domain whose name starts with the test prefix (running or not, UEFI or not) and its console log. */
export function removeDomains(): void {
  for (const name of names('list')) {
    virshQuiet('destroy', name);
    virshQuiet('undefine', name, '--nvram');
    virshQuiet('undefine', name);
    fs.rmSync(serialLog(name), { force: true });
  }
}

/** Removes every domain and pool (with its volumes) whose name starts with the test prefix. */
export function removeEverythingCreated(): void {
  removeDomains();
  for (const pool of names('pool-list')) {
    for (const volume of volumesOf(pool)) virshQuiet('vol-delete', '--pool', pool, volume);
    const target = /<path>([^<]+)<\/path>/.exec(virsh('pool-dumpxml', pool))?.[1];
    virshQuiet('pool-destroy', pool);
    virshQuiet('pool-undefine', pool);
    // makePool's folder (named with the prefix) holds the pool's folder: both go.
    const folder = target ? path.dirname(target) : undefined;
    if (folder && path.basename(folder).startsWith(prefix)) fs.rmSync(folder, { recursive: true, force: true });
  }
}

/** A running dir pool named `itest-create-<what>-<run>` in a fresh folder (0755, so QEMU can enter it). */
export function makePool(what: string, run: string): { name: string; path: string } {
  const folder = makeTestFolder(`${prefix}${what}-`);
  const name = `${prefix}${what}-${run}`;
  const target = path.join(folder, 'pool');
  virsh('pool-define-as', name, 'dir', '--target', target);
  virsh('pool-build', name);
  virsh('pool-start', name);
  return { name, path: target };
}

export interface CreateOutcome {
  events: VmCreateProgress[];
  result?: VmCreated;
  error?: unknown;
}

/** Runs the vmCreate.create stream to its end; resolves with the events and the result or the error. */
export function createVm(client: RpcClient<Api>, spec: VmCreateSpecInput): Promise<CreateOutcome> {
  return new Promise((resolve) => {
    const events: VmCreateProgress[] = [];
    client.subscribe('vmCreate.create', { spec }, {
      next: (event) => events.push(event),
      error: (error) => resolve({ events, error }),
      end: () => resolve({ events, ...(events.at(-1)?.result ? { result: events.at(-1)?.result } : {}) }),
    });
  });
}

export function serialLog(name: string): string {
  return `/var/log/libvirt/qemu/${name}-serial0.log`;
}

/** Waits until the guest's serial log holds `line`; returns the log. */
export async function waitForSerialLine(name: string, line: string, timeoutMs = 90_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = fs.existsSync(serialLog(name)) ? fs.readFileSync(serialLog(name), 'latin1') : '';
    if (text.includes(line)) return text;
    if (Date.now() > deadline) throw new Error(`no "${line}" on ${name}'s serial console within ${timeoutMs} ms:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** virt-xml-validate against libvirt's RelaxNG schema; throws with its output when invalid. */
export function validateXml(xml: string, schema: 'domain' | 'pool' = 'domain'): string {
  const folder = makeTestFolder(`${prefix}xml-`);
  try {
    const file = path.join(folder, `${schema}.xml`);
    fs.writeFileSync(file, xml);
    // It says "validates" on stderr.
    const result = spawnSync('virt-xml-validate', [file, schema], { encoding: 'utf8' });
    const output = `${result.stdout}${result.stderr}`.trim();
    if (result.status !== 0) throw new Error(`virt-xml-validate refused the XML:\n${output}\n${xml}`);
    return output;
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
