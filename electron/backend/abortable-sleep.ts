// A wait that ends early when its signal aborts (or when its owner wakes it), for backoff between restarts.
// Plain Node; never imports electron.

/** Waits `ms`, or less when `signal` aborts first; `wake`, when given, receives a function that ends the wait now. */
export function abortableSleep(ms: number, signal: AbortSignal, wake?: (resume: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    wake?.(done);
  });
}
