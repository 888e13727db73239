// The domain XML as libvirt has it, read-only, with a copy button: the live definition while the VM runs, or the
// one for its next start. Never imports node:*, electron or backend code.
import { Button, Code, CopyButton, Group, ScrollArea, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useState } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { ReadingStatus } from '../../../components/ReadingStatus';
import { useRpcQuery } from '../../../hooks/use-rpc-query';

export function XmlTab({ uri, name, running }: { uri: string; name: string; running: boolean }) {
  const [which, setWhich] = useState<'live' | 'inactive'>('live');
  const xml = useRpcQuery('vms.xml', { uri, name, inactive: which === 'inactive' });
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <SegmentedControl
          aria-label="Which definition"
          value={which}
          onChange={(value) => setWhich(value as 'live' | 'inactive')}
          data={[
            { value: 'live', label: running ? 'Running now' : 'Current' },
            { value: 'inactive', label: 'Next start' },
          ]}
        />
        <CopyButton value={xml.data ?? ''}>
          {({ copied, copy }) => (
            <Button variant="default" size="xs" onClick={copy} disabled={!xml.data} leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}>
              {copied ? 'Copied' : 'Copy XML'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text size="sm" c="dimmed">
        Read-only. To change the definition, use virsh edit {name} or virt-manager; Isolab shows the change as soon as libvirt reports it.
      </Text>
      {xml.isPending && <ReadingStatus text="Reading the XML…" />}
      {xml.isError && <ErrorAlert title="Could not read the domain XML" error={xml.error} />}
      {xml.data && (
        <ScrollArea.Autosize mah="65vh" type="auto">
          <Code block data-testid="domain-xml" aria-label="Domain XML" tabIndex={0} style={{ whiteSpace: 'pre' }}>
            {xml.data}
          </Code>
        </ScrollArea.Autosize>
      )}
    </Stack>
  );
}
