// The RPC handlers of the images area (methods and the images.pull stream), over one Docker access.
// Never imports electron.
import type { Api } from '@shared/api';
import type { MethodHandlers, StreamHandlers } from '../rpc-server';
import type { DockerAccess } from './docker-access';
import { pullImage } from './image-pull';
import { createImageService } from './images';

type ImageMethod = 'images.list' | 'images.inspect' | 'images.remove' | 'images.tag' | 'images.pruneEstimate' | 'images.prune';

/** `backendSignal` aborts every pull still running when the backend is disposed. */
export function imageHandlers(access: DockerAccess, backendSignal?: AbortSignal): {
  methods: Pick<MethodHandlers<Api>, ImageMethod>;
  streams: Pick<StreamHandlers<Api>, 'images.pull'>;
} {
  const images = createImageService(access);
  return {
    methods: {
      'images.list': () => images.list(),
      'images.inspect': ({ id }) => images.inspect(id),
      'images.remove': ({ id, force }) => images.remove(id, force),
      'images.tag': ({ id, target }) => images.tag(id, target),
      'images.pruneEstimate': () => images.pruneEstimate(),
      'images.prune': () => images.prune(),
    },
    streams: {
      'images.pull': ({ reference }, sink, context) =>
        void pullImage(access, reference, sink, backendSignal ? AbortSignal.any([context.signal, backendSignal]) : context.signal),
    },
  };
}
