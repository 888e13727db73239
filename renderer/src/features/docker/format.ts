// How Docker numbers read on screen: sizes, rates, relative times and the published-port links.
// Pure functions; never imports node:*, electron or backend code.
import type { PortBinding } from '@shared/docker-types';

const byteUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 -> "1.5 KiB": binary units, as `docker stats` prints them. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < byteUnits.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value.toFixed(0) : value.toFixed(value < 10 ? 1 : 0)} ${byteUnits[unit]}`;
}

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

export function formatPercent(percent: number): string {
  return `${percent.toFixed(percent < 10 ? 1 : 0)} %`;
}

const relativeSteps: [unit: Intl.RelativeTimeFormatUnit, seconds: number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });

/** Unix seconds -> "3 min. ago", against `nowMs`; under a minute is "just now". */
export function formatRelative(unixSeconds: number, nowMs: number): string {
  const elapsed = Math.round(nowMs / 1000 - unixSeconds);
  for (const [unit, seconds] of relativeSteps) {
    if (Math.abs(elapsed) >= seconds) return relativeFormat.format(-Math.floor(elapsed / seconds), unit);
  }
  return 'just now';
}

export function formatDateTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toLocaleString();
}

/** A published port as the user reads it and, for TCP on a host address, the URL that opens it. */
export interface PortView {
  key: string;
  text: string;
  url?: string;
}

// A wildcard address listens on loopback too, and loopback is what a browser on this host can open.
function browsableHost(hostIp: string): string {
  if (hostIp === '' || hostIp === '0.0.0.0' || hostIp === '::') return '127.0.0.1';
  return hostIp.includes(':') ? `[${hostIp}]` : hostIp;
}

/**
 * One entry per published port (the engine lists 0.0.0.0 and :: separately for the same port; they read as
 * one), then the exposed ports that are not published.
 */
export function portViews(ports: PortBinding[]): PortView[] {
  const views = new Map<string, PortView>();
  for (const port of ports) {
    if (port.hostPort === undefined) continue;
    const host = browsableHost(port.hostIp ?? '');
    const key = `${host}:${port.hostPort}/${port.protocol}`;
    if (views.has(key)) continue;
    const shownHost = port.hostIp === '::' || port.hostIp === '0.0.0.0' || !port.hostIp ? '' : `${host}:`;
    views.set(key, {
      key,
      text: `${shownHost}${port.hostPort}→${port.containerPort}/${port.protocol}`,
      ...(port.protocol === 'tcp' ? { url: `http://${host}:${port.hostPort}` } : {}),
    });
  }
  for (const port of ports) {
    if (port.hostPort !== undefined) continue;
    const key = `${port.containerPort}/${port.protocol}`;
    if (!views.has(key)) views.set(key, { key, text: key });
  }
  return [...views.values()];
}
