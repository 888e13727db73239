// Group membership: in the group database, and active in this session (which needs a new login).
// Never imports node:*, electron or backend code.
import { Table } from '@mantine/core';
import type { GroupsFacts } from '@shared/types';

export function GroupsFactsView({ facts }: { facts: GroupsFacts }) {
  return (
    <Table
      striped
      captionSide="top"
      data={{
        caption: `Groups of ${facts.user} (uid ${facts.uid})`,
        head: ['Group', 'Exists', 'Member', 'Active in this session', 'Members may'],
        body: facts.memberships.map((membership) => [
          membership.group,
          membership.exists ? 'yes' : 'no',
          membership.listed ? 'yes' : 'no',
          membership.active ? 'yes' : 'no',
          membership.purpose,
        ]),
      }}
    />
  );
}
