// A confirmation for a destructive action: says what will happen, runs the action, and keeps the dialog open
// with the reason when it fails. Never imports node:*, electron or backend code.
import type { ReactNode } from 'react';
import { FormModal } from './FormModal';

export function ConfirmModal({
  title,
  children,
  confirmLabel,
  failureTitle,
  onConfirm,
  onClose,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  failureTitle: string;
  /** The action; the dialog closes when it resolves. */
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
}) {
  return (
    <FormModal title={title} submitLabel={confirmLabel} submitColor="red" failureTitle={failureTitle} onClose={onClose} action={onConfirm}>
      {children}
    </FormModal>
  );
}
