// The parts around a live list (containers, VMs): the page with its title and "new" button; the toolbar with
// search, state filter and the count; the failure with Try again; what shows when there is nothing at all. Never imports node:*, electron or backend code.
import { Button, Group, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconPlus, IconRefresh, IconSearch } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { ErrorAlert } from './ErrorAlert';

export function ListToolbar<Filter extends string>({
  noun,
  placeholder,
  search,
  onSearch,
  filters,
  filter,
  onFilter,
  count,
}: {
  /** "containers", "VMs": names the search field and the filter. */
  noun: string;
  placeholder: string;
  search: string;
  onSearch: (search: string) => void;
  filters: { value: Filter; label: string }[];
  filter: Filter;
  onFilter: (filter: Filter) => void;
  /** How many are shown, of how many; announced as a status. */
  count: ReactNode;
}) {
  return (
    <Group gap="sm" justify="space-between">
      <Group gap="sm">
        <TextInput
          aria-label={`Search ${noun}`}
          placeholder={placeholder}
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(event) => onSearch(event.currentTarget.value)}
          w={280}
        />
        <SegmentedControl aria-label={`Show ${noun} by state`} value={filter} onChange={(value) => onFilter(value as Filter)} data={filters} />
      </Group>
      <Text size="sm" c="dimmed" role="status">
        {count}
      </Text>
    </Group>
  );
}

export function ListFailure({ title, error, onRetry }: { title: string; error: unknown; onRetry: () => void }) {
  return (
    <Stack gap="sm" align="flex-start">
      <ErrorAlert title={title} error={error} />
      <Button variant="default" leftSection={<IconRefresh size={16} aria-hidden />} onClick={onRetry}>
        Try again
      </Button>
    </Stack>
  );
}

/**
 * The list, with a line under it when the search and filter hide every item; or, when there is nothing at all, what
 * that means and how to get one (`empty`).
 */
export function ListContent({
  total,
  shown,
  one,
  empty,
  children,
}: {
  total: number;
  shown: number;
  /** "VM", "container". */
  one: string;
  empty: { testId: string; title: string; text: string };
  children: ReactNode;
}) {
  if (total === 0) {
    return (
      <Stack gap="xs" align="flex-start" py="xl" data-testid={empty.testId}>
        <Text fw={600}>{empty.title}</Text>
        <Text size="sm">{empty.text}</Text>
      </Stack>
    );
  }
  return (
    <>
      {children}
      {shown === 0 && (
        <Text size="sm" c="dimmed">
          No {one} matches the search and filter.
        </Text>
      )}
    </>
  );
}

/** A page that is one live list filling the window: title, what it shows, the way to make a new one, then `children`. */
export function ListPage({
  title,
  description,
  status,
  create,
  children,
}: {
  title: string;
  description: string;
  /** Under the description: which engine answers, for one. */
  status?: ReactNode;
  /** The route of the "new" page and its button's label. */
  create: { to: string; label: string };
  children: ReactNode;
}) {
  return (
    <Stack gap="md" h="calc(100dvh - var(--app-shell-header-height, 56px) - 2 * var(--mantine-spacing-lg))">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={2} align="flex-start">
          <Title order={1}>{title}</Title>
          <Text c="dimmed">{description}</Text>
          {status}
        </Stack>
        <Button component={Link} to={create.to} leftSection={<IconPlus size={16} aria-hidden />}>
          {create.label}
        </Button>
      </Group>
      {children}
    </Stack>
  );
}

/** The toolbar's state: the search text and the state filter, spread into ListToolbar. */
export function useListControls<Filter extends string>(initialFilter: Filter) {
  const [search, onSearch] = useState('');
  const [filter, onFilter] = useState<Filter>(initialFilter);
  return { search, onSearch, filter, onFilter };
}
