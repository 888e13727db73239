// The processes under one host pid (read from /proc) and their pids inside a container's pid namespace, so a
// closed exec session can hang up everything it started. Plain Node; never imports electron.
import fs from 'node:fs/promises';
import path from 'node:path';

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** `pid` and every process below it, parents before children. */
export async function processTree(procRoot: string, pid: number): Promise<number[]> {
  const parentOf = new Map<number, number[]>();
  for (const entry of await fs.readdir(procRoot)) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readText(path.join(procRoot, entry, 'stat'));
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ")".
    const ppid = Number(stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!Number.isInteger(ppid)) continue;
    const children = parentOf.get(ppid) ?? [];
    children.push(Number(entry));
    parentOf.set(ppid, children);
  }
  const tree: number[] = [];
  const visit = [pid];
  while (visit.length > 0) {
    const next = visit.shift()!;
    tree.push(next);
    visit.push(...(parentOf.get(next) ?? []));
  }
  return tree;
}

/** The pid as the container sees it (the last NSpid entry), when /proc says. */
export async function namespacePid(procRoot: string, pid: number): Promise<number | undefined> {
  const status = await readText(path.join(procRoot, String(pid), 'status'));
  const last = /^NSpid:\s+([\d\s]+)$/m.exec(status ?? '')?.[1]?.trim().split(/\s+/).at(-1);
  return last === undefined ? undefined : Number(last);
}
