// `npm run web [-- --port N]`: serves the built renderer and the backend on 127.0.0.1 and prints the URL
// with this run's token. Plain Node; never imports electron.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { api } from '@shared/api';
import { errnoOf, messageOf } from '../backend/app-errors';
import { loadConfig } from '../backend/config';
import { createBackend } from '../backend/index';
import { createRpcServer } from '../backend/rpc-server';
import { createToken, writeTokenFile } from './auth';
import { startWebServer } from './server';

const defaultPort = 7780;
const usage = `Usage: npm run web -- [--port N]

Serves Isolab's window to a browser on 127.0.0.1 (default port ${defaultPort}; 0 picks a free one).
Prints the address to open; it carries a token that is new for every run.`;

function fail(message: string): never {
  console.error(`isolab web: ${message}`);
  process.exit(2);
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) fail(`--port must be a number from 0 to 65535, not "${text}"`);
  return port;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { port: { type: 'string', default: String(defaultPort) }, help: { type: 'boolean', default: false } },
    }));
  } catch (error) {
    fail(`${messageOf(error)}\n${usage}`);
  }
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = parsePort(values.port);
  const staticDir = fileURLToPath(new URL('../renderer/', import.meta.url));
  if (!fs.existsSync(`${staticDir}/index.html`)) fail(`the renderer is not built (${staticDir}): run "npm run build" first`);

  const config = loadConfig();
  const backend = createBackend({ config });
  const rpc = createRpcServer(api, backend.handlers, {
    onError: (error, where) => console.error(`isolab web: ${where}:`, error),
  });
  const token = createToken();
  let server;
  try {
    server = await startWebServer({ rpc, staticDir, token, port, vnc: backend.vnc });
  } catch (error) {
    if (errnoOf(error) === 'EADDRINUSE') fail(`port ${port} is in use: choose another with "npm run web -- --port N"`);
    throw error;
  }
  const tokenFile = await writeTokenFile(config.paths.runtimeDir, server.port, token);
  console.log(`Isolab web mode is ready: ${server.url}`);
  console.log(`(the token is also in ${tokenFile}; press Ctrl-C to stop)`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    backend.dispose();
    await server.close();
    fs.rmSync(tokenFile, { force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error('isolab web: could not start:', error);
  process.exit(1);
});
