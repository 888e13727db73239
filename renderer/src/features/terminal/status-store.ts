// A value that React components read with useSyncExternalStore while a view object outside React changes it.
// Never imports node:*, electron or backend code.
export class StatusStore<S> {
  private readonly listeners = new Set<() => void>();

  constructor(private value: S) {}

  get = (): S => this.value;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  set(value: S): void {
    this.value = value;
    this.notify();
  }

  /** Something else the readers show changed. */
  notify(): void {
    for (const listener of this.listeners) listener();
  }

  clear(): void {
    this.listeners.clear();
  }
}
