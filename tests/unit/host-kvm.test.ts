// The KVM section: observeKvm over fixture trees (cpuinfo, /sys/module, nested, DMI, /dev/kvm) and
// assessKvm's verdicts and fix commands over observed and hand-built observations.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Check } from '@shared/types';
import { readAccounts, type FileAccess } from '../../electron/backend/host/host-files';
import { assessKvm, observeKvm, type KvmObservation } from '../../electron/backend/host/kvm-check';
import { copyHostFixture, fixContext } from './host-fixture-support';

const cleanups: string[] = [];
afterEach(async () => {
  for (const dir of cleanups.splice(0)) await fs.rm(dir, { recursive: true, force: true });
});

/** Observes a copy of tests/fixtures/host/<tree>, with /dev/kvm (when the tree has one) set to `mode`. */
async function observeTree(tree: string, mode = 0o666, tweak?: (dir: string) => Promise<void>): Promise<KvmObservation> {
  const { dir, roots } = await copyHostFixture(tree);
  cleanups.push(dir);
  await fs.chmod(path.join(roots.dev, 'kvm'), mode).catch(() => undefined);
  await tweak?.(dir);
  return observeKvm(roots, await readAccounts(roots));
}

function check(checks: Check[], id: string): Check {
  const found = checks.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no check ${id} in ${checks.map((c) => c.id).join(', ')}`);
  return found;
}

/** /dev/kvm as `ls -l` shows it on this machine: crw-rw---- root:kvm. */
const thisMachineDevice: FileAccess = {
  path: '/dev/kvm',
  exists: true,
  accessible: true,
  kind: 'character device',
  mode: '0660',
  permissions: 'rw-rw----',
  owner: 'root',
  group: 'kvm',
};

const missingDevice: FileAccess = { path: '/dev/kvm', exists: false, accessible: false };

function device(mode: string, permissions: string, owner: string, group: string, accessible: boolean): FileAccess {
  return { path: '/dev/kvm', exists: true, accessible, kind: 'character device', mode, permissions, owner, group };
}

describe('observeKvm', () => {
  it('reads an Intel bare-metal host with kvm_intel loaded and nested on', async () => {
    const observation = await observeTree('intel-fedora-kvm');
    expect(observation.device).toMatchObject({ exists: true, accessible: true, mode: '0666', permissions: 'rw-rw-rw-' });
    expect(observation.cpu.vendor).toBe('GenuineIntel');
    expect(observation.cpu.flags.has('vmx')).toBe(true);
    expect(observation.modules).toEqual(['kvm', 'kvm_intel']);
    expect(observation.nested).toBe(true);
    expect(observation.dmi).toEqual({});
  });

  it.each([
    ['intel-fedora-kvm', 'kvm_intel', 'N\n', false],
    ['intel-fedora-kvm', 'kvm_intel', '1\n', true],
    ['amd-epyc-bare-metal', 'kvm_amd', '0\n', false],
    ['amd-epyc-bare-metal', 'kvm_amd', 'Y\n', true],
  ])('reads nested from %s (%s nested=%j)', async (tree, module, value, nested) => {
    const observation = await observeTree(tree, 0o666, (dir) =>
      fs.writeFile(path.join(dir, 'sys', 'module', module, 'parameters', 'nested'), value),
    );
    expect(observation.nested).toBe(nested);
  });

  it('has no nested value without a vendor module, or without the parameter file', async () => {
    expect((await observeTree('debian-pvm-firecracker')).nested).toBeNull();
    const withoutParameter = await observeTree('intel-fedora-kvm', 0o666, (dir) =>
      fs.rm(path.join(dir, 'sys', 'module', 'kvm_intel', 'parameters', 'nested')),
    );
    expect(withoutParameter.modules).toEqual(['kvm', 'kvm_intel']);
    expect(withoutParameter.nested).toBeNull();
  });

  it('reads this machine: kvm and kvm_pvm, a hypervisor flag, no vmx/svm, no DMI', async () => {
    const observation = await observeTree('debian-pvm-firecracker', 0o660);
    expect(observation.modules).toEqual(['kvm', 'kvm_pvm']);
    expect(observation.device.exists).toBe(true);
    expect(observation.device.mode).toBe('0660');
    expect(observation.cpu.flags.has('hypervisor')).toBe(true);
    expect(observation.cpu.flags.has('svm')).toBe(false);
    expect(observation.dmi).toEqual({});
  });

  it('reads the hypervisor from DMI in a QEMU VM', async () => {
    const observation = await observeTree('amd-epyc-nested-vm');
    expect(observation.dmi).toEqual({ vendor: 'QEMU', product: 'Standard PC (Q35 + ICH9, 2009)' });
    expect(observation.modules).toEqual(['kvm', 'kvm_amd']);
    expect(observation.nested).toBe(true);
  });

  it('sees no device and no modules on a VM without them', async () => {
    const observation = await observeTree('firecracker-no-nesting');
    expect(observation.device.exists).toBe(false);
    expect(observation.modules).toEqual([]);
    expect(observation.nested).toBeNull();
  });
});

describe('assessKvm', () => {
  it('KVM present and usable on Intel bare metal', async () => {
    const section = assessKvm(await observeTree('intel-fedora-kvm'), fixContext({ user: 'alice', distro: 'fedora', systemd: true }));
    expect(section.status).toBe('ok');
    expect(section.summary).toBe('KVM hardware acceleration');
    expect(section.facts).toMatchObject({
      acceleration: 'kvm',
      reason: 'KVM hardware acceleration through kvm_intel.',
      device: { present: true, usable: true, mode: '0666' },
      cpu: { vendor: 'GenuineIntel', virtualizationFlag: 'vmx' },
      modules: ['kvm', 'kvm_intel'],
      hostIsVirtualMachine: false,
      nested: true,
    });
    expect(section.checks.map((c) => [c.id, c.status])).toEqual([
      ['kvm.acceleration', 'ok'],
      ['kvm.device', 'ok'],
      ['kvm.cpu', 'ok'],
      ['kvm.modules', 'ok'],
      ['kvm.host', 'ok'],
      ['kvm.qemu-access', 'ok'],
    ]);
    expect(check(section.checks, 'kvm.cpu').summary).toBe('Intel(R) Core(TM) i7-4800MQ CPU @ 2.70GHz offers Intel VT-x (vmx).');
    expect(check(section.checks, 'kvm.host').detail).toBe('Nested virtualization for guests of this host (kvm_intel nested): on.');
    expect(section.checks.some((c) => c.fix)).toBe(false);
  });

  it('reports nested off', async () => {
    const observation = await observeTree('intel-fedora-kvm', 0o666, (dir) =>
      fs.writeFile(path.join(dir, 'sys', 'module', 'kvm_intel', 'parameters', 'nested'), 'N\n'),
    );
    const section = assessKvm(observation, fixContext());
    expect(section.facts.nested).toBe(false);
    expect(check(section.checks, 'kvm.host').detail).toBe('Nested virtualization for guests of this host (kvm_intel nested): off.');
  });

  it('PVM on this machine: /dev/kvm exists but VMs use TCG, and no command fixes it here', async () => {
    const observed = await observeTree('debian-pvm-firecracker', 0o660);
    const section = assessKvm({ ...observed, device: thisMachineDevice }, fixContext({ user: 'root', isRoot: true }));
    expect(section.status).toBe('warning');
    expect(section.summary).toBe('Software emulation (TCG): VMs run slowly');
    expect(section.facts.acceleration).toBe('tcg');
    expect(section.facts.reason).toContain('kvm_pvm (PVM)');
    expect(section.facts.hostIsVirtualMachine).toBe(true);
    expect(section.facts.cpu.virtualizationFlag).toBeNull();
    const acceleration = check(section.checks, 'kvm.acceleration');
    expect(acceleration.status).toBe('warning');
    expect(acceleration.fix?.command).toBeUndefined();
    expect(acceleration.fix?.text).toContain('nested virtualization on the outer host');
    expect(check(section.checks, 'kvm.modules').summary).toBe('Loaded: kvm, kvm_pvm (PVM: KVM without hardware virtualization).');
    expect(check(section.checks, 'kvm.device')).toMatchObject({ status: 'ok', summary: 'Present, and usable by root (rw-rw---- root:kvm).' });
    expect(check(section.checks, 'kvm.host')).toMatchObject({
      status: 'warning',
      summary: 'A virtual machine; nested virtualization is not available to it.',
    });
    expect(check(section.checks, 'kvm.qemu-access').status).toBe('ok');
  });

  it('present but not permitted, group kvm: add the user to kvm', () => {
    const observation: KvmObservation = {
      device: device('0660', 'rw-rw----', 'root', 'kvm', false),
      cpu: { vendor: 'GenuineIntel', model: 'Intel CPU', flags: new Set(['vmx']) },
      modules: ['kvm', 'kvm_intel'],
      nested: false,
      dmi: {},
    };
    const section = assessKvm(observation, fixContext({ user: 'alice' }));
    expect(section.facts.acceleration).toBe('tcg');
    expect(section.facts.reason).toBe('/dev/kvm exists but alice may not open it (/dev/kvm is rw-rw---- root:kvm).');
    expect(check(section.checks, 'kvm.acceleration').fix?.command).toBe('sudo usermod -aG kvm alice');
    expect(check(section.checks, 'kvm.device')).toMatchObject({ status: 'warning', summary: 'Present, but alice may not open it (rw-rw---- root:kvm).' });
    expect(check(section.checks, 'kvm.qemu-access').status).toBe('ok');
  });

  it('present but not even its mode readable: says so without inventing owner or mode', () => {
    const observation: KvmObservation = {
      device: { path: '/dev/kvm', exists: true, accessible: false },
      cpu: { vendor: 'GenuineIntel', model: 'Intel CPU', flags: new Set(['vmx']) },
      modules: ['kvm', 'kvm_intel'],
      nested: false,
      dmi: {},
    };
    const section = assessKvm(observation, fixContext({ user: 'alice' }));
    expect(section.facts.acceleration).toBe('tcg');
    expect(check(section.checks, 'kvm.device').summary).toBe('Present, but alice may not open it.');
    expect(section.checks.map((c) => c.id)).not.toContain('kvm.qemu-access');
    expect(JSON.stringify(section)).not.toContain('undefined');
  });

  it('present but 0600 root:root: hand it to the kvm group, for the user and for QEMU', () => {
    const observation: KvmObservation = {
      device: device('0600', 'rw-------', 'root', 'root', false),
      cpu: { vendor: 'AuthenticAMD', model: 'AMD CPU', flags: new Set(['svm']) },
      modules: ['kvm', 'kvm_amd'],
      nested: true,
      dmi: {},
    };
    const section = assessKvm(observation, fixContext({ user: 'alice' }));
    const command = 'sudo chown root:kvm /dev/kvm && sudo chmod 0660 /dev/kvm';
    expect(check(section.checks, 'kvm.acceleration').fix?.command).toBe(command);
    const qemu = check(section.checks, 'kvm.qemu-access');
    expect(qemu.status).toBe('warning');
    expect(qemu.summary).toContain('(rw------- root:root)');
    expect(qemu.fix?.command).toBe(command);
  });

  it('0600 root:root as root: the app gets KVM, but QEMU run by libvirt would not', () => {
    const observation: KvmObservation = {
      device: device('0600', 'rw-------', 'root', 'root', true),
      cpu: { vendor: 'GenuineIntel', model: 'Intel CPU', flags: new Set(['vmx']) },
      modules: ['kvm', 'kvm_intel'],
      nested: null,
      dmi: {},
    };
    const section = assessKvm(observation, fixContext({ user: 'root', isRoot: true }));
    expect(section.facts.acceleration).toBe('kvm');
    expect(section.status).toBe('warning');
    expect(check(section.checks, 'kvm.qemu-access').fix?.command).toBe('chown root:kvm /dev/kvm && chmod 0660 /dev/kvm');
    expect(check(section.checks, 'kvm.host').detail).toBeUndefined();
  });

  it.each([
    ['0660', 'rw-rw----', 'root', 'root', 'warning'],
    ['0660', 'rw-rw----', 'root', 'kvm', 'ok'],
    ['0666', 'rw-rw-rw-', 'root', 'root', 'ok'],
    ['0640', 'rw-r-----', 'root', 'kvm', 'warning'],
  ])('QEMU access with %s %s:%s is %s', (mode, permissions, owner, group, status) => {
    const observation: KvmObservation = {
      device: device(mode, permissions, owner, group, true),
      cpu: { vendor: 'GenuineIntel', model: 'Intel CPU', flags: new Set(['vmx']) },
      modules: ['kvm', 'kvm_intel'],
      nested: null,
      dmi: {},
    };
    expect(check(assessKvm(observation, fixContext()).checks, 'kvm.qemu-access').status).toBe(status);
  });

  it('vmx but no module loaded: modprobe kvm_intel', async () => {
    const observation = await observeTree('intel-vmx-no-module');
    expect(observation.modules).toEqual([]);
    const section = assessKvm(observation, fixContext({ user: 'alice' }));
    expect(section.facts.reason).toBe('The CPU supports Intel VT-x (vmx), but the kvm_intel module is not loaded.');
    expect(check(section.checks, 'kvm.acceleration').fix?.command).toBe('sudo modprobe kvm_intel');
    expect(check(section.checks, 'kvm.device')).toMatchObject({ status: 'warning', summary: 'Not present.' });
    expect(check(section.checks, 'kvm.modules').summary).toBe('No KVM module is loaded.');
    expect(section.checks.some((c) => c.id === 'kvm.qemu-access')).toBe(false);
    expect(check(assessKvm(observation, fixContext({ isRoot: true })).checks, 'kvm.acceleration').fix?.command).toBe('modprobe kvm_intel');
  });

  it('svm but no module loaded: modprobe kvm_amd', async () => {
    const observed = await observeTree('amd-epyc-bare-metal');
    const section = assessKvm({ ...observed, device: missingDevice, modules: [], nested: null }, fixContext());
    expect(section.facts.reason).toBe('The CPU supports AMD-V (svm), but the kvm_amd module is not loaded.');
    expect(check(section.checks, 'kvm.acceleration').fix?.command).toBe('sudo modprobe kvm_amd');
  });

  it('a VM without nesting: nested advice, no command', async () => {
    const section = assessKvm(await observeTree('firecracker-no-nesting'), fixContext());
    expect(section.facts.acceleration).toBe('tcg');
    expect(section.facts.reason).toContain('This host is itself a virtual machine');
    const fix = check(section.checks, 'kvm.acceleration').fix;
    expect(fix?.command).toBeUndefined();
    expect(fix?.text).toContain('VirtualBox');
    expect(check(section.checks, 'kvm.host').status).toBe('warning');
  });

  it('bare metal without VT-x/AMD-V flags: firmware advice, no command', async () => {
    const section = assessKvm(await observeTree('intel-vt-disabled'), fixContext());
    expect(section.facts.reason).toBe('The CPU reports no VT-x/AMD-V: it lacks them, or they are disabled in the firmware.');
    const fix = check(section.checks, 'kvm.acceleration').fix;
    expect(fix?.command).toBeUndefined();
    expect(fix?.text).toContain('BIOS/UEFI');
    expect(check(section.checks, 'kvm.host')).toMatchObject({ status: 'ok', summary: 'Not a virtual machine (no hypervisor flag in /proc/cpuinfo).' });
    expect(check(section.checks, 'kvm.cpu').status).toBe('warning');
  });

  it('a VM whose hypervisor passes svm through: KVM works inside it', async () => {
    const section = assessKvm(await observeTree('amd-epyc-nested-vm'), fixContext());
    expect(section.status).toBe('ok');
    expect(section.facts).toMatchObject({ acceleration: 'kvm', hostIsVirtualMachine: true, hypervisor: 'QEMU Standard PC (Q35 + ICH9, 2009)' });
    expect(section.facts.reason).toBe('KVM works inside this virtual machine: its hypervisor passes AMD-V (svm) through.');
    expect(check(section.checks, 'kvm.host').summary).toBe(
      'A virtual machine (QEMU Standard PC (Q35 + ICH9, 2009)); nested virtualization is available to it.',
    );
  });

  it('module loaded but /dev/kvm missing: reload the module', () => {
    const observation: KvmObservation = {
      device: missingDevice,
      cpu: { vendor: 'GenuineIntel', model: 'Intel CPU', flags: new Set(['vmx']) },
      modules: ['kvm', 'kvm_intel'],
      nested: true,
      dmi: {},
    };
    const section = assessKvm(observation, fixContext());
    expect(section.facts.reason).toBe('kvm_intel is loaded but /dev/kvm does not exist (udev did not create it).');
    expect(check(section.checks, 'kvm.acceleration').fix?.command).toBe('sudo modprobe -r kvm_intel && sudo modprobe kvm_intel');
  });

  it('/dev/kvm without a vendor module (and no PVM): load the module for this CPU', () => {
    const observation: KvmObservation = {
      device: thisMachineDevice,
      cpu: { vendor: 'AuthenticAMD', model: 'AMD CPU', flags: new Set(['svm']) },
      modules: ['kvm'],
      nested: null,
      dmi: {},
    };
    const section = assessKvm(observation, fixContext());
    expect(section.facts.reason).toBe('/dev/kvm exists but neither kvm_intel nor kvm_amd is loaded.');
    expect(check(section.checks, 'kvm.acceleration').fix?.command).toBe('sudo modprobe kvm_amd');
  });
});
