// The Storage page's dialogs: create a directory pool, delete a pool (optionally its empty folder), create,
// resize and delete a volume; each checks its fields as typed and keeps libvirt's reason on screen when it fails.
// Never imports node:*, electron or backend code.
import { Checkbox, NativeSelect, NumberInput, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { hostPathSchema, newPoolNameSchema, newVolumeNameSchema } from '@shared/storage-schemas';
import type { StoragePool, StorageVolume } from '@shared/storage-types';
import { ConfirmModal } from '../../components/ConfirmModal';
import { FormModal } from '../../components/FormModal';
import { rpc } from '../../api';
import { formatBytes } from '../docker/format';
import { monoInput } from '../containers/run-wizard/mono-input';
import { GiB } from './storage-format';

/** Re-reads the pool list (sizes change with volumes) and, when given, that pool's volumes. */
function useStorageRefresh(uri: string) {
  const queryClient = useQueryClient();
  return (pool?: string) => {
    void queryClient.invalidateQueries({ queryKey: ['storage.pools', { uri }] });
    if (pool) void queryClient.invalidateQueries({ queryKey: ['storage.volumes', { uri, pool }] });
  };
}

function messageOf(result: { success: boolean; error?: { issues: { message: string }[] } }): string | undefined {
  return result.success ? undefined : result.error?.issues[0]?.message;
}

export function CreatePoolModal({ uri, onClose }: { uri: string; onClose: () => void }) {
  const refresh = useStorageRefresh(uri);
  const [name, setName] = useState('');
  const [path, setPath] = useState('');
  const [touched, setTouched] = useState(false);
  const nameError = messageOf(newPoolNameSchema.safeParse(name));
  const pathError = messageOf(hostPathSchema.safeParse(path));
  return (
    <FormModal
      title="Create storage pool"
      submitLabel="Create"
      failureTitle="libvirt did not create the pool"
      onClose={onClose}
      check={() => {
        setTouched(true);
        return !(nameError || pathError);
      }}
      action={async () => {
        await rpc.call('storage.createPool', { uri, name, path });
        refresh();
      }}
    >
      <Text size="sm">A directory pool: libvirt keeps each volume as a file in the folder, creates the folder, and starts the pool with the host.</Text>
      <TextInput label="Name" value={name} onChange={(event) => setName(event.currentTarget.value)} error={touched ? nameError : undefined} data-autofocus />
      <TextInput
        label="Folder"
        description="An absolute path on the libvirt host. QEMU must be able to enter it: avoid home folders for qemu:///system."
        placeholder="/var/lib/libvirt/images"
        styles={monoInput}
        value={path}
        onChange={(event) => setPath(event.currentTarget.value)}
        error={touched ? pathError : undefined}
      />
    </FormModal>
  );
}

export function DeletePoolModal({ uri, pool, onClose }: { uri: string; pool: StoragePool; onClose: () => void }) {
  const refresh = useStorageRefresh(uri);
  const [deleteFolder, setDeleteFolder] = useState(false);
  return (
    <ConfirmModal
      title="Delete storage pool"
      confirmLabel="Delete pool"
      failureTitle="libvirt did not delete the pool"
      onClose={onClose}
      onConfirm={async () => {
        await rpc.call('storage.deletePool', { uri, pool: pool.name, deleteFolder });
        refresh();
      }}
    >
      <Text size="sm">
        Stop and forget the pool <strong>{pool.name}</strong>? Its volumes stay on disk{pool.path ? ` in ${pool.path}` : ''}; VMs that use them keep working.
      </Text>
      <Checkbox checked={deleteFolder} onChange={(event) => setDeleteFolder(event.currentTarget.checked)} label="Also delete the folder" description="Only when it is empty: a folder with files is kept." />
    </ConfirmModal>
  );
}

function SizeInput({ label, value, onChange, error, min }: { label: string; value: number | string; onChange: (value: number | string) => void; error?: string; min: number }) {
  return <NumberInput label={label} description="GiB" min={min} max={65536} decimalScale={2} value={value} onChange={onChange} error={error} />;
}

function sizeError(value: number | string, min: number): string | undefined {
  if (typeof value !== 'number') return 'Give a size in GiB.';
  if (value * GiB < min) return `Use at least ${formatBytes(min)}.`;
  return value > 65536 ? 'At most 65536 GiB.' : undefined;
}

export function CreateVolumeModal({ uri, pool, onClose }: { uri: string; pool: string; onClose: () => void }) {
  const refresh = useStorageRefresh(uri);
  const [name, setName] = useState('');
  const [sizeGiB, setSizeGiB] = useState<number | string>(10);
  const [format, setFormat] = useState<'qcow2' | 'raw'>('qcow2');
  const [touched, setTouched] = useState(false);
  const nameError = messageOf(newVolumeNameSchema.safeParse(name));
  const sizeProblem = sizeError(sizeGiB, 1024 * 1024);
  return (
    <FormModal
      title={`Create volume in ${pool}`}
      submitLabel="Create"
      failureTitle="libvirt did not create the volume"
      onClose={onClose}
      check={() => {
        setTouched(true);
        return !(nameError || sizeProblem);
      }}
      action={async () => {
        await rpc.call('storage.createVolume', { uri, pool, name, capacityBytes: Math.round(Number(sizeGiB) * GiB), format });
        refresh(pool);
      }}
    >
      <TextInput label="Name" placeholder="data.qcow2" styles={monoInput} value={name} onChange={(event) => setName(event.currentTarget.value)} error={touched ? nameError : undefined} data-autofocus />
      <SizeInput label="Size" value={sizeGiB} onChange={setSizeGiB} error={touched ? sizeProblem : undefined} min={0.01} />
      <NativeSelect
        label="Format"
        description="qcow2 grows as it fills and can take snapshots; raw is a plain (sparse) file."
        data={['qcow2', 'raw']}
        value={format}
        onChange={(event) => setFormat(event.currentTarget.value as 'qcow2' | 'raw')}
      />
    </FormModal>
  );
}

export function ResizeVolumeModal({ uri, pool, volume, onClose }: { uri: string; pool: string; volume: StorageVolume; onClose: () => void }) {
  const refresh = useStorageRefresh(uri);
  const [sizeGiB, setSizeGiB] = useState<number | string>(Math.ceil(volume.capacityBytes / GiB));
  const [touched, setTouched] = useState(false);
  const tooSmall = typeof sizeGiB === 'number' && sizeGiB * GiB < volume.capacityBytes ? `It is ${formatBytes(volume.capacityBytes)} now; volumes only grow.` : undefined;
  const problem = sizeError(sizeGiB, 1024 * 1024) ?? tooSmall;
  return (
    <FormModal
      title={`Resize ${volume.name}`}
      submitLabel="Resize"
      failureTitle="libvirt did not resize the volume"
      onClose={onClose}
      check={() => {
        setTouched(true);
        return !(problem);
      }}
      action={async () => {
        await rpc.call('storage.resizeVolume', { uri, pool, volume: volume.name, capacityBytes: Math.round(Number(sizeGiB) * GiB) });
        refresh(pool);
      }}
    >
      <Text size="sm">The guest sees a bigger disk; grow its partition and file system inside the guest afterwards.</Text>
      <SizeInput label="New size" value={sizeGiB} onChange={setSizeGiB} error={touched ? problem : undefined} min={volume.capacityBytes / GiB} />
    </FormModal>
  );
}

export function DeleteVolumeModal({ uri, pool, volume, onClose }: { uri: string; pool: string; volume: StorageVolume; onClose: () => void }) {
  const refresh = useStorageRefresh(uri);
  return (
    <ConfirmModal
      title="Delete volume"
      confirmLabel="Delete volume"
      failureTitle="libvirt did not delete the volume"
      onClose={onClose}
      onConfirm={async () => {
        await rpc.call('storage.deleteVolume', { uri, pool, volume: volume.name });
        refresh(pool);
      }}
    >
      <Text size="sm">
        Delete <strong>{volume.name}</strong> ({formatBytes(volume.capacityBytes)}) and everything on it? A VM that uses it will not start any more. This cannot be undone.
      </Text>
    </ConfirmModal>
  );
}
