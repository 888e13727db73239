// "Open shell" for a container: a row icon or a header button (with "Shell options…" for the command, user and
// working folder), and "Attach" for containers started with a TTY. Never imports node:*, electron or backend code.
import { ActionIcon, Button, Group, Menu, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconChevronDown, IconPlugConnected, IconTerminal2 } from '@tabler/icons-react';
import { useState } from 'react';
import { splitCommandLine } from '@shared/docker-run-command';
import { execUserSchema } from '@shared/terminal-api';
import { FormModal } from '../../components/FormModal';
import { useOpenTerminal } from './use-open-terminal';

interface ShellTarget {
  id: string;
  name: string;
  /** Only a running container has anything to open a shell in. */
  running: boolean;
  /** Started with a TTY: its main process can be attached to. */
  tty?: boolean;
}

function ShellOptions({ container, onClose }: { container: ShellTarget; onClose(): void }) {
  const open = useOpenTerminal();
  const form = useForm({
    initialValues: { command: '', user: '', workdir: '' },
    validate: {
      command: (value) => {
        if (!value.trim()) return null;
        const split = splitCommandLine(value);
        return split.ok ? null : split.message;
      },
      user: (value) => (!value || execUserSchema.safeParse(value).success ? null : 'Use user, uid, user:group or uid:gid.'),
      workdir: (value) => (!value || value.startsWith('/') ? null : 'The working directory is an absolute path.'),
    },
  });
  const submit = form.onSubmit((values) => {
    const split = values.command.trim() ? splitCommandLine(values.command) : undefined;
    open.terminal({
      kind: 'container-exec',
      id: container.id,
      ...(split?.ok ? { command: split.args } : {}),
      ...(values.user ? { user: values.user } : {}),
      ...(values.workdir ? { workdir: values.workdir } : {}),
    });
    onClose();
  });
  return (
    <FormModal title={`Open a shell in ${container.name}`} submitLabel="Open shell" failureTitle="" failure={null} pending={false} onSubmit={submit} onClose={onClose}>
      <TextInput label="Command" description="Empty: the first of bash and sh that the container has." placeholder="bash" {...form.getInputProps('command')} data-autofocus />
      <TextInput label="User" description="Empty: the container's own user." placeholder="root, 1000 or 1000:1000" {...form.getInputProps('user')} />
      <TextInput label="Working folder" description="Empty: the container's own." placeholder="/" {...form.getInputProps('workdir')} />
    </FormModal>
  );
}

export function OpenShellButton({ container, layout }: { container: ShellTarget; layout: 'row' | 'header' }) {
  const open = useOpenTerminal();
  const [options, setOptions] = useState(false);
  const shell = () => open.terminal({ kind: 'container-exec', id: container.id });
  const why = container.running ? undefined : 'Start the container to open a shell in it';

  if (layout === 'row') {
    return (
      <ActionIcon variant="subtle" color="gray" aria-label={`Open a shell in ${container.name}`} title={why ?? 'Open a shell'} disabled={!container.running} onClick={shell}>
        <IconTerminal2 size={18} aria-hidden />
      </ActionIcon>
    );
  }
  return (
    <>
      <Group gap={0} wrap="nowrap">
        <Button
          variant="default"
          leftSection={<IconTerminal2 size={16} aria-hidden />}
          disabled={!container.running}
          title={why}
          onClick={shell}
          style={{ borderTopRightRadius: 0, borderBottomRightRadius: 0 }}
        >
          Open shell
        </Button>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <ActionIcon
              size={36}
              variant="default"
              aria-label={`More ways to open a terminal in ${container.name}`}
              disabled={!container.running}
              style={{ borderTopLeftRadius: 0, borderBottomLeftRadius: 0, borderLeft: 0 }}
            >
              <IconChevronDown size={16} aria-hidden />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item leftSection={<IconTerminal2 size={16} aria-hidden />} onClick={() => setOptions(true)}>
              Shell with options…
            </Menu.Item>
            <Menu.Item
              leftSection={<IconPlugConnected size={16} aria-hidden />}
              disabled={!container.tty}
              title={container.tty ? undefined : 'Only a container started with a terminal (-t) can be attached to'}
              onClick={() => open.terminal({ kind: 'container-attach', id: container.id })}
            >
              Attach to the main process
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Group>
      {options && <ShellOptions container={container} onClose={() => setOptions(false)} />}
    </>
  );
}
