// The questions VM actions ask first: delete (which disks go with it; none is deleted unless ticked), clone (the
// new name, checked as typed) and force off when the guest ignored the power button. One set of dialogs per page,
// opened from any row or the detail header. Never imports node:*, electron or backend code.
import { Checkbox, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import type { VmDisk, VmSummary } from '@shared/vm-types';
import { newVmNameSchema } from '@shared/vm-schemas';
import { rpc } from '../../api';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormModal } from '../../components/FormModal';
import { ReadingStatus } from '../../components/ReadingStatus';
import { useRpcQuery } from '../../hooks/use-rpc-query';
import { useSubmission } from '../../hooks/use-submission';
import { formatBytes } from '../docker/format';

export type VmTarget = Pick<VmSummary, 'name' | 'state'> & { uri: string };

type Dialog =
  | { kind: 'delete'; target: VmTarget; onDeleted?: () => void }
  | { kind: 'clone'; target: VmTarget }
  | { kind: 'force-off'; target: VmTarget; waitedMs: number };

interface DialogOpeners {
  remove(target: VmTarget, onDeleted?: () => void): void;
  clone(target: VmTarget): void;
  forceOff(target: VmTarget, waitedMs: number): void;
}

const DialogContext = createContext<DialogOpeners | null>(null);

export function useVmDialogs(): DialogOpeners {
  const openers = useContext(DialogContext);
  if (!openers) throw new Error('useVmDialogs needs a VmDialogs around it.');
  return openers;
}

/** A finished action, said in a notification that is readable (full-contrast text) and closable by name. */
function notifyDone(title: string, message: string): void {
  notifications.show({ title, message, closeButtonProps: { 'aria-label': 'Close notification' }, styles: { description: { color: 'var(--mantine-color-text)' } } });
}

/** Disks that are the VM's own by default: writable, not shared, not a CD-ROM. */
function ownDisk(disk: VmDisk): boolean {
  return disk.device === 'disk' && !disk.readOnly && !disk.shareable && disk.source !== undefined;
}

function deletable(disk: VmDisk): boolean {
  return disk.source !== undefined && (disk.sourceType === 'file' || disk.sourceType === 'volume');
}

function DeleteDialog({ target, onDeleted, onClose }: { target: VmTarget; onDeleted?: () => void; onClose: () => void }) {
  const detail = useRpcQuery('vms.detail', { uri: target.uri, name: target.name });
  const [chosen, setChosen] = useState<ReadonlySet<string> | undefined>(undefined);
  const disks = detail.data?.disks ?? [];
  const ticked = chosen ?? new Set(disks.filter((disk) => ownDisk(disk) && deletable(disk)).map((disk) => disk.target));
  const running = target.state !== 'shutoff';
  return (
    <ConfirmModal
      title={`Delete ${target.name}?`}
      confirmLabel={ticked.size > 0 ? `Delete VM and ${ticked.size} ${ticked.size === 1 ? 'disk' : 'disks'}` : 'Delete VM, keep disks'}
      failureTitle={`Could not delete ${target.name}`}
      onClose={onClose}
      onConfirm={async () => {
        const result = await rpc.call('vms.delete', { uri: target.uri, name: target.name, disks: [...ticked] });
        notifyDone(`${target.name} deleted`, result.deletedDisks.length > 0 ? `Deleted ${result.deletedDisks.join(', ')}.` : 'Its disks were kept.');
        onDeleted?.();
      }}
    >
      <Text size="sm">
        The definition of <strong>{target.name}</strong> goes, with its snapshots{detail.data?.firmware === 'uefi' ? ' and its UEFI variables' : ''}.
        {running && ' It is running: it will be forced off first.'}
      </Text>
      {detail.isPending && <ReadingStatus text="Reading its disks…" size="xs" />}
      {detail.isError && <ErrorAlert title="Could not read its disks" error={detail.error} />}
      {disks.length > 0 && (
        <Stack gap="xs" role="group" aria-label="Disks to delete">
          <Text size="sm" fw={600}>
            Delete these disks too (only the ticked ones are deleted):
          </Text>
          {disks.map((disk) => (
            <Checkbox
              key={disk.target}
              checked={ticked.has(disk.target)}
              disabled={!deletable(disk)}
              onChange={(event) => {
                const next = new Set(ticked);
                if (event.currentTarget.checked) next.add(disk.target);
                else next.delete(disk.target);
                setChosen(next);
              }}
              label={`${disk.target} (${disk.device}${disk.capacityBytes ? `, ${formatBytes(disk.capacityBytes)}` : ''}): ${disk.source ?? 'empty'}`}
              description={
                !deletable(disk)
                  ? disk.source
                    ? `A ${disk.sourceType} device: Isolab does not delete it.`
                    : 'Nothing inserted.'
                  : disk.shareable
                    ? 'Shared: other VMs may use it.'
                    : disk.readOnly
                      ? 'Read-only: often an installer image other VMs use too.'
                      : undefined
              }
            />
          ))}
        </Stack>
      )}
    </ConfirmModal>
  );
}

