// The groups section: kvm, libvirt and docker membership from fixture account databases and a process
// identity (listed in /etc/group, active in this session), and the fix for each state.
import { describe, expect, it } from 'vitest';
import type { Check } from '@shared/types';
import { assessGroups, observeGroups } from '../../electron/backend/host/groups-check';
import { readAccounts, type Accounts } from '../../electron/backend/host/host-files';
import { parseGroupFile, parsePasswdFile } from '../../electron/backend/host/parsers';
import { fixContext, fixturePath, identity, rootsUnder } from './host-fixture-support';

const debianAccounts = () => readAccounts(rootsUnder(fixturePath('host', 'debian-pvm-firecracker')));
const fedoraAccounts = () => readAccounts(rootsUnder(fixturePath('host', 'intel-fedora-kvm')));

function check(checks: Check[], id: string): Check {
  const found = checks.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no check ${id} in ${checks.map((c) => c.id).join(', ')}`);
  return found;
}

function accountsFrom(group: string, passwd: string): Accounts {
  const groups = parseGroupFile(group);
  const users = parsePasswdFile(passwd);
  return {
    groups,
    users,
    groupName: (gid) => groups.find((entry) => entry.gid === gid)?.name ?? String(gid),
    userName: (uid) => users.find((entry) => entry.uid === uid)?.name ?? String(uid),
  };
}

describe('groups on this machine', () => {
  it('isolab-test is in none of them: add it to each', async () => {
    const facts = observeGroups(identity(), await debianAccounts());
    expect(facts).toMatchObject({ user: 'isolab-test', uid: 1001, isRoot: false });
    expect(facts.memberships.map((m) => [m.group, m.exists, m.listed, m.active])).toEqual([
      ['kvm', true, false, false],
      ['libvirt', true, false, false],
      ['docker', true, false, false],
    ]);
    const section = assessGroups(facts, fixContext());
    expect(section.status).toBe('warning');
    expect(section.summary).toBe('isolab-test is in none of kvm, libvirt, docker');
    expect(section.checks.map((c) => [c.id, c.status, c.fix?.command])).toEqual([
      ['groups.kvm', 'warning', 'sudo usermod -aG kvm isolab-test'],
      ['groups.libvirt', 'warning', 'sudo usermod -aG libvirt isolab-test'],
      ['groups.docker', 'warning', 'sudo usermod -aG docker isolab-test'],
    ]);
    expect(check(section.checks, 'groups.docker').summary).toContain('root-equivalent');
  });

  it('root needs none of them', async () => {
    const facts = observeGroups(identity({ uid: 0, gid: 0, groups: [0], name: 'root', home: '/root' }), await debianAccounts());
    expect(facts.isRoot).toBe(true);
    const section = assessGroups(facts, fixContext({ user: 'root', isRoot: true }));
    expect(section.status).toBe('ok');
    expect(section.summary).toBe('Running as root: group membership is not needed');
    expect(section.checks.every((c) => c.status === 'ok' && !c.fix)).toBe(true);
  });
});

describe('groups on the Fedora fixture (alice is listed in libvirt; there is no docker group)', () => {
  const alice = (groups: number[]) => identity({ uid: 1000, gid: 1000, groups, name: 'alice', home: '/home/alice' });

  it('listed and active: ok; no docker group: nothing to join', async () => {
    const section = assessGroups(observeGroups(alice([1000, 10, 974]), await fedoraAccounts()), fixContext({ user: 'alice' }));
    expect(check(section.checks, 'groups.libvirt')).toMatchObject({ status: 'ok', summary: 'alice is a member, active in this session.' });
    expect(check(section.checks, 'groups.docker')).toMatchObject({
      status: 'ok',
      summary: 'There is no docker group on this host, so there is nothing to join.',
    });
    expect(section.facts.memberships.find((m) => m.group === 'docker')).toMatchObject({ exists: false, listed: false, active: false });
    expect(section.summary).toBe('alice is in libvirt');
  });

  it('listed but not active in this session: newgrp', async () => {
    const section = assessGroups(observeGroups(alice([1000, 10]), await fedoraAccounts()), fixContext({ user: 'alice' }));
    expect(check(section.checks, 'groups.libvirt')).toMatchObject({
      status: 'warning',
      summary: 'alice was added, but this session started before: the membership is not active yet.',
      fix: { command: 'newgrp libvirt' },
    });
    expect(section.summary).toBe('alice is in none of kvm, libvirt, docker');
  });

  it('not a member of kvm: usermod, with the re-login advice', async () => {
    const section = assessGroups(observeGroups(alice([1000, 10, 974]), await fedoraAccounts()), fixContext({ user: 'alice' }));
    const kvm = check(section.checks, 'groups.kvm');
    expect(kvm.status).toBe('warning');
    expect(kvm.fix?.command).toBe('sudo usermod -aG kvm alice');
    expect(kvm.fix?.text).toContain('log out and back in');
  });

  it('active but not listed in /etc/group (granted by LDAP/sssd): ok, no fix', async () => {
    const section = assessGroups(observeGroups(alice([1000, 36]), await fedoraAccounts()), fixContext({ user: 'alice' }));
    const kvm = check(section.checks, 'groups.kvm');
    expect(kvm.status).toBe('ok');
    expect(kvm.fix).toBeUndefined();
    expect(kvm.summary).toBe('alice has this group in this session (not from /etc/group).');
    expect(section.summary).toBe('alice is in kvm');
  });
});

describe('primary groups', () => {
  it("a group that is the user's primary group counts as listed and, as the process gid, active", () => {
    const accounts = accountsFrom('docker:x:999:\nkvm:x:108:\n', 'builder:x:1500:999::/home/builder:/bin/sh\n');
    const facts = observeGroups(identity({ uid: 1500, gid: 999, groups: [], name: 'builder' }), accounts);
    expect(facts.memberships.find((m) => m.group === 'docker')).toMatchObject({ exists: true, listed: true, active: true });
    expect(facts.memberships.find((m) => m.group === 'kvm')).toMatchObject({ listed: false, active: false });
    expect(facts.memberships.find((m) => m.group === 'libvirt')?.exists).toBe(false);
  });
});
