// Prints, as JSON, what the Docker connection says and what containers.list fails with, computed with the
// identity of another user (see become-user.ts). Usage: node --import tsx docker-connection-as.ts <user>
import { AppError } from '@shared/errors';
import { loadConfig } from '../../../electron/backend/config';
import { createDockerConnection } from '../../../electron/backend/docker/connection';
import { createContainerService } from '../../../electron/backend/docker/containers';
import { becomeUser } from './become-user';

const env = becomeUser(process.argv[2], 'docker-connection-as.ts');
const connection = createDockerConnection(loadConfig({ env }));
const state = await connection.connection();
const listError = await createContainerService(connection)
  .list()
  .then(
    () => null,
    (error: unknown) => (error instanceof AppError ? error.toWire() : String(error)),
  );
connection.dispose();
process.stdout.write(JSON.stringify({ connection: state, listError }));
