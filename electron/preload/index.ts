// The sandboxed preload: exposes the RPC bridge as window.isolab and nothing else.
// Imports only electron's contextBridge/ipcRenderer and the bridge; no node:* (a sandboxed preload has none).
import { contextBridge, ipcRenderer } from 'electron';
import { bridgeName } from '@shared/rpc-protocol';
import { createPreloadBridge } from './bridge';

contextBridge.exposeInMainWorld(bridgeName, createPreloadBridge(ipcRenderer));
