// Prints, as JSON, what the Docker connection says and what containers.list fails with, computed with the identity
// of another user: the modules load as root, then the process drops to that user's uid and gid (no supplementary
// groups) before connecting. Usage: node --import tsx docker-connection-as.ts <user>
import { execFileSync } from 'node:child_process';
import { AppError } from '@shared/errors';
import { loadConfig } from '../../../electron/backend/config';
import { createDockerConnection } from '../../../electron/backend/docker/connection';
import { createContainerService } from '../../../electron/backend/docker/containers';

const user = process.argv[2];
if (!user) throw new Error('usage: docker-connection-as.ts <user>');
const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }));
const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }));
const home = execFileSync('getent', ['passwd', user], { encoding: 'utf8' }).split(':')[5]!;

const { setgroups, setgid, setuid } = process;
if (!setgroups || !setgid || !setuid) throw new Error('changing identity needs a POSIX system');
setgroups([]);
setgid(gid);
setuid(uid);
const env = { PATH: process.env.PATH, HOME: home, USER: user, LOGNAME: user };
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
