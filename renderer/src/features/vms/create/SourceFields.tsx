// The wizard's source section: where the system comes from (installer ISO, cloud image + cloud-init, existing
// disk, kernel boot) and, where a new disk is made, its pool and size. Never imports node:*, electron or backend code.
import { Alert, Checkbox, Group, NumberInput, PasswordInput, SegmentedControl, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { VmCreateOptions } from '@shared/vm-create-types';
import { FixBlock } from '../../../components/FixBlock';
import { statusColors, statusTextColors } from '../../../theme';
import { monoInput } from '../../containers/run-wizard/mono-input';
import { poolSpace } from '../../storage/storage-format';
import { DefaultPoolOffer } from '../../storage/StoragePage';
import type { CreateValues, SourceKind } from './create-values';

type Form = UseFormReturnType<CreateValues>;

const sourceChoices: { value: SourceKind; label: string }[] = [
  { value: 'iso', label: 'Installer ISO' },
  { value: 'cloudImage', label: 'Cloud image' },
  { value: 'existingDisk', label: 'Existing disk' },
  { value: 'kernel', label: 'Kernel boot' },
];

const sourceHelp: Record<SourceKind, string> = {
  iso: 'Boots an installer from a CD-ROM, with a new empty disk to install onto.',
  cloudImage: 'A ready-made system disk (Debian, Ubuntu, Fedora cloud images), copied into a pool and set up on first boot by cloud-init.',
  existingDisk: 'A disk image that already has a system: copied into a pool, or used where it is.',
  kernel: 'QEMU loads a kernel and initrd directly, without a boot loader: for kernel work and tiny test systems.',
};

function PoolAndSize({ form, options, withSize }: { form: Form; options: VmCreateOptions | undefined; withSize: boolean }) {
  const pools = (options?.pools ?? []).filter((pool) => pool.state === 'running');
  return (
    <>
      {options && pools.length === 0 && <DefaultPoolOffer uri={options.uri} />}
      <Group grow align="flex-start">
      <Select
        label="Storage pool"
        description="Where the new volume goes."
        placeholder={pools.length === 0 ? 'No active pool: see Storage' : 'Choose a pool'}
        data={pools.map((pool) => ({ value: pool.name, label: `${pool.name} (${poolSpace(pool)})` }))}
        withAsterisk
        {...form.getInputProps('pool')}
      />
        {withSize && <NumberInput label="Disk size" description="GiB" min={1} max={65536} allowDecimal={false} withAsterisk {...form.getInputProps('diskGiB')} />}
      </Group>
    </>
  );
}

function CloudInitFields({ form, options }: { form: Form; options: VmCreateOptions | undefined }) {
  return (
    <Stack gap="sm">
      <Group grow align="flex-start">
        <SegmentedControl
          aria-label="Where the image comes from"
          data={[
            { value: 'url', label: 'Download from a URL' },
            { value: 'file', label: 'A file on this host' },
          ]}
          {...form.getInputProps('imageFrom')}
        />
      </Group>
      {form.values.imageFrom === 'url' ? (
        <TextInput label="Image URL" placeholder="https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-generic-amd64.qcow2" styles={monoInput} withAsterisk {...form.getInputProps('imageUrl')} />
      ) : (
        <TextInput label="Image file" placeholder="/var/lib/libvirt/images/debian-12-generic-amd64.qcow2" styles={monoInput} withAsterisk {...form.getInputProps('imagePath')} />
      )}
      <TextInput
        label="SHA-256"
        description={form.values.imageFrom === 'url' ? 'From the image’s SHA256SUMS: the download is checked against it.' : 'Optional: the file is checked against it.'}
        placeholder="64 hexadecimal digits"
        styles={monoInput}
        withAsterisk={form.values.imageFrom === 'url'}
        {...form.getInputProps('sha256')}
      />
      <PoolAndSize form={form} options={options} withSize />
      <Text size="sm" fw={600} mt="xs">
        cloud-init
      </Text>
      {options && !options.seedTool.available && options.seedTool.fix && (
        <Alert color={statusColors.warning} variant="light" title="The seed ISO cannot be built here" styles={{ title: { color: statusTextColors.warning } }}>
          <FixBlock fix={options.seedTool.fix} />
        </Alert>
      )}
      <Group grow align="flex-start">
        <TextInput label="Host name" placeholder="debian" withAsterisk {...form.getInputProps('hostname')} />
        <TextInput label="User" description="Gets sudo without a password." placeholder="me" withAsterisk {...form.getInputProps('user')} />
      </Group>
      <PasswordInput label="Password" description="Hashed (SHA-512) before it goes into the seed. A password, an SSH key, or both." {...form.getInputProps('password')} />
      <Textarea label="SSH public keys" description="One per line." placeholder="ssh-ed25519 AAAA… me@laptop" autosize minRows={2} styles={monoInput} {...form.getInputProps('sshKeys')} />
      <TextInput label="Packages to install" description="Separated by spaces." placeholder="qemu-guest-agent htop" styles={monoInput} {...form.getInputProps('packages')} />
    </Stack>
  );
}

export function SourceFields({ form, options }: { form: Form; options: VmCreateOptions | undefined }) {
  const kind = form.values.sourceKind;
  return (
    <Stack gap="md">
      <SegmentedControl aria-label="Source of the system" data={sourceChoices} fullWidth {...form.getInputProps('sourceKind')} />
      <Text size="sm" c="dimmed">
        {sourceHelp[kind]}
      </Text>
      {kind === 'iso' && (
        <>
          <TextInput label="ISO image" description="A path on the libvirt host." placeholder="/var/lib/libvirt/images/debian-12.5.0-amd64-netinst.iso" styles={monoInput} withAsterisk {...form.getInputProps('isoPath')} />
          <PoolAndSize form={form} options={options} withSize />
        </>
      )}
      {kind === 'cloudImage' && <CloudInitFields form={form} options={options} />}
      {kind === 'existingDisk' && (
        <>
          <TextInput label="Disk image" description="qcow2 or raw, on the libvirt host." placeholder="/srv/images/server.qcow2" styles={monoInput} withAsterisk {...form.getInputProps('diskPath')} />
          <SegmentedControl
            aria-label="What to do with the disk"
            data={[
              { value: 'import', label: 'Copy it into a pool' },
              { value: 'inPlace', label: 'Use it where it is' },
            ]}
            {...form.getInputProps('diskMode')}
          />
          {form.values.diskMode === 'import' ? (
            <PoolAndSize form={form} options={options} withSize={false} />
          ) : (
            <Text size="sm" c="dimmed">
              The file must be inside a storage pool, so libvirt manages it; the VM writes to it directly.
            </Text>
          )}
        </>
      )}
      {kind === 'kernel' && (
        <>
          <TextInput label="Kernel" placeholder="/boot/vmlinuz" styles={monoInput} withAsterisk {...form.getInputProps('kernelPath')} />
          <TextInput label="Initrd" description="Optional." placeholder="/boot/initrd.img" styles={monoInput} {...form.getInputProps('initrdPath')} />
          <TextInput label="Kernel command line" styles={monoInput} {...form.getInputProps('cmdline')} />
          <Checkbox label="Also create a disk" {...form.getInputProps('kernelDisk', { type: 'checkbox' })} />
          {form.values.kernelDisk && <PoolAndSize form={form} options={options} withSize />}
        </>
      )}
    </Stack>
  );
}
