// The table of an engine's images, volumes or networks: reading and failure states, an optional search, the
// columns a page names, its row actions at the end, and what to say when nothing is shown.
// Never imports node:*, electron or backend code.
import { Group, Paper, Stack, Table, Text, TextInput, type TableTdProps } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useMemo, useState, type ReactNode } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ReadingStatus } from '../../components/ReadingStatus';
import { formatDateTime, formatRelative } from './format';

export interface Column<T> {
  header: string;
  /** The cell; `now` is when the page opened (ms), for ages. */
  cell: (item: T, now: number) => ReactNode;
  /** Cell props shared by the column: alignment, font, wrapping. */
  cellProps?: TableTdProps;
}

/** The list read (a react-query result). */
interface ListRead<T> {
  data: T[] | undefined;
  isPending: boolean;
  isError: boolean;
  error: unknown;
}

export function ObjectTable<T>({
  nouns,
  read,
  columns,
  search,
  sort,
  rowKey,
  rowTestId,
  rowData,
  actions,
  summary,
  emptyText,
  minWidth,
}: {
  /** ["image", "images"]: names the table, the search field and the messages. */
  nouns: [one: string, many: string];
  read: ListRead<T>;
  columns: Column<T>[];
  /** With a search field: what it searches by, and whether an item matches the lowercased text. */
  search?: { placeholder: string; matches: (item: T, needle: string) => boolean };
  sort: (a: T, b: T) => number;
  rowKey: (item: T) => string;
  rowTestId: string;
  /** data-* attributes of the row (without the "data-" prefix): what tests find a row by. */
  rowData: (item: T) => Record<string, string>;
  actions: (item: T) => ReactNode;
  /** A line about the whole list, right of the search. */
  summary?: (items: T[]) => string;
  /** Said when the engine has none at all. */
  emptyText: string;
  minWidth: number;
}) {
  const [one, many] = nouns;
  const [needle, setNeedle] = useState('');
  // Ages are as of when the page opened; the list itself refreshes from engine events.
  const [now] = useState(() => Date.now());
  const shown = useMemo(() => {
    const text = needle.trim().toLowerCase();
    return (read.data ?? []).filter((item) => !search || text === '' || search.matches(item, text)).sort(sort);
  }, [read.data, needle, search, sort]);
  if (read.isPending) return <ReadingStatus text={`Reading ${many}…`} />;
  if (read.isError || !read.data) return <ErrorAlert title={`Could not list ${many}`} error={read.error} />;
  const title = many.charAt(0).toUpperCase() + many.slice(1);
  return (
    <Stack gap="sm">
      {(search || summary) && (
        <Group justify="space-between">
          {search && (
            <TextInput
              aria-label={`Search ${many}`}
              placeholder={search.placeholder}
              leftSection={<IconSearch size={16} aria-hidden />}
              value={needle}
              onChange={(event) => setNeedle(event.currentTarget.value)}
              w={320}
            />
          )}
          {summary && (
            <Text size="sm" c="dimmed">
              {summary(read.data)}
            </Text>
          )}
        </Group>
      )}
      <Paper withBorder>
        <Table.ScrollContainer minWidth={minWidth}>
          <Table highlightOnHover verticalSpacing="xs" aria-label={title}>
            <Table.Thead>
              <Table.Tr>
                {columns.map((column) => (
                  <Table.Th key={column.header} ta={column.cellProps?.ta}>
                    {column.header}
                  </Table.Th>
                ))}
                <Table.Th ta="right">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((item) => (
                <Table.Tr
                  key={rowKey(item)}
                  data-testid={rowTestId}
                  {...Object.fromEntries(Object.entries(rowData(item)).map(([name, value]) => [`data-${name}`, value]))}
                >
                  {columns.map((column) => (
                    <Table.Td key={column.header} {...column.cellProps}>
                      {column.cell(item, now)}
                    </Table.Td>
                  ))}
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      {actions(item)}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {shown.length === 0 && (
          <Text p="md" c="dimmed" ta="center">
            {read.data.length === 0 ? emptyText : `No ${one} matches the search.`}
          </Text>
        )}
      </Paper>
    </Stack>
  );
}

/** An age ("3 days ago") with the exact time on hover. */
export function Age({ at, now }: { at: number; now: number }) {
  return <span title={formatDateTime(at)}>{formatRelative(at, now)}</span>;
}
