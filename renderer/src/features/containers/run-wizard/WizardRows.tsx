// The wizard's repeating rows: key/value pairs (env, labels), published ports and mounts, each row with
// labelled inputs, its own messages and a remove button. Never imports node:*, electron or backend code.
import { ActionIcon, Autocomplete, Button, Checkbox, Group, NativeSelect, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconPlus, IconX } from '@tabler/icons-react';
import { monoInput } from './mono-input';
import { newKeyValue, newMount, newPort, type WizardValues } from './wizard-values';

type Form = UseFormReturnType<WizardValues>;

function RemoveRow({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <ActionIcon variant="subtle" color="gray" aria-label={label} onClick={onClick} mt={4}>
      <IconX size={16} aria-hidden />
    </ActionIcon>
  );
}

function AddRow({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <Group>
      {/* Keeping focus on mousedown: a blur there would show a message above and move the button before mouseup. */}
      <Button variant="light" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onMouseDown={(event) => event.preventDefault()} onClick={onClick}>
        {label}
      </Button>
    </Group>
  );
}

export function KeyValueRows({ form, field, noun, keyPlaceholder }: { form: Form; field: 'env' | 'labels'; noun: string; keyPlaceholder: string }) {
  const rows = form.values[field];
  return (
    <Stack gap="xs">
      {rows.map((row, index) => (
        <Group key={row.rowId} align="flex-start" gap="xs" wrap="nowrap" data-testid={`${field}-row`}>
          <TextInput
            aria-label={`${noun} ${index + 1} name`}
            placeholder={keyPlaceholder}
            styles={monoInput}
            style={{ flex: 2 }}
            {...form.getInputProps(`${field}.${index}.key`)}
          />
          <Text mt={6} aria-hidden>
            =
          </Text>
          <TextInput aria-label={`${noun} ${index + 1} value`} placeholder="value" styles={monoInput} style={{ flex: 3 }} {...form.getInputProps(`${field}.${index}.value`)} />
          <RemoveRow label={`Remove ${noun.toLowerCase()} ${index + 1}`} onClick={() => form.removeListItem(field, index)} />
        </Group>
      ))}
      <AddRow label={`Add ${noun.toLowerCase()}`} onClick={() => form.insertListItem(field, newKeyValue())} />
    </Stack>
  );
}

export function PortRows({ form }: { form: Form }) {
  return (
    <Stack gap="xs">
      {form.values.ports.map((row, index) => (
        <Group key={row.rowId} align="flex-start" gap="xs" wrap="nowrap" data-testid="port-row">
          <TextInput label="Host IP" placeholder="all addresses" style={{ flex: 3 }} {...form.getInputProps(`ports.${index}.hostIp`)} />
          <NumberInput label="Host port" placeholder="any free" min={1} max={65535} allowDecimal={false} hideControls style={{ flex: 2 }} {...form.getInputProps(`ports.${index}.hostPort`)} />
          <NumberInput label="Container port" min={1} max={65535} allowDecimal={false} hideControls style={{ flex: 2 }} {...form.getInputProps(`ports.${index}.containerPort`)} />
          <NativeSelect label="Protocol" data={['tcp', 'udp', 'sctp']} style={{ flex: 1.5 }} {...form.getInputProps(`ports.${index}.protocol`)} />
          <Stack gap={0} pt={22}>
            <RemoveRow label={`Remove port ${index + 1}`} onClick={() => form.removeListItem('ports', index)} />
          </Stack>
        </Group>
      ))}
      <AddRow label="Publish a port" onClick={() => form.insertListItem('ports', newPort())} />
    </Stack>
  );
}

export function MountRows({ form, volumeNames }: { form: Form; volumeNames: string[] }) {
  return (
    <Stack gap="xs">
      {form.values.mounts.map((row, index) => (
        <Group key={row.rowId} align="flex-start" gap="xs" wrap="nowrap" data-testid="mount-row">
          <NativeSelect
            label="Kind"
            data={[
              { value: 'volume', label: 'Named volume' },
              { value: 'bind', label: 'Bind mount' },
            ]}
            w={160}
            {...form.getInputProps(`mounts.${index}.kind`)}
          />
          {row.kind === 'volume' ? (
            <Autocomplete label="Volume" placeholder="existing, or a new name" data={volumeNames} style={{ flex: 3 }} styles={monoInput} {...form.getInputProps(`mounts.${index}.source`)} />
          ) : (
            <TextInput label="Host path" placeholder="/home/me/data" style={{ flex: 3 }} styles={monoInput} {...form.getInputProps(`mounts.${index}.source`)} />
          )}
          <TextInput label="Path in container" placeholder="/data" style={{ flex: 3 }} styles={monoInput} {...form.getInputProps(`mounts.${index}.target`)} />
          <Checkbox label="Read-only" mt={32} {...form.getInputProps(`mounts.${index}.readOnly`, { type: 'checkbox' })} />
          <Stack gap={0} pt={22}>
            <RemoveRow label={`Remove mount ${index + 1}`} onClick={() => form.removeListItem('mounts', index)} />
          </Stack>
        </Group>
      ))}
      <AddRow label="Add a mount" onClick={() => form.insertListItem('mounts', newMount())} />
    </Stack>
  );
}
