// The Terminals page's state for the window's whole life: open tabs (terminals and VNC consoles), which tab each
// of the (one or two) panes shows, which pane has focus, the font size and the colour scheme. Lives outside React
// so a session keeps running while another page is shown. Never imports node:*, electron or backend code.
import { useSyncExternalStore } from 'react';
import type { TerminalTarget } from '@shared/terminal-types';
import { notifyLoadFailure } from './load-failure';
import { TerminalView } from './terminal-view';
import type { VncView } from './vnc/vnc-view';
import { darkTheme, fontSizes, lightTheme } from './xterm-theme';

export type Tab = { key: string; title: string } & ({ kind: 'terminal'; view: TerminalView } | { kind: 'vnc'; view: VncView });

export type PaneIndex = 0 | 1;

export interface TerminalsState {
  tabs: Tab[];
  /** The tab key each pane shows; the second pane exists only while split. */
  panes: [string | undefined, string | undefined];
  split: boolean;
  focused: PaneIndex;
  fontSize: number;
  dark: boolean;
}

const fontSizeKey = 'isolab.terminal.fontSize';

function savedFontSize(): number {
  const saved = Number(localStorage.getItem(fontSizeKey));
  return Number.isInteger(saved) && saved >= fontSizes.min && saved <= fontSizes.max ? saved : fontSizes.initial;
}

let state: TerminalsState = { tabs: [], panes: [undefined, undefined], split: false, focused: 0, fontSize: savedFontSize(), dark: false };
const listeners = new Set<() => void>();
let nextKey = 1;

function update(change: Partial<TerminalsState>): void {
  state = { ...state, ...change };
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useTerminals(): TerminalsState {
  return useSyncExternalStore(subscribe, () => state);
}

export function terminalsState(): TerminalsState {
  return state;
}

/** A title before the backend names the session. */
export function targetTitle(target: TerminalTarget): string {
  switch (target.kind) {
    case 'host-shell':
      return 'Host shell';
    case 'container-exec':
      return `Shell in ${target.id.slice(0, 12)}`;
    case 'container-attach':
      return `Attached: ${target.id.slice(0, 12)}`;
    case 'vm-serial':
      return `Serial: ${target.name}`;
  }
}

function setTitle(key: string, title: string): void {
  update({ tabs: state.tabs.map((tab) => (tab.key === key ? { ...tab, title } : tab)) });
}

/** Shows `key` in the focused pane (or focuses the pane already showing it). */
export function showTab(key: string, pane: PaneIndex = state.focused): void {
  const other: PaneIndex = pane === 0 ? 1 : 0;
  if (state.split && state.panes[other] === key) {
    update({ focused: other });
    return;
  }
  const panes: TerminalsState['panes'] = [...state.panes];
  panes[pane] = key;
  update({ panes, focused: pane });
}

function addTab(tab: Tab): string {
  update({ tabs: [...state.tabs, tab] });
  showTab(tab.key);
  return tab.key;
}

export function openTerminal(target: TerminalTarget): string {
  const key = `t${nextKey++}`;
  const view = new TerminalView(target, { fontSize: state.fontSize, theme: state.dark ? darkTheme : lightTheme }, (title) => setTitle(key, title));
  return addTab({ key, kind: 'terminal', title: targetTitle(target), view });
}

/** noVNC loads with the first graphical console, not with the Terminals page. */
export async function openVncConsole(uri: string, name: string): Promise<void> {
  try {
    const { VncView } = await import('./vnc/vnc-view');
    addTab({ key: `t${nextKey++}`, kind: 'vnc', title: `Display: ${name}`, view: new VncView(uri, name) });
  } catch (error) {
    notifyLoadFailure(`The console of ${name}`, error);
  }
}

export function closeTab(key: string): void {
  const tab = state.tabs.find((candidate) => candidate.key === key);
  if (!tab) return;
  tab.view.dispose();
  const tabs = state.tabs.filter((candidate) => candidate !== tab);
  const shown = new Set(state.panes);
  // A pane that showed the closed tab takes a tab no other pane shows.
  const panes = state.panes.map((paneKey) => {
    if (paneKey !== key) return paneKey;
    const next = tabs.find((candidate) => !shown.has(candidate.key));
    if (next) shown.add(next.key);
    return next?.key;
  }) as TerminalsState['panes'];
  update({ tabs, panes });
}

export function setSplit(split: boolean): void {
  if (!split) {
    update({ split, focused: 0, panes: [state.panes[state.focused] ?? state.panes[0], undefined] });
    return;
  }
  const second = state.tabs.find((tab) => tab.key !== state.panes[0]);
  update({ split, panes: [state.panes[0], second?.key], focused: second ? 1 : 0 });
}

export function focusPane(pane: PaneIndex): void {
  if (state.focused !== pane) update({ focused: pane });
}

export function setFontSize(size: number): void {
  const fontSize = Math.min(fontSizes.max, Math.max(fontSizes.min, Math.round(size)));
  localStorage.setItem(fontSizeKey, String(fontSize));
  for (const tab of state.tabs) if (tab.kind === 'terminal') tab.view.setFontSize(fontSize);
  update({ fontSize });
}

export function setDark(dark: boolean): void {
  if (dark === state.dark) return;
  for (const tab of state.tabs) if (tab.kind === 'terminal') tab.view.setTheme(dark ? darkTheme : lightTheme);
  update({ dark });
}
