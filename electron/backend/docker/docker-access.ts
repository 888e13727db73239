// How Docker services reach the engine: the client of the endpoint in use (or UNAVAILABLE with the doctor's
// fix while none answers), and withEngine, which maps every engine failure the same way. Implemented by the
// connection (connection.ts). Never imports electron.
import type Docker from 'dockerode';
import type { Fix } from '@shared/errors';

export interface DockerAccess {
  /** The client of the endpoint in use; rejects with AppError UNAVAILABLE (with the fix) while none answers. */
  client(): Promise<Docker>;
  /**
   * Runs `work` with the engine's client; what it throws becomes an AppError whose message starts with
   * `action` (AppErrors pass through). When the engine went away under the call, the endpoints are checked
   * again first, so the error carries the doctor's verdict and fix instead of a bare ECONNREFUSED.
   */
  withEngine<T>(action: string, work: (docker: Docker) => Promise<T>, fixFor?: (error: unknown) => Fix | undefined): Promise<T>;
}
