// Guided experiment 7: Docker inside a VM, managed from the host over SSH (DOCKER_HOST=ssh://…). It measures
// what it can (the VM's address, port 22, `docker version` over SSH) and shows the cloud-init user-data that makes
// such a VM when the answer is no. Never imports electron.
import net from 'node:net';
import { AppError } from '@shared/errors';
import { messageOf } from '../app-errors';
import { type ExperimentOutcome, type ExperimentRun, hostShell, openGuestShell, requireRunningVm } from './experiment-context';
import { dockerUserData, lastLine, publicKeys, readDockerServerVersion } from './experiment-findings';
import { type Findings, runShellStep, runStep, shellLine } from './experiment-steps';

/** The user the suggested user-data creates (in the docker group), and the one the check logs in as. */
export const dockerSshUser = 'isolab';
const connectTimeoutMs = 3000;

export type PortCheck =
  | { state: 'open'; ms: number; banner?: string }
  | { state: 'refused' | 'unreachable'; ms: number; reason: string }
  | { state: 'no-answer'; ms: number };

/** One TCP connect (and the server's first line, when it sends one) within `timeoutMs`. */
export function checkPort(address: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<PortCheck> {
  return new Promise((resolve) => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const socket = net.createConnection({ host: address, port });
    let connected: Extract<PortCheck, { state: 'open' }> | undefined;
    let settled = false;
    const finish = (value: PortCheck) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => finish(connected ?? { state: 'no-answer', ms: elapsed() }), timeoutMs);
    const onAbort = () => finish(connected ?? { state: 'no-answer', ms: elapsed() });
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      const open = { state: 'open' as const, ms: elapsed() };
      connected = open;
      // An SSH server speaks first ("SSH-2.0-…"); wait briefly for that line, then stop.
      setTimeout(() => finish(open), Math.min(1500, timeoutMs));
    });
    socket.once('data', (chunk: Buffer) => {
      if (connected) finish({ ...connected, banner: chunk.toString('utf8').split('\n')[0]!.trim() });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (connected) return finish(connected);
      finish({ state: error.code === 'ECONNREFUSED' ? 'refused' : 'unreachable', ms: elapsed(), reason: error.code ?? error.message });
    });
  });
}

export function portCheckLine(address: string, check: PortCheck): string {
  switch (check.state) {
    case 'open':
      return `${address} port 22 accepted a connection after ${check.ms} ms${check.banner ? `; it says: ${check.banner}` : ''}`;
    case 'refused':
      return `${address} refused the connection to port 22 (${check.reason}): nothing listens there`;
    case 'unreachable':
      return `${address} could not be reached (${check.reason})`;
    case 'no-answer':
      return `no answer from ${address} port 22 within ${connectTimeoutMs / 1000} s`;
  }
}

export interface DockerInVmFindings {
  vm: string;
  /** Docker as the VM's own shell finds it (agent, serial console or SSH), or why no shell reached the guest. */
  inside?: { via: string; installed: boolean; serverVersion?: string } | { error: string };
  address?: string;
  port?: PortCheck;
  docker?: { exitCode: number; serverVersion?: string; message: string };
  keys: number;
}

export function dockerInVmConclusion(found: DockerInVmFindings): ExperimentOutcome {
  const findings: Findings = { address: found.address ?? 'none', sshPort: found.port?.state ?? 'not checked', publicKeys: found.keys };
  let inside = '';
  if (found.inside && 'error' in found.inside) {
    inside = `No shell reached inside VM ${found.vm} (${found.inside.error}). `;
    findings.dockerInside = 'unknown';
  } else if (found.inside) {
    findings.dockerInside = found.inside.installed ? (found.inside.serverVersion ?? 'installed, engine not answering') : 'not installed';
    inside = found.inside.installed
      ? `Inside VM ${found.vm} (through its ${found.inside.via}) docker is installed${found.inside.serverVersion ? ` and Docker Engine ${found.inside.serverVersion} answers` : ', but its engine did not answer'}. `
      : `Inside VM ${found.vm} (through its ${found.inside.via}) there is no docker command: Docker is not installed there. `;
  }
  const host = `DOCKER_HOST=ssh://${dockerSshUser}@${found.address ?? 'ADDRESS'}`;
  const how =
    `To get there: make a VM from a Debian or Ubuntu cloud image with the user-data shown above (for example virt-install --cloud-init user-data=FILE), ` +
    `start it, answer ssh's host-key question once with ssh ${dockerSshUser}@${found.address ?? 'ADDRESS'} true, then run ${host} docker version.`;
  if (found.docker?.serverVersion) {
    findings.dockerServerVersion = found.docker.serverVersion;
    return {
      conclusion:
        `${inside}Docker Engine ${found.docker.serverVersion} answered from inside VM ${found.vm} at ${found.address} over SSH. With ${host} (or docker context create), ` +
        'the same docker commands, and this window through an endpoint of that address, manage containers that run on the VM\'s kernel: the VM is the isolation boundary, and the containers keep their quick starts and their images.',
      findings,
    };
  }
  let why: string;
  if (!found.address) {
    why = `VM ${found.vm} has no IPv4 address the host knows (no DHCP lease on a libvirt network, no answer from a guest agent), so nothing could be checked: attach it to the default NAT network and let it get an address.`;
  } else if (found.port?.state !== 'open') {
    why = `${portCheckLine(found.address, found.port ?? { state: 'no-answer', ms: 0 })}, so Docker cannot be reached over SSH: the guest needs an SSH server.`;
  } else if (found.docker) {
    findings.dockerExitCode = found.docker.exitCode;
    why = `Port 22 of ${found.address} answers, but docker -H ssh://${dockerSshUser}@${found.address} failed (exit code ${found.docker.exitCode}: ${found.docker.message || 'no message'}).`;
  } else {
    why = `Port 22 of ${found.address} answers, but docker could not be run on the host.`;
  }
  return { conclusion: `${inside}Docker inside this VM was not reached from the host: ${why} ${how}`, findings };
}

