// What the VM pages see when libvirt goes away and comes back, without stopping the shared libvirtd: the backend
// finds `virsh` through a folder put first on its PATH, whose virsh answers like a daemon that is down while a flag
// file exists (with libvirt's own "Connection refused" words) and runs the real virsh otherwise. The event child is
// killed while "down": the stream says unavailable, with the doctor's fix and the retry, calls fail with
// UNAVAILABLE instead of an empty list, and once "up" the child is back and the whole list is sent again.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, type Api } from '@shared/api';
import { createRpcClient } from '@shared/rpc-client';
import { createBackend } from '../../electron/backend/index';
import { loadConfig } from '../../electron/backend/config';
import { createRpcServer } from '../../electron/backend/rpc-server';
import { connectInMemory } from '../helpers/in-memory-transport';
import { failure } from '../helpers/failure';
import { waitFor } from './helpers/docker-cli';
import { defineGuest, makeTestFolder, ownEventChildren, removeDomains, systemUri as uri } from './helpers/vm-guest';
import { watchVms } from './helpers/vm-watch';

const prefix = 'itest-vm-reconnect-';
let folder: string;
let downFlag: string;

beforeAll(() => {
  removeDomains(prefix);
  folder = makeTestFolder(prefix);
  downFlag = path.join(folder, 'down');
  const bin = path.join(folder, 'bin');
  fs.mkdirSync(bin);
  const realVirsh = ['/usr/bin/virsh', '/bin/virsh'].find((candidate) => fs.existsSync(candidate));
  if (!realVirsh) throw new Error('virsh is not installed');
  fs.writeFileSync(
    path.join(bin, 'virsh'),
    [
      '#!/bin/sh',
      `if [ -e '${downFlag}' ]; then`,
      "  echo \"error: failed to connect to the hypervisor\" >&2",
      "  echo \"error: Failed to connect socket to '/var/run/libvirt/libvirt-sock': Connection refused\" >&2",
      '  exit 1',
      'fi',
      `exec ${realVirsh} "$@"`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
});
afterAll(() => {
  removeDomains(prefix);
  fs.rmSync(folder, { recursive: true, force: true });
});

it('reports libvirt down with the fix while it is, and sends the whole list when it is back', async () => {
  const base = loadConfig();
  const config = { ...base, programPath: `${path.join(folder, 'bin')}:${base.programPath}` };
  const backend = createBackend({ config });
  const link = connectInMemory(createRpcServer(api, backend.handlers), 'vm-reconnect-test');
  const client = createRpcClient<Api>(link.transport);
  const watch = watchVms(client, uri);
  try {
    await watch.ready();
    expect(watch.connection?.status).toBe('connected');
    const [child] = ownEventChildren();
    expect(child).toBeDefined();

    fs.writeFileSync(downFlag, '');
    process.kill(child!, 'SIGKILL');
    const down = await waitFor('the connection reported unavailable', () => (watch.connection?.status === 'unavailable' ? watch.connection : undefined));
    expect(down.error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('qemu:///system') as string });
    expect(down.error?.detail).toMatch(/Connection refused/);
    expect(down.error?.fix?.command).toMatch(/libvirtd/);
    await waitFor('a retry announced', () => watch.changes.some((change) => change.kind === 'connection' && change.connection.retryInMs !== undefined) || undefined);
    const listing = await failure(client.call('vms.list', { uri }));
    expect(listing.code).toBe('UNAVAILABLE');
    expect(listing.fix?.command).toMatch(/libvirtd/);

    // While it was down, a VM was defined: its event was lost, and only the whole list after the reconnect shows it.
    const name = `${prefix}guest`;
    defineGuest({ name, serialLog: path.join(folder, 'serial.log') });
    const lists = watch.changes.filter((change) => change.kind === 'domains').length;
    fs.rmSync(downFlag);
    await watch.until(name, (vm) => vm?.state === 'shutoff', 15_000);
    expect(watch.connection?.status).toBe('connected');
    expect(watch.changes.filter((change) => change.kind === 'domains').length).toBeGreaterThan(lists);
    expect(ownEventChildren()).toHaveLength(1);
  } finally {
    fs.rmSync(downFlag, { force: true });
    watch.close();
    link.disconnect();
    backend.dispose();
  }
});
