// THE contract between the renderer and the backend: every request method and stream topic, with its
// argument schema and result type, and the one IPC channel and WebSocket path. No channel string lives elsewhere.
import { z } from 'zod';
import { method, type Contract } from './contract';
import type { HostReport } from './types';

export const api = {
  methods: {
    /** The host doctor: KVM, libvirt, Docker and group checks, each with its status and fix. */
    'host.report': method<HostReport>()(z.strictObject({})),
  },
  streams: {},
} as const satisfies Contract;

export type Api = typeof api;

/** The one Electron IPC channel: the preload forwards RPC messages on it and nothing else. */
export const ipcChannel = 'isolab:rpc';

/** Where web mode serves the RPC WebSocket. */
export const webSocketPath = '/rpc';
