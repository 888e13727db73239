// "VM console…" on the Terminals page: the serial or graphical console of a VM named by its connection and name,
// for VMs that are not on a page of their own. Never imports node:*, electron or backend code.
import { SegmentedControl, Select, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { localUris, existingNameSchema } from '@shared/vm-schemas';
import { FormModal } from '../../components/FormModal';
import { openTerminal, openVncConsole } from './terminal-store';

export function OpenVmConsoleDialog({ onClose }: { onClose(): void }) {
  const form = useForm({
    initialValues: { uri: localUris[0] as string, name: '', kind: 'serial' },
    validate: { name: (value) => existingNameSchema.safeParse(value).error?.issues[0]?.message ?? null },
  });
  const submit = form.onSubmit((values) => {
    if (values.kind === 'serial') openTerminal({ kind: 'vm-serial', uri: values.uri, name: values.name });
    else void openVncConsole(values.uri, values.name);
    onClose();
  });
  return (
    <FormModal title="Open a VM console" submitLabel="Open console" failureTitle="" failure={null} pending={false} onSubmit={submit} onClose={onClose}>
      <Select label="Connection" data={[...localUris]} allowDeselect={false} {...form.getInputProps('uri')} />
      <TextInput label="VM name" placeholder="debian-12" {...form.getInputProps('name')} data-autofocus />
      <SegmentedControl
        aria-label="Console"
        data={[
          { value: 'serial', label: 'Serial console' },
          { value: 'graphical', label: 'Graphical (VNC)' },
        ]}
        {...form.getInputProps('kind')}
      />
    </FormModal>
  );
}
