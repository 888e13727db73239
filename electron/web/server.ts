// Web mode's HTTP server: the built renderer as static files and the RPC WebSocket, both behind the token
// cookie and the loopback Host check. Plain Node; never imports electron.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import serveStatic from 'serve-static';
import { WebSocketServer } from 'ws';
import { webSocketPath } from '@shared/api';
import { maxClientMessageBytes } from '@shared/rpc-protocol';
import type { RpcServer } from '../backend/rpc-server';
import { cookieName, cookieValue, isLoopbackHost, isSameOrigin, sessionCookie, tokensEqual } from './auth';
import { createVncWebSockets, type VncTicketClaimer } from './vnc-websocket';
import { serveRpcOverWebSocket } from './ws-transport';

export interface WebServerOptions {
  rpc: RpcServer;
  /** The built renderer (out/renderer). */
  staticDir: string;
  token: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** The VNC console bridge, for its WebSocket path; absent: no VNC consoles over WebSocket. */
  vnc?: VncTicketClaimer;
}

export interface WebServer {
  port: number;
  /** The address to open, with the token. */
  url: string;
  close(): Promise<void>;
}

const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  // Mantine sets CSS variables through style attributes and <style> elements.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

function setSecurityHeaders(response: http.ServerResponse): void {
  response.setHeader('Content-Security-Policy', contentSecurityPolicy);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Cache-Control', 'no-store');
}

function refuse(response: http.ServerResponse, status: number, title: string, advice: string): void {
  response.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
  response.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Isolab: ${title}</title></head>` +
      `<body><main><h1>${title}</h1><p>${advice}</p></main></body></html>`,
  );
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  let port = options.port;
  // serve-static answers a file that vanishes mid-request (a rebuild of out/renderer) with 404 instead of
  // an unhandled stream error that would end the server.
  const serveFiles = serveStatic(options.staticDir, { dotfiles: 'ignore', fallthrough: true, redirect: false, cacheControl: false });
  const webSockets = new WebSocketServer({ noServer: true, maxPayload: maxClientMessageBytes });
  let clients = 0;
  const vncSockets = options.vnc ? createVncWebSockets(options.vnc) : undefined;

  const hasSession = (request: http.IncomingMessage) => {
    const cookie = cookieValue(request.headers.cookie, cookieName(port));
    return cookie !== undefined && tokensEqual(cookie, options.token);
  };

  const server = http.createServer((request, response) => {
    setSecurityHeaders(response);
    if (!isLoopbackHost(request.headers.host)) {
      return refuse(response, 403, 'Wrong host name', 'Web mode answers only at 127.0.0.1, localhost or [::1].');
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return refuse(response, 405, 'Method not allowed', 'Web mode serves pages with GET only.');
    }
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    const given = url.searchParams.get('token');
    if (given !== null) {
      if (!tokensEqual(given, options.token)) {
        return refuse(response, 401, 'Wrong token', 'Open the address that <code>npm run web</code> printed.');
      }
      url.searchParams.delete('token');
      // One leading slash only: "//host/" in Location would send the browser to another site.
      const location = `${url.pathname.replace(/^\/+/, '/')}${url.search}`;
      response.writeHead(303, { 'Set-Cookie': sessionCookie(port, options.token), Location: location });
      return response.end();
    }
    if (!hasSession(request)) {
      return refuse(
        response,
        401,
        'Not signed in',
        'Open the address that <code>npm run web</code> printed: it carries a token (<code>?token=…</code>) for this run.',
      );
    }
    serveFiles(request, response, (error?: unknown) => {
      if (response.headersSent) return response.destroy();
      if (error) return refuse(response, 500, 'Could not read the page', 'Isolab web mode could not read its own files; rebuild with <code>npm run build</code> and reload.');
      refuse(response, 404, 'Not found', 'There is no such page.');
    });
  });

  server.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const trusted = isLoopbackHost(request.headers.host) && isSameOrigin(request.headers.origin, request.headers.host) && hasSession(request);
    if (trusted && vncSockets?.upgrade(request, socket, head)) return;
    if (!trusted || path !== webSocketPath) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    webSockets.handleUpgrade(request, socket, head, (webSocket) => {
      serveRpcOverWebSocket(webSocket, options.rpc, `ws#${++clients}`);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `http://${host}:${port}/?token=${options.token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of webSockets.clients) client.terminate();
        webSockets.close();
        vncSockets?.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
