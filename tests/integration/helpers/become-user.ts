// Drops this process to another user's uid and gid (no supplementary groups) after the modules have loaded
// as root, and returns a login-like environment for that user. For the "run as the test user" scripts.
import { execFileSync } from 'node:child_process';

export function becomeUser(user: string | undefined, script: string): Record<string, string | undefined> {
  if (!user) throw new Error(`usage: ${script} <user>`);
  const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }));
  const home = execFileSync('getent', ['passwd', user], { encoding: 'utf8' }).split(':')[5]!;
  const { setgroups, setgid, setuid } = process;
  if (!setgroups || !setgid || !setuid) throw new Error('changing identity needs a POSIX system');
  setgroups([]);
  setgid(gid);
  setuid(uid);
  return { PATH: process.env.PATH, HOME: home, USER: user, LOGNAME: user };
}
