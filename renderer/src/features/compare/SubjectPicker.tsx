// The Compare lab's subjects: a running container (or one launched from an image for the lab), a VM of the chosen
// libvirt connection, and the image the race and experiments start containers from; kept live from the engines'
// events. Never imports node:*, electron or backend code.
import { Button, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { IconPlayerPlay, IconRocket, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useRpcMutation } from '../../hooks/use-rpc-mutation';
import { useRpcQuery } from '../../hooks/use-rpc-query';
import { useSelectedConnection } from '../vms/selected-connection';
import { useVmChanges } from '../vms/use-vm-changes';
import { runProbes, select, useLab, cancelProbes } from './lab-store';
import { VmSshButton } from './VmSshDialog';

export function SubjectPicker() {
  const lab = useLab();
  const uri = useSelectedConnection();
  useVmChanges(uri);
  const queryClient = useQueryClient();
  const containers = useRpcQuery('containers.list', {});
  const images = useRpcQuery('images.list', {});
  const vms = useRpcQuery('vms.list', { uri });
  const launch = useRpcMutation('compare.launchContainer', ({ image }) => `Could not launch a lab container from ${image}`);
  const cleanup = useRpcMutation('compare.cleanup', () => 'Could not remove the lab containers');
  const startVm = useRpcMutation('vms.start', ({ name }) => `Could not start ${name}`);
  const { selection } = lab;

  const running = (containers.data ?? []).filter((container) => container.state === 'running');
  const imageTags = [...new Set((images.data ?? []).flatMap((image) => image.tags))].sort();
  const containerImage = running.find((container) => container.id === selection.container)?.image;
  const image = selection.image ?? containerImage ?? imageTags[0] ?? null;
  // What the Image field shows is what the race and the experiments use: store the default as the choice.
  useEffect(() => {
    if (image && selection.image !== image) select({ image });
  }, [image, selection.image]);
  const vmKey = selection.vm ? `${selection.vm.uri} ${selection.vm.name}` : null;
  const chosenVm = (vms.data ?? []).find((vm) => vm.name === selection.vm?.name && selection.vm.uri === uri);

  const launchFrom = (from: string) =>
    launch.mutate(
      { image: from },
      {
        onSuccess: (created) => {
          select({ container: created.id, image: from });
          void queryClient.invalidateQueries({ queryKey: ['containers.list'] });
        },
      },
    );

  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Subjects
        </Title>
        <Text size="sm" c="dimmed">
          The same probes run on this host, in the container and in the VM. Lab containers, the race and the experiments start containers from the image. A VM is reached through qemu-guest-agent, its serial console, or SSH (set it up with SSH…).
        </Text>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Select
            label="Container"
            placeholder={running.length === 0 ? 'No running container' : 'Choose a running container'}
            data={running.map((container) => ({ value: container.id, label: `${container.name} (${container.image})` }))}
            value={selection.container ?? null}
            onChange={(value) => select({ container: value ?? undefined })}
            clearable
            w={300}
          />
          <Select
            label="Image"
            placeholder="Choose an image"
            data={imageTags}
            value={image}
            onChange={(value) => select({ image: value ?? undefined })}
            searchable
            allowDeselect={false}
            w={240}
          />
          <Button variant="default" leftSection={<IconRocket size={16} aria-hidden />} disabled={!image} loading={launch.isPending} onClick={() => image && launchFrom(image)}>
            Launch lab container
          </Button>
          <Select
            label={`VM on ${uri}`}
            placeholder={vms.data?.length ? 'Choose a VM' : 'No VM on this connection'}
            data={(vms.data ?? []).map((vm) => ({ value: `${uri} ${vm.name}`, label: `${vm.name} (${vm.state}${vm.acceleration === 'tcg' ? ', emulated' : ''})` }))}
            value={vmKey}
            onChange={(value) => select({ vm: value ? { uri, name: value.slice(uri.length + 1) } : undefined })}
            clearable
            w={280}
          />
          <VmSshButton vm={selection.vm} />
          {chosenVm?.state === 'shutoff' && selection.vm && (
            <Button variant="default" leftSection={<IconPlayerPlay size={16} aria-hidden />} loading={startVm.isPending} onClick={() => selection.vm && startVm.mutate(selection.vm)}>
              Start {chosenVm.name}
            </Button>
          )}
        </Group>
        <Group gap="sm">
          {lab.probes.running ? (
            <Button color="gray" onClick={cancelProbes}>
              Cancel probes
            </Button>
          ) : (
            <Button leftSection={<IconPlayerPlay size={16} aria-hidden />} disabled={!selection.container && !selection.vm} onClick={runProbes}>
              Run probes
            </Button>
          )}
          <Button variant="subtle" color="gray" leftSection={<IconTrash size={16} aria-hidden />} loading={cleanup.isPending} onClick={() => cleanup.mutate({}, { onSuccess: () => select({ container: undefined }) })}>
            Remove lab containers
          </Button>
          {!selection.container && !selection.vm && (
            <Text size="sm" c="dimmed">
              Choose a container, a VM or both.
            </Text>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}
