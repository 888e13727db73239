// "SSH…" next to the Compare lab's VM: how the lab logs in to that VM over SSH (user, port, host, key) when neither
// its guest agent nor its serial console can run the probes; the button shows what is saved. Never imports node:*,
// electron or backend code.
import { Button, Code, NumberInput, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconKey } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { vmSshInputSchema, type VmSshConfig, type VmSshInput } from '@shared/vm-ssh-schemas';
import { rpc } from '../../api';
import { FormModal } from '../../components/FormModal';
import { useRpcMutation } from '../../hooks/use-rpc-mutation';

interface Vm {
  uri: string;
  name: string;
}

interface SshValues {
  user: string;
  /** A NumberInput's value: a number, or the text it holds while that is not one. */
  port: number | string;
  host: string;
  identityFile: string;
}

/** Empty optional fields are left out: no host means the VM's address, no key means ssh's own choice. */
function sshInput(values: SshValues): VmSshInput {
  return {
    user: values.user,
    port: typeof values.port === 'number' ? values.port : Number.NaN,
    ...(values.host.trim() ? { host: values.host } : {}),
    ...(values.identityFile.trim() ? { identityFile: values.identityFile } : {}),
  };
}

function describeSsh(config: VmSshConfig): string {
  return `${config.user}@${config.host ?? 'VM address'}${config.port === 22 ? '' : `:${config.port}`}`;
}

function VmSshDialog({ vm, saved, onClose }: { vm: Vm; saved: VmSshConfig | null; onClose(): void }) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['compare.vmSsh'] });
  const remove = useRpcMutation('compare.setVmSsh', () => `Could not remove the SSH settings of ${vm.name}`);
  const form = useForm<SshValues>({
    initialValues: { user: saved?.user ?? '', port: saved?.port ?? 22, host: saved?.host ?? '', identityFile: saved?.identityFile ?? '' },
    validateInputOnBlur: true,
    validate: (values) => {
      const errors: Record<string, string> = {};
      for (const issue of vmSshInputSchema.safeParse(sshInput(values)).error?.issues ?? []) errors[String(issue.path[0])] ??= issue.message;
      return errors;
    },
  });
  return (
    <FormModal
      title={`SSH into ${vm.name}`}
      submitLabel="Save"
      failureTitle="The SSH settings were not saved"
      onClose={onClose}
      check={() => !form.validate().hasErrors}
      action={async () => {
        await rpc.call('compare.setVmSsh', { vm, ssh: sshInput(form.getValues()) });
        await refresh();
      }}
    >
      <Text size="sm">
        The lab logs in over SSH when the VM&apos;s guest agent does not answer and its serial console cannot be used (another session holds it, or
        it shows no shell). It runs <Code>ssh -o BatchMode=yes</Code>: no password prompt, so the key must let the user in.
      </Text>
      <TextInput label="User" placeholder="root" withAsterisk {...form.getInputProps('user')} data-autofocus />
      <NumberInput label="Port" min={1} max={65535} allowDecimal={false} allowNegative={false} {...form.getInputProps('port')} />
      <TextInput label="Host" description="Empty: the VM's first IPv4 address known to libvirt (its DHCP lease)." placeholder="192.168.122.45" {...form.getInputProps('host')} />
      <TextInput
        label="Identity file"
        description="Full path of the private key. Empty: ssh's own keys and agent."
        placeholder="/home/you/.ssh/id_ed25519"
        {...form.getInputProps('identityFile')}
      />
      {saved && (
        <Button
          variant="subtle"
          color="red"
          size="compact-sm"
          loading={remove.isPending}
          onClick={() => remove.mutate({ vm, ssh: null }, { onSuccess: () => void refresh().then(onClose) })}
          style={{ alignSelf: 'flex-start' }}
        >
          Remove the SSH settings
        </Button>
      )}
    </FormModal>
  );
}

/** The "SSH…" button for the chosen VM (disabled without one), with what is saved for it. */
export function VmSshButton({ vm }: { vm: Vm | undefined }) {
  const [open, setOpen] = useState(false);
  const saved = useQuery({ queryKey: ['compare.vmSsh', { vm }], queryFn: () => rpc.call('compare.vmSsh', { vm: vm! }), enabled: vm !== undefined });
  const config = vm && saved.isSuccess ? saved.data : null;
  return (
    <>
      <Button
        variant="default"
        leftSection={<IconKey size={16} aria-hidden />}
        disabled={!vm || saved.isPending}
        title={vm ? undefined : 'Choose a VM first'}
        onClick={() => setOpen(true)}
      >
        {config ? `SSH: ${describeSsh(config)}…` : 'SSH…'}
      </Button>
      {open && vm && <VmSshDialog vm={vm} saved={config} onClose={() => setOpen(false)} />}
    </>
  );
}
