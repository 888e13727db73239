// The libvirt section: observeLibvirt with a fake CommandRunner replaying virsh outputs recorded on this
// machine over fixture trees, assessLibvirt's verdicts and fixes, and the real runCommand that runs virsh.
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import type { Check } from '@shared/types';
import { runCommand } from '../../electron/backend/exec';
import { assessLibvirt, observeLibvirt, type ConnectionObservation, type LibvirtObservation } from '../../electron/backend/host/libvirt-check';
import { readAccounts } from '../../electron/backend/host/host-files';
import { createVirsh } from '../../electron/backend/libvirt/virsh';
import {
  failed,
  fakeProgram,
  fakeVirshRunner,
  fixContext,
  fixturePath,
  makeTempDir,
  readFixture,
  rootsUnder,
  type Reply,
} from './host-fixture-support';

const thisMachine = (file: string) => readFixture('libvirt', 'this-machine', file);

function check(checks: Check[], id: string): Check {
  const found = checks.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no check ${id} in ${checks.map((c) => c.id).join(', ')}`);
  return found;
}

/** What virsh answered on this machine as root (libvirtd 9.0, default network inactive, no pool). */
async function thisMachineReplies(): Promise<Record<string, Reply>> {
  const capabilities = await thisMachine('capabilities.xml');
  const poolMissing = failed(await thisMachine('pool-info-default-missing.stderr'));
  return {
    '--version': { stdout: await thisMachine('virsh-version.txt') },
    'qemu:///system version --daemon': { stdout: await thisMachine('version-daemon.txt') },
    'qemu:///system capabilities': { stdout: capabilities },
    'qemu:///system net-info default': { stdout: await thisMachine('net-info-default-inactive.txt') },
    'qemu:///system pool-info default': poolMissing,
    'qemu:///system pool-dumpxml default': poolMissing,
    'qemu:///session version --daemon': { stdout: await thisMachine('session-version-daemon-root.txt') },
    'qemu:///session capabilities': { stdout: capabilities },
  };
}

const uris = ['qemu:///system', 'qemu:///session'];

async function observeWith(replies: Record<string, Reply>, tree = 'debian-pvm-firecracker') {
  const runner = fakeVirshRunner(replies);
  const virsh = createVirsh(runner.run, { timeoutMs: 1234 }, { PATH: '/usr/bin' });
  const roots = rootsUnder(fixturePath('host', tree));
  const observation = await observeLibvirt(virsh, uris, roots, '/usr/bin', await readAccounts(roots));
  return { observation, runner };
}

/** A hand-built observation: a virsh that works, with the given daemons, sockets, installs and connections. */
function observation(overrides: Partial<LibvirtObservation>): LibvirtObservation {
  return {
    virsh: { found: true, version: '9.0.0' },
    daemonsRunning: [],
    sockets: [],
    installed: { libvirtd: true, virtqemud: false },
    connections: [],
    ...overrides,
  };
}

function failedConnection(uri: string, kind: NonNullable<ConnectionObservation['failure']>['kind'], detail: string): ConnectionObservation {
  return { uri, domainTypes: [], failure: { kind, error: { code: 'UNAVAILABLE', message: `virsh version on ${uri} failed`, detail } } };
}

const reachableSystem = async (overrides: Partial<ConnectionObservation> = {}): Promise<ConnectionObservation> => ({
  uri: 'qemu:///system',
  version: { library: '9.0.0', hypervisor: 'QEMU 7.2.22', daemon: '9.0.0' },
  domainTypes: ['qemu', 'kvm'],
  network: { active: true, autostart: true },
  pool: { active: true, autostart: true, path: '/var/lib/libvirt/images' },
  ...overrides,
});

describe('observeLibvirt on this machine (root, monolithic libvirtd)', () => {
  it('reads virsh, the daemon, its sockets and both connections', async () => {
    const { observation: observed, runner } = await observeWith(await thisMachineReplies());
    expect(runner.unexpected).toEqual([]);
    expect(observed.virsh).toEqual({ found: true, version: '9.0.0' });
    expect(observed.daemonsRunning).toEqual(['libvirtd']);
    expect(observed.sockets.sort()).toEqual(['libvirt-admin-sock', 'libvirt-sock', 'virtlogd-admin-sock', 'virtlogd-sock']);
    const [system, session] = observed.connections;
    expect(system).toEqual({
      uri: 'qemu:///system',
      version: { library: '9.0.0', hypervisor: 'QEMU 7.2.22', daemon: '9.0.0' },
      domainTypes: ['qemu', 'kvm'],
      network: { active: false, autostart: false },
      pool: null,
    });
    expect(session).toEqual({
      uri: 'qemu:///session',
      version: { library: '9.0.0', hypervisor: 'QEMU 7.2.22', daemon: '9.0.0' },
      domainTypes: ['qemu', 'kvm'],
    });
  });

  it('runs virsh quietly with --connect, an argument array and the timeout', async () => {
    const { runner } = await observeWith(await thisMachineReplies());
    expect(runner.calls.every((call) => call.file === 'virsh' && call.options.timeoutMs === 1234)).toBe(true);
    const connected = runner.calls.filter((call) => call.args[0] !== '--version');
    expect(connected.every((call) => call.args[0] === '--quiet' && call.args[1] === '--connect')).toBe(true);
    expect(connected.map((call) => call.args.slice(2).join(' ')).sort()).toEqual([
      'qemu:///session capabilities',
      'qemu:///session version --daemon',
      'qemu:///system capabilities',
      'qemu:///system net-info default',
      'qemu:///system pool-dumpxml default',
      'qemu:///system pool-info default',
      'qemu:///system version --daemon',
    ]);
  });

  it('assesses it: reachable, inactive default network, no default pool', async () => {
    const { observation: observed } = await observeWith(await thisMachineReplies());
    const section = assessLibvirt(observed, fixContext({ user: 'root', isRoot: true }));
    expect(section.status).toBe('warning');
    expect(section.summary).toBe('libvirt 9.0.0 (monolithic libvirtd), QEMU 7.2.22');
    expect(section.checks.map((c) => [c.id, c.status])).toEqual([
      ['libvirt.virsh', 'ok'],
      ['libvirt.daemon', 'ok'],
      ['libvirt.connection.system', 'ok'],
      ['libvirt.connection.session', 'ok'],
      ['libvirt.network', 'warning'],
      ['libvirt.pool', 'warning'],
    ]);
    expect(check(section.checks, 'libvirt.daemon').summary).toBe('Monolithic libvirtd is running.');
    expect(check(section.checks, 'libvirt.connection.system').summary).toBe(
      'Reachable: libvirt 9.0.0 daemon, QEMU 7.2.22; domain types: qemu, kvm.',
    );
    expect(check(section.checks, 'libvirt.connection.session').detail).toContain('served by the system daemon');
    expect(check(section.checks, 'libvirt.network')).toMatchObject({
      summary: 'Defined, but not running, and not started at boot.',
      fix: { command: 'virsh --connect qemu:///system net-start default && virsh --connect qemu:///system net-autostart default' },
    });
    expect(check(section.checks, 'libvirt.pool')).toMatchObject({
      summary: 'There is no storage pool named "default".',
      fix: {
        command:
          'virsh --connect qemu:///system pool-define-as default dir --target /var/lib/libvirt/images && ' +
          'virsh --connect qemu:///system pool-build default && virsh --connect qemu:///system pool-start default && ' +
          'virsh --connect qemu:///system pool-autostart default',
      },
    });
    expect(section.facts.daemon).toEqual({ mode: 'monolithic', running: ['libvirtd'] });
    expect(section.facts.connections.map((c) => [c.uri, c.reachable, c.servedBySystemDaemon])).toEqual([
      ['qemu:///system', true, false],
      ['qemu:///session', true, true],
    ]);
    expect(section.facts.connections[0]).toMatchObject({ defaultNetwork: { active: false, autostart: false }, defaultPool: null });
  });
});

describe('installed daemons', () => {
  it('finds virtqemud on PATH as installed', async () => {
    const dir = await makeTempDir();
    try {
      await fakeProgram(path.join(dir, 'bin'), 'virtqemud');
      const virsh = createVirsh(fakeVirshRunner(await thisMachineReplies()).run, { timeoutMs: 1000 });
      const roots = rootsUnder(fixturePath('host', 'intel-fedora-kvm'));
      const observed = await observeLibvirt(virsh, uris, roots, path.join(dir, 'bin'), await readAccounts(roots));
      expect(observed.installed.virtqemud).toBe(true);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('daemon mode', () => {
  it('is modular from running virtqemud (Fedora fixture /proc and /run/libvirt)', async () => {
    const { observation: observed } = await observeWith(await thisMachineReplies(), 'intel-fedora-kvm');
    expect(observed.daemonsRunning).toEqual(['virtqemud']);
    expect(observed.sockets).toContain('virtqemud-sock');
    const section = assessLibvirt(observed, fixContext({ user: 'root', isRoot: true, distro: 'fedora', systemd: true }));
    expect(section.facts.daemon.mode).toBe('modular');
    expect(check(section.checks, 'libvirt.daemon').summary).toBe('Modular daemons: virtqemud is running.');
    expect(section.summary).toBe('libvirt 9.0.0 (modular virtqemud), QEMU 7.2.22');
  });

  it.each([
    [['virtqemud-sock', 'libvirt-sock'], 'modular', 'Modular daemons: virtqemud answers through its socket.'],
    [['libvirt-sock'], 'monolithic', 'Monolithic libvirtd answers through its socket.'],
    [[], 'unknown', 'A libvirt daemon answers.'],
  ])('from sockets %j (no daemon process seen) it is %s', async (sockets, mode, summary) => {
    const section = assessLibvirt(observation({ sockets, connections: [await reachableSystem()] }), fixContext());
    expect(section.facts.daemon.mode).toBe(mode);
    expect(check(section.checks, 'libvirt.daemon')).toMatchObject({ status: 'ok', summary });
  });

  it('a running virtproxyd alone does not count as the daemon', () => {
    const section = assessLibvirt(
      observation({ daemonsRunning: ['virtproxyd'], connections: [failedConnection('qemu:///system', 'daemon-not-running', 'x')] }),
      fixContext(),
    );
    expect(check(section.checks, 'libvirt.daemon').status).toBe('error');
  });
});

describe('daemon not running (socket ENOENT)', () => {
  async function notRunning() {
    const stderr = await thisMachine('daemon-not-running.stderr');
    const { observation: observed } = await observeWith(
      {
        '--version': { stdout: '9.0.0\n' },
        'qemu:///system version --daemon': failed(stderr),
        'qemu:///session version --daemon': failed(stderr),
      },
      'intel-vt-disabled',
    );
    return observed;
  }

  it('is observed as daemon-not-running, with virsh\'s words', async () => {
    const observed = await notRunning();
    expect(observed.daemonsRunning).toEqual([]);
    expect(observed.connections[0]?.failure).toMatchObject({
      kind: 'daemon-not-running',
      error: { code: 'UNAVAILABLE', detail: expect.stringContaining('No such file or directory') },
    });
  });

  it.each([
    [{ libvirtd: true, virtqemud: false }, 'debian', true, 'sudo systemctl enable --now libvirtd'],
    [{ libvirtd: true, virtqemud: false }, 'debian', false, "sudo sh -c 'pgrep -x -u root virtlogd >/dev/null || virtlogd -d; libvirtd -d'"],
    [{ libvirtd: false, virtqemud: true }, 'fedora', true, 'sudo systemctl enable --now virtqemud.socket virtnetworkd.socket virtstoraged.socket'],
    [{ libvirtd: false, virtqemud: true }, 'fedora', false, "sudo sh -c 'pgrep -x -u root virtlogd >/dev/null || virtlogd -d; virtqemud -d'"],
    [{ libvirtd: false, virtqemud: false }, 'debian', true, 'sudo apt install libvirt-daemon-system qemu-system-x86'],
    [{ libvirtd: false, virtqemud: false }, 'fedora', true, 'sudo dnf install libvirt-daemon-kvm qemu-kvm'],
  ] as const)('installed %j on %s (systemd %s): %s', async (installed, distro, systemd, command) => {
    const observed = { ...(await notRunning()), installed };
    const section = assessLibvirt(observed, fixContext({ distro, systemd }));
    expect(section.status).toBe('error');
    expect(section.summary).toBe('The libvirt daemon is not reachable');
    expect(check(section.checks, 'libvirt.daemon')).toMatchObject({ status: 'error', fix: { command } });
    const system = check(section.checks, 'libvirt.connection.system');
    expect(system.status).toBe('error');
    expect(system.summary).toBe(
      "Not reachable: Failed to connect socket to '/var/run/libvirt/libvirt-sock.isolab-missing': No such file or directory",
    );
    expect(system.fix?.command).toBe(command);
    const session = check(section.checks, 'libvirt.connection.session');
    expect(session.status).toBe('error');
    expect(session.fix?.command).toBeUndefined();
    expect(section.checks.some((c) => c.id === 'libvirt.network' || c.id === 'libvirt.pool')).toBe(false);
  });

  it('modular by its socket left behind: start the modular daemons', async () => {
    const observed = { ...(await notRunning()), installed: { libvirtd: true, virtqemud: true }, sockets: ['virtqemud-sock'] };
    const section = assessLibvirt(observed, fixContext({ distro: 'fedora', systemd: true }));
    expect(check(section.checks, 'libvirt.connection.system').fix?.command).toBe(
      'sudo systemctl enable --now virtqemud.socket virtnetworkd.socket virtstoraged.socket',
    );
  });
});

describe('non-root access to qemu:///system', () => {
  it('D-Bus missing (recorded as isolab-test here): start D-Bus and join libvirt; the session works', async () => {
    const { observation: observed } = await observeWith({
      '--version': { stdout: '9.0.0\n' },
      'qemu:///system version --daemon': failed(await thisMachine('user-system-dbus.stderr')),
      'qemu:///session version --daemon': { stdout: await thisMachine('session-version-daemon-user.txt') },
      'qemu:///session capabilities': { stdout: await thisMachine('capabilities.xml') },
    });
    expect(observed.connections[0]?.failure?.kind).toBe('other');
    const section = assessLibvirt(observed, fixContext());
    const system = check(section.checks, 'libvirt.connection.system');
    expect(system.status).toBe('error');
    expect(system.fix?.command).toBe('sudo service dbus start && sudo usermod -aG libvirt isolab-test');
    expect(system.fix?.text).toContain('polkit');
    const session = check(section.checks, 'libvirt.connection.session');
    expect(session.status).toBe('ok');
    expect(session.detail).toBeUndefined();
    expect(section.facts.connections[1]?.servedBySystemDaemon).toBe(false);
    expect(section.summary).toBe('libvirt 9.0.0 (monolithic libvirtd), QEMU 7.2.22');
    expect(section.checks.some((c) => c.id === 'libvirt.network')).toBe(false);

    const withSystemd = assessLibvirt(observed, fixContext({ systemd: true }));
    expect(check(withSystemd.checks, 'libvirt.connection.system').fix?.command).toBe(
      'sudo systemctl enable --now dbus && sudo usermod -aG libvirt isolab-test',
    );
    const asRoot = assessLibvirt(observed, fixContext({ user: 'root', isRoot: true }));
    expect(check(asRoot.checks, 'libvirt.connection.system').fix).toEqual({
      text: 'libvirt needs the D-Bus system bus, which is not running.',
      command: 'service dbus start',
    });
  });

  it.each([
    ['this machine: socket permission denied', () => thisMachine('user-socket-permission-denied.stderr'), 'permission-denied'],
    ['polkit refusal', () => readFixture('libvirt', 'polkit-not-authorized.stderr'), 'not-authorized'],
  ])('%s: join the libvirt group', async (_name, stderr, kind) => {
    const text = await stderr();
    const { observation: observed } = await observeWith({
      '--version': { stdout: '9.0.0\n' },
      'qemu:///system version --daemon': failed(text),
      'qemu:///session version --daemon': failed(text),
    });
    expect(observed.connections[0]?.failure?.kind).toBe(kind);
    const section = assessLibvirt(observed, fixContext({ user: 'alice' }));
    expect(check(section.checks, 'libvirt.connection.system').fix?.command).toBe('sudo usermod -aG libvirt alice');
    expect(check(section.checks, 'libvirt.connection.session').fix).toBeUndefined();
    expect(section.facts.connections[0]?.error?.code).toBe('PERMISSION_DENIED');
  });
});

describe('a socket that refuses this user', () => {
  it('names its mode and group, and the group to join', async () => {
    const dir = await makeTempDir();
    try {
      // As on a host whose libvirtd.conf sets unix_sock_group = "libvirt" and unix_sock_rw_perms = "0770".
      const socket = path.join(dir, 'libvirt-sock');
      await fs.writeFile(socket, '');
      await fs.chmod(socket, 0o660);
      await fs.chown(socket, 0, 107);
      const stderr = `error: failed to connect to the hypervisor\nerror: Failed to connect socket to '${socket}': Permission denied\n`;
      const { observation: observed } = await observeWith({
        '--version': { stdout: '9.0.0\n' },
        'qemu:///system version --daemon': failed(stderr),
        'qemu:///session version --daemon': { stdout: await thisMachine('session-version-daemon-user.txt') },
      });
      expect(observed.connections[0]?.failure).toMatchObject({ kind: 'permission-denied', socket });
      const fix = check(assessLibvirt(observed, fixContext({ user: 'alice' })).checks, 'libvirt.connection.system').fix;
      expect(fix?.text).toBe(
        `${socket} is rw-rw---- root:libvirt: only root and members of libvirt may use it. ` +
          'Add alice to the libvirt group, then log out and back in (a running session keeps its old groups).',
      );
      expect(fix?.command).toBe('sudo usermod -aG libvirt alice');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a daemon that does not answer', () => {
  it('a timeout is kind "timeout": restart the daemon', async () => {
    const timeout = new AppError('TIMEOUT', 'virsh --quiet --connect qemu:///system version --daemon did not finish within 5 s');
    const { observation: observed } = await observeWith({
      '--version': { stdout: '9.0.0\n' },
      'qemu:///system version --daemon': timeout,
      'qemu:///session version --daemon': timeout,
    });
    expect(observed.connections[0]?.failure).toMatchObject({ kind: 'timeout', error: { code: 'TIMEOUT' } });
    const section = assessLibvirt(observed, fixContext({ systemd: true }));
    const system = check(section.checks, 'libvirt.connection.system');
    expect(system.summary).toBe('Not reachable: virsh --quiet --connect qemu:///system version --daemon did not finish within 5 s');
    expect(system.fix).toEqual({ text: 'The daemon does not answer: restart it.', command: 'sudo systemctl restart libvirtd' });
  });

  it('a refused socket: restart libvirtd, or virtqemud when modular, or kill and start it without systemd', async () => {
    const { observation: observed } = await observeWith({
      '--version': { stdout: '9.0.0\n' },
      'qemu:///system version --daemon': failed(await thisMachine('connection-refused.stderr')),
      'qemu:///session version --daemon': failed(await thisMachine('connection-refused.stderr')),
    }, 'intel-vt-disabled');
    expect(observed.connections[0]?.failure?.kind).toBe('connection-refused');
    const monolithic = { ...observed, installed: { libvirtd: true, virtqemud: false } };
    expect(check(assessLibvirt(monolithic, fixContext({ systemd: true })).checks, 'libvirt.connection.system').fix?.command).toBe(
      'sudo systemctl restart libvirtd',
    );
    expect(check(assessLibvirt(monolithic, fixContext({ systemd: false })).checks, 'libvirt.connection.system').fix?.command).toBe(
      "sudo sh -c 'pkill -KILL -x -u root libvirtd; pgrep -x -u root virtlogd >/dev/null || virtlogd -d; libvirtd -d'",
    );
    const modular = { ...observed, sockets: ['virtqemud-sock'] };
    expect(check(assessLibvirt(modular, fixContext({ systemd: true })).checks, 'libvirt.connection.system').fix?.command).toBe(
      'sudo systemctl restart virtqemud',
    );
  });
});

describe('virsh missing', () => {
  it('reports virsh missing, with the client package of the distribution, and nothing else', async () => {
    const missing = new AppError('NOT_FOUND', 'virsh is not installed (not found on PATH)', { detail: 'virsh --version' });
    const { observation: observed, runner } = await observeWith({ '--version': missing });
    expect(runner.calls).toHaveLength(1);
    expect(observed.virsh).toEqual({ found: false });
    expect(observed.connections.map((c) => c.failure?.kind)).toEqual(['virsh-missing', 'virsh-missing']);
    const debian = assessLibvirt(observed, fixContext());
    expect(debian.summary).toBe('virsh is not installed');
    expect(debian.checks).toHaveLength(1);
    expect(debian.checks[0]).toMatchObject({ id: 'libvirt.virsh', status: 'error', fix: { command: 'sudo apt install libvirt-clients' } });
    expect(assessLibvirt(observed, fixContext({ distro: 'fedora' })).checks[0]?.fix?.command).toBe('sudo dnf install libvirt-client');
  });
});

describe('the default network and storage pool', () => {
  async function withNetworkAndPool(network: Reply, pool: Reply, poolXml: Reply) {
    const replies = await thisMachineReplies();
    replies['qemu:///system net-info default'] = network;
    replies['qemu:///system pool-info default'] = pool;
    replies['qemu:///system pool-dumpxml default'] = poolXml;
    const { observation: observed, runner } = await observeWith(replies);
    expect(runner.unexpected).toEqual([]);
    return assessLibvirt(observed, fixContext({ user: 'alice' }));
  }

  it('both running and started at boot: ok, with the pool path', async () => {
    const section = await withNetworkAndPool(
      { stdout: await thisMachine('net-info-active-autostart.txt') },
      { stdout: await thisMachine('pool-info-running.txt') },
      { stdout: await thisMachine('pool-dumpxml.xml') },
    );
    expect(section.status).toBe('ok');
    expect(check(section.checks, 'libvirt.network')).toMatchObject({ status: 'ok', summary: 'Running, and started at boot.' });
    expect(check(section.checks, 'libvirt.pool')).toMatchObject({ status: 'ok', summary: 'Running, and started at boot.' });
    expect(section.facts.connections[0]?.defaultPool).toEqual({ active: true, autostart: true, path: '/tmp/rec/pooldir' });
    expect(section.facts.connections[0]?.defaultNetwork).toEqual({ active: true, autostart: true });
  });

  it('network missing, pool defined but stopped, both with sudo for a user', async () => {
    const section = await withNetworkAndPool(
      failed(await thisMachine('net-info-missing.stderr')),
      { stdout: await thisMachine('pool-info-inactive.txt') },
      { stdout: await thisMachine('pool-dumpxml.xml') },
    );
    expect(check(section.checks, 'libvirt.network')).toMatchObject({
      status: 'warning',
      summary: 'There is no network named "default".',
      fix: {
        command:
          'sudo virsh --connect qemu:///system net-define /usr/share/libvirt/networks/default.xml && ' +
          'sudo virsh --connect qemu:///system net-start default && sudo virsh --connect qemu:///system net-autostart default',
      },
    });
    expect(check(section.checks, 'libvirt.pool')).toMatchObject({
      status: 'warning',
      summary: 'Defined, but not running.',
      fix: { command: 'sudo virsh --connect qemu:///system pool-start default && sudo virsh --connect qemu:///system pool-autostart default' },
    });
  });

  it('network running but not started at boot', async () => {
    const section = await withNetworkAndPool(
      { stdout: await thisMachine('net-info-active-no-autostart.txt') },
      { stdout: await thisMachine('pool-info-running.txt') },
      { stdout: await thisMachine('pool-dumpxml.xml') },
    );
    expect(check(section.checks, 'libvirt.network')).toMatchObject({
      status: 'warning',
      summary: 'Running, but not started at boot.',
      fix: { command: 'sudo virsh --connect qemu:///system net-autostart default' },
    });
  });

  it('a failing capabilities call is kept as the connection error, while the connection stays reachable', async () => {
    const replies = await thisMachineReplies();
    replies['qemu:///system capabilities'] = failed('error: internal error: cannot probe QEMU\n');
    const { observation: observed } = await observeWith(replies);
    expect(observed.connections[0]?.domainTypes).toEqual([]);
    expect(observed.connections[0]?.failure?.error.detail).toBe('internal error: cannot probe QEMU');
    const section = assessLibvirt(observed, fixContext({ user: 'root', isRoot: true }));
    expect(check(section.checks, 'libvirt.connection.system')).toMatchObject({ status: 'ok', summary: 'Reachable: libvirt 9.0.0 daemon, QEMU 7.2.22.' });
    expect(section.facts.connections[0]?.error?.code).toBe('INTERNAL');
  });
});

describe('the session connection', () => {
  it('is a warning while the system connection works, and an error when neither does', async () => {
    const session = failedConnection('qemu:///session', 'daemon-not-running', "Failed to connect socket to '/run/user/1000/libvirt/virtqemud-sock': No such file or directory");
    const working = assessLibvirt(observation({ daemonsRunning: ['libvirtd'], connections: [await reachableSystem(), session] }), fixContext());
    expect(check(working.checks, 'libvirt.connection.session')).toMatchObject({
      status: 'warning',
      fix: { text: 'virsh starts a per-user daemon for qemu:///session; it did not start. Its own message is above.' },
    });
    const system = failedConnection('qemu:///system', 'daemon-not-running', 'x');
    const broken = assessLibvirt(observation({ connections: [system, session] }), fixContext());
    expect(check(broken.checks, 'libvirt.connection.session').status).toBe('error');
  });

  it('names the daemon log for other failures, by init system', () => {
    const other = failedConnection('qemu:///system', 'other', 'internal error: something');
    const withSystemd = assessLibvirt(observation({ connections: [other] }), fixContext({ systemd: true }));
    expect(check(withSystemd.checks, 'libvirt.connection.system').fix?.text).toContain('journalctl -u libvirtd -u virtqemud');
    const without = assessLibvirt(observation({ connections: [other] }), fixContext({ systemd: false }));
    expect(check(without.checks, 'libvirt.connection.system').fix?.text).toContain('/var/log/libvirt/libvirtd.log');
  });
});

describe('runCommand, which runs virsh for real', () => {
  it('resolves with a non-zero exit code and both outputs, in the C locale', async () => {
    const result = await runCommand('sh', ['-c', 'echo "$LC_ALL"; echo oops >&2; exit 3'], { timeoutMs: 5000 });
    expect(result).toEqual({ stdout: 'C\n', stderr: 'oops\n', exitCode: 3 });
  });

  it('rejects NOT_FOUND for a program that is not installed', async () => {
    await expect(runCommand('isolab-no-such-virsh', ['--version'], { timeoutMs: 5000 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('rejects TIMEOUT for a command that does not finish in time', async () => {
    await expect(runCommand('sleep', ['10'], { timeoutMs: 200 })).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('gives createVirsh a VirshError with the classified failure', async () => {
    const virsh = createVirsh(
      async () => ({ stdout: '', stderr: await thisMachine('connection-refused.stderr'), exitCode: 1 }),
      { timeoutMs: 1000 },
    );
    await expect(virsh.run('qemu:///system', ['version', '--daemon'])).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      failure: { kind: 'connection-refused', socket: '/tmp/rec/dead-sock' },
    });
  });
});
