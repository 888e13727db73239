// Web mode's access rules: a random token per run (kept in a 0600 file), an HttpOnly SameSite=Strict cookie,
// loopback Host names only, and a same-origin WebSocket. Plain Node; never imports electron.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time: both sides are hashed first, so neither their content nor their length leaks. */
export function tokensEqual(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Cookies are shared by every port of a host, so each port gets its own cookie name. */
export function cookieName(port: number): string {
  return `isolab-${port}`;
}

export function sessionCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

const loopbackHost = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::(\d{1,5}))?$/i;

/**
 * The Host header names this machine's loopback on any port (so an SSH tunnel works, DNS rebinding does not).
 * Matched as the whole header: a URL parser would also accept userinfo, paths and other spellings of 127.0.0.1.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  const match = loopbackHost.exec(host ?? '');
  return match !== null && Number(match[1] ?? 0) <= 65535;
}

/** A browser's WebSocket carries the page's origin; it must be this very server as the page saw it. */
export function isSameOrigin(origin: string | undefined, host: string | undefined): boolean {
  return origin !== undefined && host !== undefined && origin === `http://${host}`;
}

/** Writes the token to <dir>/web-<port>.token: the folder 0700, the file 0600. Returns the file's path. */
export async function writeTokenFile(dir: string, port: number, token: string): Promise<string> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await fs.chmod(dir, 0o700);
  const file = path.join(dir, `web-${port}.token`);
  await fs.rm(file, { force: true });
  await fs.writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  return file;
}
