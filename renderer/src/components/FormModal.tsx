// A dialog around a small form (create, tag, confirm): its fields, the reason when the request failed, and
// Cancel and submit buttons; Enter in a text field submits. Never imports node:*, electron or backend code.
import { Button, Group, Modal, Stack } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { ErrorAlert } from './ErrorAlert';

export function FormModal({
  title,
  submitLabel,
  failureTitle,
  failure,
  pending,
  submitDisabled = false,
  submitColor,
  onSubmit,
  onClose,
  children,
}: {
  title: string;
  submitLabel: string;
  failureTitle: string;
  /** The last request's failure; null when there is none. */
  failure: unknown;
  pending: boolean;
  submitDisabled?: boolean;
  /** "red" for a destructive action; the primary colour otherwise. */
  submitColor?: string;
  /** Called with the form's submit event, whose default (a page load) is already prevented. */
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': 'Close dialog' }} title={title} centered>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit(event);
        }}
      >
        <Stack gap="md">
          {children}
          {failure !== null && <ErrorAlert title={failureTitle} error={failure} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color={submitColor} disabled={submitDisabled} loading={pending}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
