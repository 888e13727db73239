// The Compare lab's table: one row per probe with the host's, the container's and the VM's value, whether each
// differs from the host, what it shows (and which claims), and on demand the exact commands and raw outputs.
// Never imports node:*, electron or backend code.
import { ActionIcon, Badge, Code, Group, Loader, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import { probeRows, type ProbeRow, type Verdict } from '@shared/compare-findings';
import { probeIds, type CompareSubject, type ProbeRun } from '@shared/compare-types';
import type { ProbeState } from './lab-store';
import { statusTextColors } from '../../theme';

export const subjectNames: Record<CompareSubject, string> = { host: 'Host', container: 'Container', vm: 'VM' };

const verdictLook: Record<Verdict, { label: string; color: string }> = {
  same: { label: 'same as host', color: 'gray' },
  differs: { label: 'differs', color: 'orange' },
  unknown: { label: 'measured', color: 'blue' },
};

function ValueCell({ row, subject, expected, running }: { row: ProbeRow; subject: CompareSubject; expected: boolean; running: boolean }) {
  const run = row.runs[subject];
  if (!expected) return <Table.Td c="dimmed">—</Table.Td>;
  if (!run) return <Table.Td>{running ? <Loader size="xs" aria-label={`Running ${row.title} in the ${subjectNames[subject]}`} /> : <Text c="dimmed">—</Text>}</Table.Td>;
  const verdict = subject === 'host' ? undefined : row.verdict[subject];
  return (
    <Table.Td data-testid={`probe-${row.probe}-${subject}`} data-value={run.value?.summary ?? ''} style={{ overflowWrap: 'anywhere' }}>
      <Stack gap={4}>
        {run.value ? <Text size="sm">{run.value.summary}</Text> : <Text size="sm" c={statusTextColors.error}>{run.error?.message ?? 'No value'}</Text>}
        {verdict && run.value && (
          <Badge size="sm" variant="light" color={verdictLook[verdict].color} styles={{ root: { color: 'var(--mantine-color-text)' } }}>
            {verdictLook[verdict].label}
          </Badge>
        )}
      </Stack>
    </Table.Td>
  );
}

function RunDetail({ run }: { run: ProbeRun }) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {subjectNames[run.subject]} · {run.via} · exit {run.exitCode} · {Math.round(run.durationMs)} ms
      </Text>
      {/* Long lines scroll sideways: focusable, so the keyboard can scroll them too. */}
      <Code block tabIndex={0} aria-label={`Command run in the ${subjectNames[run.subject]}`}>
        {run.command}
      </Code>
      <Code block tabIndex={0} aria-label={`Raw output in the ${subjectNames[run.subject]}`}>{(run.stdout + (run.stderr ? `\n${run.stderr}` : '')).trim() || '(no output)'}</Code>
    </Stack>
  );
}

export function ProbeTable({ probes }: { probes: ProbeState }) {
  const [open, setOpen] = useState<Set<string>>(new Set());
  const rows = probeRows(probes.subjects, probes.runs, probeIds);
  const has = { host: true, container: Boolean(probes.subjects?.container), vm: Boolean(probes.subjects?.vm?.via) };
  const toggle = (probe: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(probe)) next.delete(probe);
      else next.add(probe);
      return next;
    });
  return (
    <Table verticalSpacing="sm" layout="fixed" aria-label="Probe results" data-testid="probe-table" style={{ overflowWrap: 'anywhere' }}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={44}>
            <VisuallyHidden>Details</VisuallyHidden>
          </Table.Th>
          <Table.Th w="30%">Probe and what it shows</Table.Th>
          <Table.Th>Host</Table.Th>
          <Table.Th>Container</Table.Th>
          <Table.Th>VM</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => {
          const expanded = open.has(row.probe);
          return (
            <Fragment key={row.probe}>
              <Table.Tr data-testid="probe-row" data-probe={row.probe}>
                <Table.Td>
                  <Tooltip label={expanded ? 'Hide commands' : 'Show commands and raw output'}>
                    <ActionIcon variant="subtle" color="gray" aria-expanded={expanded} aria-label={`Commands and raw output of ${row.title}`} onClick={() => toggle(row.probe)} disabled={Object.keys(row.runs).length === 0}>
                      {expanded ? <IconChevronDown size={16} aria-hidden /> : <IconChevronRight size={16} aria-hidden />}
                    </ActionIcon>
                  </Tooltip>
                </Table.Td>
                <Table.Td>
                  <Stack gap={4}>
                    <Group gap={6}>
                      <Text size="sm" fw={600}>
                        {row.title}
                      </Text>
                      {row.claims.map((claim) => (
                        <Badge key={claim} size="xs" variant="outline" color="indigo" styles={{ root: { color: 'var(--mantine-color-text)' } }} title={`Claim ${claim}`}>
                          claim {claim}
                        </Badge>
                      ))}
                    </Group>
                    {row.explanation && (
                      <Text size="xs" c="dimmed" data-testid={`explanation-${row.probe}`}>
                        {row.explanation}
                      </Text>
                    )}
                  </Stack>
                </Table.Td>
                {(['host', 'container', 'vm'] as const).map((subject) => (
                  <ValueCell key={subject} row={row} subject={subject} expected={has[subject]} running={probes.running} />
                ))}
              </Table.Tr>
              {expanded && (
                <Table.Tr>
                  <Table.Td />
                  <Table.Td colSpan={4}>
                    <Stack gap="sm">
                      {Object.values(row.runs).map((run) => (
                        <RunDetail key={run.subject} run={run} />
                      ))}
                    </Stack>
                  </Table.Td>
                </Table.Tr>
              )}
            </Fragment>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
