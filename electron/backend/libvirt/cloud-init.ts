// The cloud-init NoCloud seed: meta-data and user-data (#cloud-config: host name, one user with a SHA-512 crypt
// password hash and/or SSH keys, packages) written as an ISO 9660 volume labelled "cidata" with genisoimage or
// xorrisofs. Plain Node; never imports electron.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppError, type Fix } from '@shared/errors';
import type { CloudInitSpec } from '@shared/vm-create-schemas';
import type { ToolAvailability } from '@shared/vm-create-types';
import type { CommandRunner } from '../exec';
import { findOnPath } from '../host/host-files';

export interface SeedFiles {
  metaData: string;
  userData: string;
}

/**
 * JSON is YAML too (cloud-init reads it with a YAML parser), so the #cloud-config body is serialised with
 * JSON.stringify: every user value is quoted and escaped by a real serialiser, never pasted into YAML text.
 */
export function buildSeedFiles(spec: CloudInitSpec, instanceId: string, passwordHash: string | undefined): SeedFiles {
  const metaData = `${JSON.stringify({ 'instance-id': instanceId, 'local-hostname': spec.hostname }, null, 2)}\n`;
  const user = {
    name: spec.user,
    shell: '/bin/bash',
    sudo: 'ALL=(ALL) NOPASSWD:ALL',
    lock_passwd: passwordHash === undefined,
    ...(passwordHash === undefined ? {} : { passwd: passwordHash }),
    ...(spec.sshAuthorizedKeys.length > 0 ? { ssh_authorized_keys: spec.sshAuthorizedKeys } : {}),
  };
  const config = {
    hostname: spec.hostname,
    users: [user],
    ssh_pwauth: passwordHash !== undefined,
    ...(spec.packages.length > 0 ? { package_update: true, packages: spec.packages } : {}),
  };
  return { metaData, userData: `#cloud-config\n${JSON.stringify(config, null, 2)}\n` };
}

const seedPrograms = ['genisoimage', 'xorrisofs', 'mkisofs'] as const;

export const seedToolFix: Fix = {
  text: 'The cloud-init seed is an ISO image: install genisoimage (or xorriso) to build it.',
  command: 'sudo apt install genisoimage',
};

export async function findSeedTool(programPath: string): Promise<ToolAvailability> {
  for (const program of seedPrograms) {
    const found = await findOnPath(program, programPath);
    if (found) return { available: true, program: found };
  }
  return { available: false, fix: seedToolFix };
}

/** Writes the seed ISO (volume id "cidata", Joliet + Rock Ridge) to `outFile`. */
export async function writeSeedIso(run: CommandRunner, program: string, files: SeedFiles, outFile: string, signal?: AbortSignal): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'isolab-seed-'));
  try {
    await writeFile(path.join(dir, 'meta-data'), files.metaData, { mode: 0o600 });
    await writeFile(path.join(dir, 'user-data'), files.userData, { mode: 0o600 });
    const args = ['-output', outFile, '-volid', 'cidata', '-joliet', '-rock', '-graft-points', `meta-data=${path.join(dir, 'meta-data')}`, `user-data=${path.join(dir, 'user-data')}`];
    const result = await run(program, args, { timeoutMs: 30_000, ...(signal ? { signal } : {}) });
    if (result.exitCode !== 0) {
      throw new AppError('INTERNAL', `${path.basename(program)} could not write the cloud-init seed`, { detail: result.stderr.trim() });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** SHA-512 crypt ($6$…), which every cloud-init distribution accepts, through `openssl passwd -6` (password on stdin). */
export function hashPassword(password: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', ['passwd', '-6', '-stdin'], { env: { ...process.env, LC_ALL: 'C' }, stdio: ['pipe', 'pipe', 'pipe'], ...(signal ? { signal } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new AppError('NOT_FOUND', 'openssl is not installed: it hashes the cloud-init password', { fix: { text: 'Install openssl.', command: 'sudo apt install openssl' } })
          : new AppError('INTERNAL', 'openssl passwd failed', { detail: error.message, cause: error }),
      ),
    );
    child.on('close', (code) => {
      const hash = stdout.trim();
      if (code === 0 && hash.startsWith('$6$')) resolve(hash);
      else reject(new AppError('INTERNAL', 'openssl passwd failed', { detail: stderr.trim() }));
    });
    child.stdin.end(`${password}\n`);
  });
}
