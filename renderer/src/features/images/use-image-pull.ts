// One image pull at a time over the images.pull stream: its progress, its end, its failure, and cancel
// (unsubscribing stops the pull in the backend). Never imports node:*, electron or backend code.
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PullProgress } from '@shared/docker-types';
import { useRpcStream } from '../../hooks/use-rpc-stream';

export type PullState =
  | { phase: 'idle' }
  | { phase: 'pulling' | 'done' | 'cancelled'; reference: string; progress?: PullProgress }
  | { phase: 'failed'; reference: string; progress?: PullProgress; error: unknown };

export function useImagePull(onDone?: (reference: string) => void) {
  const [state, setState] = useState<PullState>({ phase: 'idle' });
  const queryClient = useQueryClient();
  const current = useRef(state);
  const latestOnDone = useRef(onDone);
  useEffect(() => {
    current.current = state;
    latestOnDone.current = onDone;
  });

  const finish = useCallback(
    (progress: PullProgress | undefined) => {
      const now = current.current;
      if (now.phase !== 'pulling') return;
      const done: PullState = { phase: 'done', reference: now.reference, progress: progress ?? now.progress };
      // Set at once: the stream's end follows its last event before React renders, and must not finish twice.
      current.current = done;
      setState(done);
      void queryClient.invalidateQueries({ queryKey: ['images.list'] });
      latestOnDone.current?.(now.reference);
    },
    [queryClient],
  );

  useRpcStream(
    'images.pull',
    { reference: state.phase === 'idle' ? '' : state.reference },
    {
      onEvent: (progress) => {
        if (progress.done) {
          finish(progress);
        } else if (current.current.phase === 'pulling') {
          current.current = { ...current.current, progress };
          setState(current.current);
        }
      },
      onError: (error) => setState((now) => (now.phase === 'pulling' ? { phase: 'failed', reference: now.reference, progress: now.progress, error } : now)),
      onEnd: () => finish(undefined),
    },
    state.phase === 'pulling',
  );

  return {
    state,
    start: useCallback((reference: string) => setState({ phase: 'pulling', reference }), []),
    cancel: useCallback(() => setState((now) => (now.phase === 'pulling' ? { ...now, phase: 'cancelled' } : now)), []),
    reset: useCallback(() => setState({ phase: 'idle' }), []),
  };
}
