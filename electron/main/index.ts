// Electron main: app lifecycle, the one locked-down window, and the backend served to it over IPC.
// Glue only: the backend does the work; never imports web mode or the renderer.
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, nativeTheme, session, shell } from 'electron';
import { api } from '@shared/api';
import { loadConfig } from '../backend/config';
import { createBackend } from '../backend/index';
import { createRpcServer } from '../backend/rpc-server';
import { attachIpcTransport } from './ipc-transport';

const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const rendererPage = fileURLToPath(new URL('../renderer/index.html', import.meta.url));

function log(message: string, error?: unknown): void {
  if (error === undefined) console.error(`isolab: ${message}`);
  else console.error(`isolab: ${message}:`, error);
}

/** Links leave the app for the user's browser; nothing but http(s) is handed to the desktop. */
function openOutside(url: string): void {
  const protocol = URL.canParse(url) ? new URL(url).protocol : '';
  if (protocol === 'http:' || protocol === 'https:') void shell.openExternal(url);
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Isolab',
    // Mantine's page colours, so the window does not flash white before a dark theme paints.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#242424' : '#ffffff',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  const contents = window.webContents;
  contents.on('will-navigate', (event) => {
    if (event.url === contents.getURL()) return;
    event.preventDefault();
    openOutside(event.url);
  });
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
  void window.loadFile(rendererPage);
  return window;
}

function start(): void {
  const backend = createBackend({ config: loadConfig() });
  const rpc = createRpcServer(api, backend.handlers, { onError: (error, where) => log(where, error) });
  app.on('will-quit', () => backend.dispose());
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  const window = createWindow();
  attachIpcTransport({ ipcMain, contents: window.webContents, rpc, log });
  app.on('second-instance', () => {
    if (window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
}

if (app.requestSingleInstanceLock()) {
  app.enableSandbox();
  app.on('window-all-closed', () => app.quit());
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      log('could not start', error);
      dialog.showErrorBox('Isolab could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
} else {
  // Another Isolab is running; it brings its window to the front.
  app.quit();
}
