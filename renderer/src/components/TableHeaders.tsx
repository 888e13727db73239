// Table header cells the lists share: a column header that sorts (with aria-sort), the unseen "Actions" header of
// a row-actions column, and a plain header row of labels ending in it. Never imports node:*, electron or backend code.
import { Group, Table, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort } from '@tabler/icons-react';

export interface ColumnSort<Column extends string> {
  column: Column;
  descending: boolean;
}

export function SortHeader<Column extends string>({
  column,
  label,
  sort,
  onSort,
}: {
  column: Column;
  label: string;
  sort: ColumnSort<Column>;
  onSort: (column: Column) => void;
}) {
  const active = sort.column === column;
  const Icon = active ? (sort.descending ? IconArrowDown : IconArrowUp) : IconArrowsSort;
  return (
    <Table.Th aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
      <UnstyledButton onClick={() => onSort(column)} aria-label={`Sort by ${column}`} fw={700} fz="sm">
        <Group gap={4} wrap="nowrap">
          {label}
          <Icon size={14} aria-hidden />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

export function ActionsHeader() {
  return (
    <Table.Th>
      <VisuallyHidden>Actions</VisuallyHidden>
    </Table.Th>
  );
}

/** The head of a table whose columns are `labels` and, last, the row actions. */
export function LabelsWithActionsHead({ labels }: { labels: string[] }) {
  return (
    <Table.Thead>
      <Table.Tr>
        {labels.map((label) => (
          <Table.Th key={label}>{label}</Table.Th>
        ))}
        <ActionsHeader />
      </Table.Tr>
    </Table.Thead>
  );
}
