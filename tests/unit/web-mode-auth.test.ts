// Web mode's access rules: the auth helpers, then the real server on a free port (token handshake, cookie,
// Host check, CSP, WebSocket upgrade rules). Runs no engine; the RPC server behind it has no methods.
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { webSocketPath } from '@shared/api';
import { createRpcServer } from '../../electron/backend/rpc-server';
import {
  cookieName,
  cookieValue,
  createToken,
  isLoopbackHost,
  isSameOrigin,
  sessionCookie,
  tokensEqual,
  writeTokenFile,
} from '../../electron/web/auth';
import { startWebServer, type WebServer } from '../../electron/web/server';

describe('web mode auth helpers', () => {
  it('compares tokens exactly', () => {
    const token = createToken();
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(tokensEqual(token, token)).toBe(true);
    expect(tokensEqual(`${token}x`, token)).toBe(false);
    expect(tokensEqual(token.slice(1), token)).toBe(false);
    expect(tokensEqual('', token)).toBe(false);
    expect(createToken()).not.toBe(token);
  });

  it.each(['127.0.0.1', '127.0.0.1:7780', 'localhost', 'localhost:1', 'LOCALHOST:7780', '[::1]', '[::1]:65535'])(
    'accepts the loopback Host %s',
    (host) => expect(isLoopbackHost(host)).toBe(true),
  );

  it.each([
    undefined,
    '',
    'evil.com',
    'evil.com:7780',
    '127.0.0.1.evil.com',
    'localhost.evil.com:7780',
    'user@127.0.0.1',
    ':@127.0.0.1:7780',
    '127.0.0.1:99999',
    '127.0.0.1/path',
    '127.0.0.1?x',
    '10.0.0.1',
    '0.0.0.0:7780',
    '[::2]',
  ])('refuses the Host %s', (host) => expect(isLoopbackHost(host)).toBe(false));

  it('accepts only the page’s own origin for the WebSocket', () => {
    expect(isSameOrigin('http://127.0.0.1:7780', '127.0.0.1:7780')).toBe(true);
    expect(isSameOrigin('http://localhost:7780', '127.0.0.1:7780')).toBe(false);
    expect(isSameOrigin('http://127.0.0.1:7781', '127.0.0.1:7780')).toBe(false);
    expect(isSameOrigin('https://127.0.0.1:7780', '127.0.0.1:7780')).toBe(false);
    expect(isSameOrigin('null', '127.0.0.1:7780')).toBe(false);
    expect(isSameOrigin(undefined, '127.0.0.1:7780')).toBe(false);
    expect(isSameOrigin('http://127.0.0.1:7780', undefined)).toBe(false);
  });

  it('reads one cookie out of a Cookie header', () => {
    expect(cookieValue('a=1; isolab-7780=tok; b=2', 'isolab-7780')).toBe('tok');
    expect(cookieValue('isolab-7780=with=equals', 'isolab-7780')).toBe('with=equals');
    expect(cookieValue('isolab-77800=other; xisolab-7780=other', 'isolab-7780')).toBeUndefined();
    expect(cookieValue(undefined, 'isolab-7780')).toBeUndefined();
    expect(cookieValue('', 'isolab-7780')).toBeUndefined();
  });

  it('names the cookie per port and keeps it from scripts and other sites', () => {
    expect(cookieName(7780)).not.toBe(cookieName(7781));
    const cookie = sessionCookie(7780, 'tok');
    expect(cookie.startsWith(`${cookieName(7780)}=tok;`)).toBe(true);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
  });

  it('writes the token file 0600 inside a 0700 folder, replacing an old one', async () => {
    const parent = await fs.mkdtemp(path.join(os.tmpdir(), 'isolab-test-token-'));
    try {
      const dir = path.join(parent, 'isolab');
      await fs.mkdir(dir, { mode: 0o755 });
      await fs.writeFile(path.join(dir, 'web-7780.token'), 'old\n', { mode: 0o644 });
      const file = await writeTokenFile(dir, 7780, 'new-token');
      expect(file).toBe(path.join(dir, 'web-7780.token'));
      expect(await fs.readFile(file, 'utf8')).toBe('new-token\n');
      expect((await fs.stat(dir)).mode & 0o777).toBe(0o700);
      expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    } finally {
      await fs.rm(parent, { recursive: true, force: true });
    }
  });
});

