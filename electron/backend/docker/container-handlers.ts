// The RPC handlers for the Docker connection and containers: methods call the services, streams start their
// source and end it when the subscription's signal (or the backend's) aborts. Never imports electron.
import type { Api } from '@shared/api';
import type { MethodHandlers, StreamHandlers } from '../rpc-server';
import type { DockerConnectionService } from './connection';
import { createContainerCreator } from './container-create';
import { createContainerStreams } from './container-streams';
import { createContainerService } from './containers';

type ContainerMethods =
  | 'docker.connection'
  | 'docker.useEndpoint'
  | 'containers.list'
  | 'containers.inspect'
  | 'containers.top'
  | 'containers.create'
  | 'containers.start'
  | 'containers.stop'
  | 'containers.restart'
  | 'containers.pause'
  | 'containers.unpause'
  | 'containers.kill'
  | 'containers.remove'
  | 'containers.rename';

type ContainerTopics = 'docker.changed' | 'containers.logs' | 'containers.stats' | 'containers.usage';

export interface ContainerHandlers {
  methods: Pick<MethodHandlers<Api>, ContainerMethods>;
  streams: Pick<StreamHandlers<Api>, ContainerTopics>;
}

export function createContainerHandlers(connection: DockerConnectionService): ContainerHandlers {
  const containers = createContainerService(connection);
  const create = createContainerCreator(connection);
  const streams = createContainerStreams(connection);
  // A stream ends with its subscription, or with the backend when it is disposed.
  const until = (signal: AbortSignal) => AbortSignal.any([signal, connection.signal]);

  return {
    methods: {
      'docker.connection': () => connection.connection(),
      'docker.useEndpoint': ({ address }) => connection.useEndpoint(address),
      'containers.list': (_args, context) => containers.list(context.signal),
      'containers.inspect': ({ id }, context) => containers.inspect(id, context.signal),
      'containers.top': ({ id }, context) => containers.top(id, context.signal),
      'containers.create': ({ spec, start }) => create(spec, start),
      'containers.start': ({ id }) => containers.start(id),
      'containers.stop': ({ id, timeoutSeconds }) => containers.stop(id, timeoutSeconds === undefined ? {} : { timeoutSeconds }),
      'containers.restart': ({ id, timeoutSeconds }) => containers.restart(id, timeoutSeconds === undefined ? {} : { timeoutSeconds }),
      'containers.pause': ({ id }) => containers.pause(id),
      'containers.unpause': ({ id }) => containers.unpause(id),
      'containers.kill': ({ id, signal }) => containers.kill(id, signal),
      'containers.remove': ({ id, force, volumes }) => containers.remove(id, { force, volumes }),
      'containers.rename': ({ id, name }) => containers.rename(id, name),
    },
    streams: {
      'docker.changed': (_args, sink, context) => {
        const signal = until(context.signal);
        const unsubscribe = connection.subscribe((change) => sink.next(change));
        signal.addEventListener('abort', unsubscribe, { once: true });
      },
      'containers.logs': (args, sink, context) => void streams.logs(args, sink, until(context.signal)),
      'containers.stats': ({ id }, sink, context) => void streams.stats(id, sink, until(context.signal)),
      'containers.usage': (_args, sink, context) => streams.usage(sink, until(context.signal)),
    },
  };
}
