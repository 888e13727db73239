// The doctor's groups section: is this user in kvm, libvirt and docker, in the group database and in
// this running session (a new membership needs a new login). Plain Node; never imports electron.
import type { Check, GroupMembership, GroupsFacts, Section } from '@shared/types';
import type { UserIdentity } from '../config';
import { addToGroupCommand, reloginAdvice, type FixContext } from './fixes';
import type { Accounts } from './host-files';
import { makeSection } from './section';

const purposes: Record<string, string> = {
  kvm: 'open /dev/kvm, for hardware-accelerated VMs',
  libvirt: 'manage the system VMs (qemu:///system) without sudo',
  docker: 'use the Docker socket (this is root-equivalent access)',
};

export function observeGroups(identity: UserIdentity, accounts: Accounts): GroupsFacts {
  const primaryGid = accounts.users.find((user) => user.name === identity.name)?.gid ?? identity.gid;
  const memberships: GroupMembership[] = Object.entries(purposes).map(([group, purpose]) => {
    const entry = accounts.groups.find((candidate) => candidate.name === group);
    if (!entry) return { group, exists: false, listed: false, active: false, purpose };
    return {
      group,
      exists: true,
      listed: entry.members.includes(identity.name) || primaryGid === entry.gid,
      active: identity.groups.includes(entry.gid) || identity.gid === entry.gid,
      purpose,
    };
  });
  return { user: identity.name, uid: identity.uid, isRoot: identity.uid === 0, memberships };
}

function membershipCheck(membership: GroupMembership, facts: GroupsFacts, context: FixContext): Check {
  const base = { id: `groups.${membership.group}`, label: `${membership.group} group` };
  if (facts.isRoot) return { ...base, status: 'ok', summary: 'Not needed: root may do everything a member may.' };
  if (!membership.exists) {
    return { ...base, status: 'ok', summary: `There is no ${membership.group} group on this host, so there is nothing to join.` };
  }
  if (membership.active) {
    // Active without a listing: the group comes from elsewhere (LDAP, sssd) and works all the same.
    return {
      ...base,
      status: 'ok',
      summary: membership.listed
        ? `${facts.user} is a member, active in this session.`
        : `${facts.user} has this group in this session (not from /etc/group).`,
    };
  }
  if (membership.listed) {
    return {
      ...base,
      status: 'warning',
      summary: `${facts.user} was added, but this session started before: the membership is not active yet.`,
      fix: { text: `Log out and back in, or start a shell that has the group now.`, command: `newgrp ${membership.group}` },
    };
  }
  return {
    ...base,
    status: 'warning',
    summary: `${facts.user} is not a member; members may ${membership.purpose}.`,
    fix: { text: `Add ${facts.user} to the group, ${reloginAdvice}.`, command: addToGroupCommand(context, membership.group) },
  };
}

export function assessGroups(facts: GroupsFacts, context: FixContext): Section<GroupsFacts> {
  const checks = facts.memberships.map((membership) => membershipCheck(membership, facts, context));
  const summary = facts.isRoot
    ? 'Running as root: group membership is not needed'
    : `${facts.user} is in ${facts.memberships.filter((membership) => membership.active).map((membership) => membership.group).join(', ') || 'none of kvm, libvirt, docker'}`;
  return makeSection(summary, checks, facts);
}
