// `npm start`, after the build: finds the Electron binary (bounded in time; electron fetches it on first use)
// and runs the app with it, or says plainly why it cannot. Plain Node under tsx; imports nothing from the app.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const lookupTimeoutMs = 60_000;
const pathMarker = 'isolab-electron-path=';

interface Lookup {
  binary?: string;
  problem?: string;
}

/** Lines of the lookup's output that name an error, without their stack frames. */
function errorLines(output: string): string {
  const lines = output.split('\n').filter((line) => /^\w*Error\b/.test(line.trim()));
  return (lines.length > 0 ? lines : output.trim().split('\n').slice(-3)).map((line) => `    ${line.trim()}`).join('\n');
}

/**
 * node_modules/electron/index.js returns the binary's path and downloads the binary first if it is missing.
 * It runs in a child so a download that stalls (a network that drops packets) can be stopped.
 */
function findElectron(): Promise<Lookup> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', `process.stdout.write('\\n${pathMarker}' + require('electron') + '\\n')`], {
      cwd: projectRoot,
      // Its own process group, so a timeout also stops the downloader it spawns.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      resolve({
        problem: `Electron downloads its binary on first launch; that took over ${lookupTimeoutMs / 1000} s and was stopped.`,
      });
    }, lookupTimeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ problem: `Could not run ${process.execPath} to look for it: ${error.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = output.split('\n').find((text) => text.startsWith(pathMarker));
      if (code !== 0 || line === undefined) {
        resolve({
          problem:
            `Electron downloads its binary (about 100 MB) on first launch, and that failed,\n` +
            `for example because this machine has no network access. What Electron reported:\n${errorLines(output)}`,
        });
        return;
      }
      const binary = line.slice(pathMarker.length);
      if (fs.existsSync(binary)) resolve({ binary });
      else resolve({ problem: `Electron named ${binary} as its binary, but there is no such file.` });
    });
  });
}

function explain(problem: string): string {
  return `isolab: cannot start the desktop app: there is no usable Electron binary.

${problem}

What you can do:
  - run "npm start" again where downloads from GitHub work (the binary is fetched once, then kept);
  - or set ELECTRON_OVERRIDE_DIST_PATH to a folder that holds an Electron 45 binary named "electron",
    e.g.  ELECTRON_OVERRIDE_DIST_PATH=/opt/electron-45 npm start
  - or run "npm run web": the same window in your browser, served on 127.0.0.1.`;
}

const lookup = await findElectron();
if (lookup.binary === undefined) {
  console.error(explain(lookup.problem ?? ''));
  process.exit(1);
}

const app = spawn(lookup.binary, [projectRoot], { cwd: projectRoot, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.kill(signal));
app.on('error', (error) => {
  console.error(`isolab: could not run ${lookup.binary}: ${error.message}`);
  process.exit(1);
});
app.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
