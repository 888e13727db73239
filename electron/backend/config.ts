// The backend's settings: where it reads the host (roots, env, identity), XDG paths, engine endpoints
// and timeouts. Built from the process by default; tests override any part. Never imports electron.
import os from 'node:os';
import path from 'node:path';

/** Where the doctor reads the host from; tests point these at fixture trees. */
export interface HostRoots {
  proc: string;
  sys: string;
  dev: string;
  etc: string;
  run: string;
}

export interface UserIdentity {
  uid: number;
  gid: number;
  /** Supplementary groups held by this process. */
  groups: number[];
  name: string;
  home: string;
}

export interface BackendConfig {
  env: Readonly<Record<string, string | undefined>>;
  identity: UserIdentity;
  roots: HostRoots;
  paths: {
    /** $XDG_RUNTIME_DIR/isolab, else ~/.cache/isolab: per-run secrets such as web-mode tokens. */
    runtimeDir: string;
    /** $XDG_CONFIG_HOME/isolab/settings.json, else ~/.config/isolab/settings.json. */
    settingsFile: string;
  };
  docker: {
    rootfulSocket: string;
    podmanRootfulSocket: string;
  };
  libvirt: {
    uris: string[];
  };
  /** Where to look for daemons and tools: PATH, plus the sbin folders a non-root PATH often lacks. */
  programPath: string;
  /** How long one check (a virsh call, a Docker ping) may take before it is reported as hung. */
  checkTimeoutMs: number;
}

export function identityFromProcess(): UserIdentity {
  const info = os.userInfo();
  return {
    uid: info.uid,
    gid: info.gid,
    groups: process.getgroups?.() ?? [],
    name: info.username,
    home: info.homedir,
  };
}

export function runtimeDirFor(env: BackendConfig['env'], home: string): string {
  const xdg = env.XDG_RUNTIME_DIR;
  return xdg && path.isAbsolute(xdg) ? path.join(xdg, 'isolab') : path.join(home, '.cache', 'isolab');
}

export function settingsFileFor(env: BackendConfig['env'], home: string): string {
  const xdg = env.XDG_CONFIG_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.config'), 'isolab', 'settings.json');
}

export function programPathFor(env: BackendConfig['env']): string {
  const dirs = (env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(':').filter(Boolean);
  for (const admin of ['/usr/local/sbin', '/usr/sbin', '/sbin']) if (!dirs.includes(admin)) dirs.push(admin);
  return dirs.join(':');
}

export function loadConfig(overrides: Partial<BackendConfig> = {}): BackendConfig {
  const env = overrides.env ?? process.env;
  const identity = overrides.identity ?? identityFromProcess();
  return {
    env,
    identity,
    roots: overrides.roots ?? { proc: '/proc', sys: '/sys', dev: '/dev', etc: '/etc', run: '/run' },
    paths: overrides.paths ?? { runtimeDir: runtimeDirFor(env, identity.home), settingsFile: settingsFileFor(env, identity.home) },
    docker: overrides.docker ?? {
      rootfulSocket: '/var/run/docker.sock',
      podmanRootfulSocket: '/run/podman/podman.sock',
    },
    libvirt: overrides.libvirt ?? { uris: ['qemu:///system', 'qemu:///session'] },
    programPath: overrides.programPath ?? programPathFor(env),
    checkTimeoutMs: overrides.checkTimeoutMs ?? 5000,
  };
}
