// A dialog around a small form (create, tag, confirm): its fields, the reason when the request failed, and
// Cancel and submit buttons; Enter in a text field submits. Never imports node:*, electron or backend code.
import { Button, Group, Modal, Stack } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { useSubmission } from '../hooks/use-submission';
import { ErrorAlert } from './ErrorAlert';

/** Either the caller runs the request (and says how it went), or the dialog runs `action` itself. */
type Submitting =
  | {
      /** The last request's failure; null when there is none. */
      failure: unknown;
      pending: boolean;
      /** Called with the form's submit event, whose default (a page load) is already prevented. */
      onSubmit: (event: FormEvent<HTMLFormElement>) => void;
      action?: undefined;
      check?: undefined;
    }
  | {
      /** The request: shown as running, its failure kept on screen, and the dialog closes when it resolves. */
      action: () => Promise<unknown>;
      /** Called first on submit (to show the fields' messages); false sends nothing. */
      check?: () => boolean;
      failure?: undefined;
      pending?: undefined;
      onSubmit?: undefined;
    };

export function FormModal({
  title,
  submitLabel,
  failureTitle,
  submitDisabled = false,
  submitColor,
  onClose,
  children,
  ...submitting
}: {
  title: string;
  submitLabel: string;
  failureTitle: string;
  submitDisabled?: boolean;
  /** "red" for a destructive action; the primary colour otherwise. */
  submitColor?: string;
  onClose: () => void;
  children: ReactNode;
} & Submitting) {
  const own = useSubmission();
  const { action, check } = submitting;
  const failure = action ? own.failure : submitting.failure;
  const pending = action ? own.pending : submitting.pending;
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': 'Close dialog' }} title={title} centered>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!action) {
            submitting.onSubmit(event);
            return;
          }
          if (check && !check()) return;
          void own.submit(async () => {
            await action();
            onClose();
          });
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
