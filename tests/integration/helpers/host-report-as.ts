// Prints a host report as JSON, computed with the identity of another user: the modules load as root,
// then the process drops to that user's uid and gid (no supplementary groups) before the doctor runs.
// Usage: node --import tsx host-report-as.ts <user>
import { execFileSync } from 'node:child_process';
import { loadConfig } from '../../../electron/backend/config';
import { createHostDoctor } from '../../../electron/backend/host/doctor';

const user = process.argv[2];
if (!user) throw new Error('usage: host-report-as.ts <user>');
const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }));
const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }));
const home = execFileSync('getent', ['passwd', user], { encoding: 'utf8' }).split(':')[5]!;

const { setgroups, setgid, setuid } = process;
if (!setgroups || !setgid || !setuid) throw new Error('changing identity needs a POSIX system');
setgroups([]);
setgid(gid);
setuid(uid);
const env = { PATH: process.env.PATH, HOME: home, USER: user, LOGNAME: user };
const report = await createHostDoctor(loadConfig({ env })).report();
process.stdout.write(JSON.stringify(report));
