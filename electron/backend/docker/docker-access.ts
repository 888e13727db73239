// How Docker services reach the engine: the client of the endpoint in use, or an UNAVAILABLE error carrying
// the doctor's fix while none answers. Implemented by the connection (connection.ts). Never imports electron.
import type Docker from 'dockerode';

export interface DockerAccess {
  /** The client of the endpoint in use; rejects with AppError UNAVAILABLE (with the fix) while none answers. */
  client(): Promise<Docker>;
}