describe('web mode server', () => {
  const token = 'test-token-for-web-mode';
  let staticDir: string;
  let server: WebServer;
  let base: string;
  let cookie: string;

  beforeAll(async () => {
    staticDir = await fs.mkdtemp(path.join(os.tmpdir(), 'isolab-test-static-'));
    await fs.writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Isolab test page</title>');
    const rpc = createRpcServer({ methods: {}, streams: {} }, { methods: {}, streams: {} });
    server = await startWebServer({ rpc, staticDir, token, port: 0 });
    base = `http://127.0.0.1:${server.port}`;
    cookie = `${cookieName(server.port)}=${token}`;
  });
  afterAll(async () => {
    await server?.close();
    await fs.rm(staticDir, { recursive: true, force: true });
  });

  /** fetch() normalises the path and will not send another Host; this sends exactly what it is given. */
  function rawGet(target: string, headers: Record<string, string>) {
    return new Promise<{ status: number; location: string | undefined; body: string }>((resolve, reject) => {
      const request = http.get({ host: '127.0.0.1', port: server.port, path: target, headers }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, location: response.headers.location, body }));
      });
      request.on('error', reject);
    });
  }

  it('prints an address on 127.0.0.1 that carries the token', () => {
    expect(server.url).toBe(`${base}/?token=${token}`);
  });

  it('refuses a request without the cookie', async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain('Isolab test page');
  });

  it('refuses a wrong cookie and a wrong ?token=', async () => {
    expect((await fetch(`${base}/`, { headers: { Cookie: `${cookieName(server.port)}=guess` } })).status).toBe(401);
    const response = await fetch(`${base}/?token=guess`, { redirect: 'manual' });
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('trades the right ?token= for the session cookie and a clean address', async () => {
    const response = await fetch(`${base}/?token=${token}&view=doctor`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/?view=doctor');
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie.startsWith(`${cookie};`)).toBe(true);
    expect(setCookie).toMatch(/;\s*HttpOnly/);
    expect(setCookie).toMatch(/;\s*SameSite=Strict/);
  });

  it('never redirects to another site', async () => {
    const response = await rawGet(`/.//evil.example/?token=${token}`, {});
    expect(response.status).toBe(303);
    expect(response.location).toBe('/evil.example/');
  });

  it('serves the built renderer to a request with the cookie, with a CSP', async () => {
    const response = await fetch(`${base}/`, { headers: { Cookie: cookie } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Isolab test page');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
  });

  it('answers 404 (and keeps running) when a file vanishes, as during a rebuild of the renderer', async () => {
    const asset = path.join(staticDir, 'app.js');
    await fs.writeFile(asset, 'console.log(1)');
    expect((await fetch(`${base}/app.js`, { headers: { Cookie: cookie } })).status).toBe(200);
    await fs.rm(asset);
    const gone = await fetch(`${base}/app.js`, { headers: { Cookie: cookie } });
    expect(gone.status).toBe(404);
    expect(gone.headers.get('cache-control')).toBe('no-store');
    expect((await fetch(`${base}/`, { headers: { Cookie: cookie } })).status).toBe(200);
  });

  it('sends the CSP on refusals too', async () => {
    const response = await fetch(`${base}/`);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('refuses a Host that is not a loopback name, even with the cookie (DNS rebinding)', async () => {
    const response = await rawGet('/', { Cookie: cookie, Host: `rebind.example:${server.port}` });
    expect(response.status).toBe(403);
    expect(response.body).not.toContain('Isolab test page');
  });

  it('answers at localhost too (an SSH tunnel keeps the name)', async () => {
    const response = await rawGet('/', { Cookie: cookie, Host: `localhost:${server.port}` });
    expect(response.status).toBe(200);
    expect(response.body).toContain('Isolab test page');
  });

  /** Resolves with "open" or with the HTTP status the upgrade was refused with. */
  function upgrade(headers: Record<string, string>, where = webSocketPath): Promise<'open' | number> {
    return new Promise((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${server.port}${where}`, { headers });
      socket.once('open', () => {
        socket.close();
        resolve('open');
      });
      socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.once('error', () => resolve(0));
    });
  }

  it('upgrades a WebSocket with the cookie from the page’s own origin', async () => {
    await expect(upgrade({ Cookie: cookie, Origin: base })).resolves.toBe('open');
  });

  it('refuses a WebSocket without the cookie', async () => {
    await expect(upgrade({ Origin: base })).resolves.toBe(401);
  });

  it('refuses a WebSocket from a foreign origin, even with the cookie', async () => {
    await expect(upgrade({ Cookie: cookie, Origin: 'http://evil.example' })).resolves.toBe(401);
    await expect(upgrade({ Cookie: cookie })).resolves.toBe(401);
  });

  it('refuses a WebSocket on any other path', async () => {
    await expect(upgrade({ Cookie: cookie, Origin: base }, '/other')).resolves.toBe(401);
  });
});
