// Which libvirt connection the VM pages show: kept in localStorage so it survives a reload, shared by every page
// through one small store. Never imports node:*, electron or backend code.
import { useSyncExternalStore } from 'react';

const storageKey = 'isolab.vms.connection';
const fallback = 'qemu:///system';
const listeners = new Set<() => void>();

function read(): string {
  try {
    return localStorage.getItem(storageKey) ?? fallback;
  } catch {
    return fallback;
  }
}

let current = read();

export function selectConnection(uri: string): void {
  current = uri;
  try {
    localStorage.setItem(storageKey, uri);
  } catch {
    // Storage may be unavailable (private windows): the choice lasts for this page only.
  }
  for (const listener of listeners) listener();
}

export function useSelectedConnection(): string {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}