function CloneDialog({ target, onClose }: { target: VmTarget; onClose: () => void }) {
  const [name, setName] = useState(`${target.name}-clone`);
  const { pending, failure, submit } = useSubmission();
  const checked = newVmNameSchema.safeParse(name);
  const off = target.state === 'shutoff';
  return (
    <FormModal
      title={`Clone ${target.name}`}
      submitLabel="Clone"
      failureTitle={`Could not clone ${target.name}`}
      failure={failure}
      pending={pending}
      submitDisabled={!checked.success || !off}
      onClose={onClose}
      onSubmit={() =>
        void submit(async () => {
          const result = await rpc.call('vms.clone', { uri: target.uri, name: target.name, newName: name.trim() });
          notifyDone(`${result.name} created`, result.disks.length > 0 ? `Disks copied to ${result.disks.join(', ')}.` : 'It has no disks of its own.');
          onClose();
        })
      }
    >
      <Text size="sm">
        A copy with its own disks (copied beside the originals), a new UUID and new MAC addresses. CD-ROMs and shared disks are used as they are.
        {pending && ' Copying the disks can take a while.'}
      </Text>
      {!off && (
        <Text size="sm" c="var(--mantine-color-error)">
          {target.name} is not shut off: shut it down first, so its disks are consistent.
        </Text>
      )}
      <TextInput
        label="Name of the copy"
        value={name}
        onChange={(event) => setName(event.currentTarget.value)}
        error={name !== '' && !checked.success ? checked.error.issues[0]?.message : undefined}
        data-autofocus
        required
      />
    </FormModal>
  );
}

function ForceOffDialog({ target, waitedMs, onClose }: { target: VmTarget; waitedMs: number; onClose: () => void }) {
  return (
    <ConfirmModal
      title={`${target.name} did not shut down`}
      confirmLabel="Force off"
      failureTitle={`Could not force ${target.name} off`}
      onClose={onClose}
      onConfirm={() => rpc.call('vms.destroy', { uri: target.uri, name: target.name })}
    >
      <Text size="sm">
        The guest did not react to the ACPI power button within {Math.round(waitedMs / 1000)} s: it may still be booting, or have nothing that handles the button.
      </Text>
      <Text size="sm">Force it off? That is like pulling the plug: whatever the guest has not written to disk is lost.</Text>
    </ConfirmModal>
  );
}

export function VmDialogs({ children }: { children: ReactNode }) {
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const openers = useMemo<DialogOpeners>(
    () => ({
      remove: (target, onDeleted) => setDialog({ kind: 'delete', target, ...(onDeleted ? { onDeleted } : {}) }),
      clone: (target) => setDialog({ kind: 'clone', target }),
      forceOff: (target, waitedMs) => setDialog({ kind: 'force-off', target, waitedMs }),
    }),
    [],
  );
  const close = () => setDialog(null);
  return (
    <DialogContext.Provider value={openers}>
      {children}
      {dialog?.kind === 'delete' && <DeleteDialog target={dialog.target} {...(dialog.onDeleted ? { onDeleted: dialog.onDeleted } : {})} onClose={close} />}
      {dialog?.kind === 'clone' && <CloneDialog target={dialog.target} onClose={close} />}
      {dialog?.kind === 'force-off' && <ForceOffDialog target={dialog.target} waitedMs={dialog.waitedMs} onClose={close} />}
    </DialogContext.Provider>
  );
}
