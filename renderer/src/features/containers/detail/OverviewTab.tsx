// A container's configuration at a glance, from inspect: command, entrypoint, environment, mounts, ports,
// networks, labels, restart policy and limits. Never imports node:*, electron or backend code.
import { Anchor, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { quote } from 'shell-quote';
import type { ContainerDetail } from '@shared/docker-types';
import { FactList } from '../../../components/FactList';
import { formatBytes, formatDateTime, portViews } from '../../docker/format';

const none = '—';

function command(parts: string[]): string {
  return parts.length === 0 ? none : quote(parts);
}

function engineTime(value: string | undefined): string {
  // The engine writes 0001-01-01T00:00:00Z for "never".
  if (!value || value.startsWith('0001-')) return none;
  return new Date(value).toLocaleString();
}

function limits(detail: ContainerDetail): [string, string][] {
  const { nanoCpus, memoryBytes, pidsLimit } = detail.limits;
  return [
    ['CPU limit', nanoCpus > 0 ? `${nanoCpus / 1e9} CPUs` : 'none'],
    ['Memory limit', memoryBytes > 0 ? formatBytes(memoryBytes) : 'none'],
    ['Process limit', pidsLimit && pidsLimit > 0 ? String(pidsLimit) : 'none'],
  ];
}

function Section({ title, empty, head, body }: { title: string; empty: string; head: string[]; body: ReactNode[][] }) {
  return (
    <Stack gap="xs" component="section" aria-label={title}>
      <Title order={3} size="h5">
        {title}
      </Title>
      {body.length === 0 ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={500}>
          <Table striped fz="sm" layout="fixed" style={{ wordBreak: 'break-all' }} data={{ head, body }} />
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

export function OverviewTab({ detail }: { detail: ContainerDetail }) {
  const restart = detail.restartPolicy.name || 'no';
  return (
    <Stack gap="lg">
      <FactList
        facts={[
          ['Id', detail.id],
          ['Image', detail.image],
          ['Command', command([...detail.entrypoint, ...detail.cmd])],
          ['Entrypoint', command(detail.entrypoint)],
          ['Arguments (CMD)', command(detail.cmd)],
          ['Working directory', detail.workingDir || '/'],
          ['User', detail.user || 'root (image default)'],
          ['Hostname', detail.hostname],
          ['Created', formatDateTime(detail.created)],
          ['Started', engineTime(detail.startedAt)],
          ['Finished', engineTime(detail.finishedAt)],
          ['Exit code', detail.state === 'running' || detail.exitCode === undefined ? none : `${detail.exitCode}${detail.oomKilled ? ' (killed: out of memory)' : ''}`],
          ['Main process', detail.pid > 0 ? `pid ${detail.pid} on the host` : none],
          ['Restart policy', restart === 'on-failure' ? `on-failure, at most ${detail.restartPolicy.maximumRetryCount || 'unlimited'} retries` : restart],
          ['Remove when stopped', detail.autoRemove ? 'yes' : 'no'],
          ['TTY / stdin open', `${detail.tty ? 'yes' : 'no'} / ${detail.openStdin ? 'yes' : 'no'}`],
          ...limits(detail),
        ]}
      />
      <Section
        title="Ports"
        empty="No ports exposed or published."
        head={['Port', 'Open']}
        body={portViews(detail.ports).map((view) => [
          view.text,
          view.url ? (
            <Anchor key={view.key} href={view.url} target="_blank" rel="noreferrer" size="sm">
              {view.url}
            </Anchor>
          ) : (
            'not published'
          ),
        ])}
      />
      <Section
        title="Environment"
        empty="No environment variables."
        head={['Name', 'Value']}
        body={detail.env.map((entry) => {
          const cut = entry.indexOf('=');
          return cut === -1 ? [entry, ''] : [entry.slice(0, cut), entry.slice(cut + 1)];
        })}
      />
      <Section
        title="Mounts"
        empty="No volumes or bind mounts."
        head={['Type', 'Source', 'Path in the container', 'Access']}
        body={detail.mounts.map((mount) => [mount.type, mount.source, mount.target, mount.readOnly ? 'read-only' : 'read-write'])}
      />
      <Section
        title="Networks"
        empty="Not attached to a network."
        head={['Network', 'IP address', 'Gateway', 'MAC address', 'Aliases']}
        body={detail.networkSettings.map((network) => [
          network.name,
          network.ipAddress || none,
          network.gateway || none,
          network.macAddress || none,
          network.aliases.join(', ') || none,
        ])}
      />
      <Section title="Labels" empty="No labels." head={['Label', 'Value']} body={Object.entries(detail.labels).map(([key, value]) => [key, value])} />
    </Stack>
  );
}
