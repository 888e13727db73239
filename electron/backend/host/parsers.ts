// Parsers for the host files and command outputs the doctor reads: /proc/cpuinfo, os-release, the group
// and passwd databases, `virsh version`, `virsh net-info`. Pure functions over text; no I/O, no electron.

export interface CpuInfo {
  vendor: string;
  model: string;
  flags: Set<string>;
  processors: number;
}

/** Reads the first processor's vendor, model and flags; counts processors. */
export function parseCpuinfo(text: string): CpuInfo {
  const first = new Map<string, string>();
  let processors = 0;
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key === 'processor') processors++;
    if (processors <= 1 && !first.has(key)) first.set(key, value);
  }
  return {
    vendor: first.get('vendor_id') ?? 'unknown',
    model: first.get('model name') ?? 'unknown',
    flags: new Set((first.get('flags') ?? '').split(/\s+/).filter(Boolean)),
    processors,
  };
}

/** os-release(5): KEY=value lines, values optionally quoted. */
export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, key, raw] = match as unknown as [string, string, string];
    fields[key] = raw.replace(/^(["'])(.*)\1$/, '$2').replace(/\\(["'\\$`])/g, '$1');
  }
  return fields;
}

export type DistroFamily = 'debian' | 'fedora' | 'arch' | 'suse' | 'unknown';

export function distroFamily(osRelease: Record<string, string>): DistroFamily {
  const ids = [osRelease.ID ?? '', ...(osRelease.ID_LIKE ?? '').split(/\s+/)].map((id) => id.toLowerCase());
  if (ids.some((id) => id === 'debian' || id === 'ubuntu')) return 'debian';
  if (ids.some((id) => id === 'fedora' || id === 'rhel' || id === 'centos')) return 'fedora';
  if (ids.some((id) => id === 'arch')) return 'arch';
  if (ids.some((id) => id.startsWith('suse') || id.startsWith('opensuse'))) return 'suse';
  return 'unknown';
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/** group(5): name:password:gid:member,member */
export function parseGroupFile(text: string): GroupEntry[] {
  return text
    .split('\n')
    .map((line) => line.split(':'))
    .filter((fields) => fields.length >= 4 && fields[0] && !fields[0].startsWith('#'))
    .map(([name, , gid, members]) => ({
      name: name!,
      gid: Number(gid),
      members: (members ?? '').split(',').map((member) => member.trim()).filter(Boolean),
    }));
}

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** passwd(5): name:password:uid:gid:gecos:home:shell */
export function parsePasswdFile(text: string): PasswdEntry[] {
  return text
    .split('\n')
    .map((line) => line.split(':'))
    .filter((fields) => fields.length >= 7 && fields[0] && !fields[0].startsWith('#'))
    .map(([name, , uid, gid, , home]) => ({ name: name!, uid: Number(uid), gid: Number(gid), home: home ?? '' }));
}

/** `virsh version --daemon`: the library, hypervisor and daemon versions. */
export function parseVirshVersion(text: string): { library?: string; hypervisor?: string; daemon?: string } {
  const field = (label: string) => new RegExp(`^${label}:\\s*(.+)$`, 'm').exec(text)?.[1]?.trim();
  const library = field('Using library')?.replace(/^libvirt\s+/, '');
  const hypervisor = field('Running hypervisor');
  const daemon = field('Running against daemon');
  return {
    ...(library ? { library } : {}),
    ...(hypervisor ? { hypervisor } : {}),
    ...(daemon ? { daemon } : {}),
  };
}

/** `virsh net-info` and `virsh pool-info`: "Key:   value" lines. */
export function parseVirshInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([^:]+):\s*(.*)$/.exec(line);
    if (match) fields[match[1]!.trim()] = match[2]!.trim();
  }
  return fields;
}

/** `stat` mode bits as ls shows them for the permission part: "rw-rw----". */
export function permissionString(mode: number): string {
  const bits = 'rwxrwxrwx';
  return [...bits].map((letter, index) => (mode & (0o400 >> index) ? letter : '-')).join('');
}

export function octalMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}
