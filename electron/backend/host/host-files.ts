// Reads what the doctor needs from the file system: optional files, the account databases, who may open a
// device or socket, running process names, programs on PATH. Plain Node; never imports electron.
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { errnoOf } from '../app-errors';
import type { HostRoots } from '../config';
import { octalMode, parseGroupFile, parsePasswdFile, permissionString, type GroupEntry, type PasswdEntry } from './parsers';

/** The file's text, or undefined when it does not exist or cannot be read. */
export async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

export interface Accounts {
  groups: GroupEntry[];
  users: PasswdEntry[];
  groupName(gid: number): string;
  userName(uid: number): string;
}

export async function readAccounts(roots: HostRoots): Promise<Accounts> {
  const groups = parseGroupFile((await readOptional(path.join(roots.etc, 'group'))) ?? '');
  const users = parsePasswdFile((await readOptional(path.join(roots.etc, 'passwd'))) ?? '');
  return {
    groups,
    users,
    groupName: (gid) => groups.find((group) => group.gid === gid)?.name ?? String(gid),
    userName: (uid) => users.find((user) => user.uid === uid)?.name ?? String(uid),
  };
}

export type FileKind = 'socket' | 'character device' | 'file' | 'directory' | 'other';

export interface FileAccess {
  path: string;
  exists: boolean;
  /** Readable and writable by this process. */
  accessible: boolean;
  kind?: FileKind;
  mode?: string;
  permissions?: string;
  owner?: string;
  group?: string;
}

function kindOf(stat: Awaited<ReturnType<typeof fs.stat>>): FileKind {
  if (stat.isSocket()) return 'socket';
  if (stat.isCharacterDevice()) return 'character device';
  if (stat.isFile()) return 'file';
  if (stat.isDirectory()) return 'directory';
  return 'other';
}

export async function inspectAccess(file: string, accounts: Accounts): Promise<FileAccess> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (error) {
    // A path we may not even look at exists but is out of reach: say so rather than "missing".
    if (errnoOf(error) === 'EACCES') return { path: file, exists: true, accessible: false };
    return { path: file, exists: false, accessible: false };
  }
  const accessible = await fs.access(file, constants.R_OK | constants.W_OK).then(
    () => true,
    () => false,
  );
  return {
    path: file,
    exists: true,
    accessible,
    kind: kindOf(stat),
    mode: octalMode(stat.mode),
    permissions: permissionString(stat.mode),
    owner: accounts.userName(stat.uid),
    group: accounts.groupName(stat.gid),
  };
}

function modeAndOwner(access: FileAccess): string | undefined {
  return access.permissions ? `${access.permissions} ${access.owner}:${access.group}` : undefined;
}

/** "/var/run/docker.sock is rw-rw---- root:docker", as `ls -l` would show it; the path alone when unknown. */
export function describeAccess(access: FileAccess): string {
  const mode = modeAndOwner(access);
  return mode ? `${access.path} is ${mode}` : access.path;
}

/** " (rw-rw---- root:kvm)", or nothing when the mode could not be read. */
export function modeInParentheses(access: FileAccess): string {
  const mode = modeAndOwner(access);
  return mode ? ` (${mode})` : '';
}

/** The command names (`comm`) of the processes this user can see. */
export async function processNames(roots: HostRoots): Promise<Set<string>> {
  const names = new Set<string>();
  let entries: string[];
  try {
    entries = await fs.readdir(roots.proc);
  } catch {
    return names;
  }
  await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (pid) => {
        const comm = await readOptional(path.join(roots.proc, pid, 'comm'));
        if (comm) names.add(comm.trim());
      }),
  );
  return names;
}

/** The first executable `name` in a PATH-style list of folders, as a shell would find it. */
export async function findOnPath(name: string, searchPath: string): Promise<string | undefined> {
  for (const dir of searchPath.split(':')) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    const executable = await fs.access(candidate, constants.X_OK).then(
      () => true,
      () => false,
    );
    if (executable) return candidate;
  }
  return undefined;
}
