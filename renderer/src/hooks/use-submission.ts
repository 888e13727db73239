// One user-started request at a time for a dialog that keeps the engine's reason on screen when it fails
// (rather than a notification): whether it runs, and its last failure. Never imports node:*, electron or backend code.
import { useCallback, useState } from 'react';

export function useSubmission() {
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const submit = useCallback(async (action: () => Promise<unknown>) => {
    setPending(true);
    setFailure(null);
    try {
      await action();
    } catch (error) {
      setFailure(error);
    } finally {
      setPending(false);
    }
  }, []);
  return { pending, failure, submit };
}
