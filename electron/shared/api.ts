// THE contract between the renderer and the backend: every request method and stream topic, with its
// argument schema and result type, and the one IPC channel and WebSocket path. No channel string lives elsewhere.
import { z } from 'zod';
import { method, stream, type Contract } from './contract';
import {
  containerIdSchema,
  containerNameSchema,
  imageIdOrReferenceSchema,
  networkNameSchema,
  pullReferenceSchema,
  runSpecSchema,
  volumeNameSchema,
} from './docker-schemas';
import type {
  ContainerDetail,
  ContainerProcesses,
  ContainerStatsSample,
  ContainerSummary,
  ContainerUsage,
  CreatedContainer,
  DockerChange,
  DockerConnection,
  ImageDetail,
  ImageSummary,
  LogBatch,
  NetworkSummary,
  PruneEstimate,
  PruneResult,
  PullProgress,
  VolumeSummary,
} from './docker-types';
import type { HostReport } from './types';
import { compareMethods, compareStreams } from './compare-api';
import { storageMethods, storageStreams } from './storage-api';
import { terminalMethods, terminalStreams } from './terminal-api';
import { vmCreateMethods, vmCreateStreams } from './vm-create-api';
import { vmMethods, vmStreams } from './vm-api';

const byId = z.strictObject({ id: containerIdSchema });
const labelsSchema = z.record(z.string().min(1), z.string()).default({});

export const api = {
  methods: {
    /** The host doctor: KVM, libvirt, Docker and group checks, each with its status and fix. */
    'host.report': method<HostReport>()(z.strictObject({})),

    /** Every candidate Docker endpoint, the one in use, and the engine behind it. */
    'docker.connection': method<DockerConnection>()(z.strictObject({})),
    /** Use this endpoint address (one of the candidates), or null for the first that answers. */
    'docker.useEndpoint': method<DockerConnection>()(z.strictObject({ address: z.string().min(1).nullable() })),

    'containers.list': method<ContainerSummary[]>()(z.strictObject({})),
    'containers.inspect': method<ContainerDetail>()(byId),
    'containers.top': method<ContainerProcesses>()(byId),
    /** Create (and, unless `start` is false, start) a container; on any failure nothing is left behind. */
    'containers.create': method<CreatedContainer>()(z.strictObject({ spec: runSpecSchema, start: z.boolean().default(true) })),
    'containers.start': method<void>()(byId),
    /** Stop: SIGTERM, then SIGKILL after `timeoutSeconds` (the engine's default when absent). */
    'containers.stop': method<void>()(z.strictObject({ id: containerIdSchema, timeoutSeconds: z.number().int().min(0).max(3600).optional() })),
    'containers.restart': method<void>()(z.strictObject({ id: containerIdSchema, timeoutSeconds: z.number().int().min(0).max(3600).optional() })),
    'containers.pause': method<void>()(byId),
    'containers.unpause': method<void>()(byId),
    'containers.kill': method<void>()(z.strictObject({ id: containerIdSchema, signal: z.string().regex(/^(SIG)?[A-Z0-9+-]+$|^\d+$/).optional() })),
    /** Remove; `force` also removes a running one, `volumes` its anonymous volumes. */
    'containers.remove': method<void>()(z.strictObject({ id: containerIdSchema, force: z.boolean().default(false), volumes: z.boolean().default(false) })),
    'containers.rename': method<void>()(z.strictObject({ id: containerIdSchema, name: containerNameSchema })),

    'images.list': method<ImageSummary[]>()(z.strictObject({})),
    'images.inspect': method<ImageDetail>()(z.strictObject({ id: imageIdOrReferenceSchema })),
    'images.remove': method<void>()(z.strictObject({ id: imageIdOrReferenceSchema, force: z.boolean().default(false) })),
    /** Give an image another name: repository[:tag]. */
    'images.tag': method<void>()(z.strictObject({ id: imageIdOrReferenceSchema, target: pullReferenceSchema })),
    /** What pruning dangling images would free, before doing it. */
    'images.pruneEstimate': method<PruneEstimate>()(z.strictObject({})),
    'images.prune': method<PruneResult>()(z.strictObject({})),

    'volumes.list': method<VolumeSummary[]>()(z.strictObject({})),
    'volumes.create': method<VolumeSummary>()(z.strictObject({ name: volumeNameSchema, labels: labelsSchema })),
    'volumes.remove': method<void>()(z.strictObject({ name: volumeNameSchema, force: z.boolean().default(false) })),
    'volumes.prune': method<PruneResult>()(z.strictObject({})),

    'networks.list': method<NetworkSummary[]>()(z.strictObject({})),
    'networks.create': method<NetworkSummary>()(
      z.strictObject({
        name: networkNameSchema,
        internal: z.boolean().default(false),
        /** CIDR such as 172.30.0.0/24; absent: the engine picks one. */
        subnet: z.cidrv4({ error: 'Use a subnet such as 172.30.0.0/24.' }).optional(),
        labels: labelsSchema,
      }),
    ),
    'networks.remove': method<void>()(z.strictObject({ id: z.string().min(1).max(128) })),
    'networks.prune': method<PruneResult>()(z.strictObject({})),

    ...vmMethods,
    ...vmCreateMethods,
    ...storageMethods,
    ...terminalMethods,
    ...compareMethods,
  },
  streams: {
    /** The connection state now, then every change from Docker's /events (each followed by a fresh read). */
    'docker.changed': stream<DockerChange>()(z.strictObject({})),
    'containers.logs': stream<LogBatch>()(
      z.strictObject({
        id: containerIdSchema,
        follow: z.boolean().default(true),
        timestamps: z.boolean().default(false),
        /** Last N lines; absent: all. */
        tail: z.number().int().min(0).max(1_000_000).optional(),
        /** Unix seconds. */
        since: z.number().int().min(0).optional(),
      }),
    ),
    /** One sample about every second, read only while subscribed. */
    'containers.stats': stream<ContainerStatsSample>()(byId),
    /** CPU and memory of every running container, for the list, while it is shown. */
    'containers.usage': stream<ContainerUsage>()(z.strictObject({})),
    /** Pull an image: the whole progress so far, on every change; unsubscribing cancels the pull. */
    'images.pull': stream<PullProgress>()(z.strictObject({ reference: pullReferenceSchema })),

    ...vmStreams,
    ...vmCreateStreams,
    ...storageStreams,
    ...terminalStreams,
    ...compareStreams,
  },
} as const satisfies Contract;

export type Api = typeof api;

/** The one Electron IPC channel: the preload forwards RPC messages on it and nothing else. */
export const ipcChannel = 'isolab:rpc';

/** Where web mode serves the RPC WebSocket. */
export const webSocketPath = '/rpc';