export async function dockerInVmExperiment(run: ExperimentRun): Promise<ExperimentOutcome> {
  const { steps, signal } = run;
  const { vm, info } = await requireRunningVm(run, 'Docker runs inside it');
  const found: DockerInVmFindings = { vm: vm.name, keys: 0 };
  try {
    const guest = await openGuestShell(run);
    if (guest) {
      const script = "if command -v docker >/dev/null 2>&1; then docker version --format '{{.Server.Version}}'; else echo 'docker: not installed'; fi";
      const checked = await runShellStep(
        steps,
        guest,
        { subject: 'vm', title: 'Is Docker installed in the VM?', script, timeoutMs: 60_000, read: (output) => ({ docker: output.stdout.includes('docker: not installed') ? 'not installed' : lastLine(output.stdout) || 'no answer' }) },
        signal,
      );
      if (checked.run) {
        const installed = !checked.run.stdout.includes('docker: not installed');
        const serverVersion = installed && checked.run.exitCode === 0 ? lastLine(checked.run.stdout) : undefined;
        found.inside = { via: guest.via.replace('-', ' '), installed, ...(serverVersion ? { serverVersion } : {}) };
      } else if (checked.error) {
        found.inside = { error: checked.error.message };
      }
    }
  } catch (error) {
    if (signal.aborted) throw error;
    found.inside = { error: messageOf(error) };
  }
  const address = info.addresses.find((candidate) => net.isIPv4(candidate)) ?? info.addresses[0];
  if (address) {
    found.address = address;
    const checked = await runStep(steps, { subject: 'host', title: 'Is port 22 of the VM open?', command: shellLine(['nc', '-z', '-w', '3', address, '22']) }, signal, async (step) => {
      const port = await checkPort(address, 22, connectTimeoutMs, signal);
      step.output(`${portCheckLine(address, port)}\n`);
      return { value: port, exitCode: port.state === 'open' ? 0 : 1, findings: { state: port.state, ms: port.ms } };
    });
    if (checked.value) found.port = checked.value;
  }
  const shell = hostShell(run);
  if (address && found.port?.state === 'open') {
    const script = shellLine(['docker', '-H', `ssh://${dockerSshUser}@${address}`, 'version']);
    const answered = await runShellStep(
      steps,
      shell,
      { subject: 'host', title: 'Docker in the VM, from the host', script, command: script, timeoutMs: 45_000, read: (output) => ({ serverVersion: readDockerServerVersion(output.stdout) ?? 'none' }) },
      signal,
    );
    if (answered.run) {
      const serverVersion = readDockerServerVersion(answered.run.stdout);
      found.docker = { exitCode: answered.run.exitCode, message: lastLine(answered.run.stderr), ...(serverVersion ? { serverVersion } : {}) };
    }
  }
  if (!found.docker?.serverVersion) {
    const keysScript = 'cat ~/.ssh/id_*.pub';
    const keys = await runShellStep(
      steps,
      shell,
      { subject: 'host', title: 'Your SSH public key', script: keysScript, command: keysScript, timeoutMs: 15_000, read: (output) => ({ keys: publicKeys(output.stdout).length }) },
      signal,
    );
    const keyLines = keys.run ? publicKeys(keys.run.stdout) : [];
    found.keys = keyLines.length;
    const userData = `cat <<'EOF'\n${dockerUserData(dockerSshUser, keyLines)}EOF`;
    const shown = await runShellStep(steps, shell, { subject: 'host', title: 'Cloud-init user-data for a VM with Docker', script: userData, command: userData, timeoutMs: 15_000 }, signal);
    if (shown.error) throw new AppError(shown.error.code, `The user-data could not be shown: ${shown.error.message}`);
  }
  return dockerInVmConclusion(found);
}
