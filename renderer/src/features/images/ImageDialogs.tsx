// The images page's dialogs: pull (with per-layer progress and cancel), tag (checked as typed), remove (one
// name or the whole image, force when in use). Never imports node:*, electron or backend code.
import { Button, Checkbox, Group, Modal, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { pullReferenceSchema } from '@shared/docker-schemas';
import type { ImageSummary } from '@shared/docker-types';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormModal } from '../../components/FormModal';
import { rpc } from '../../api';
import { PullProgressView } from './PullProgressView';
import { shortId } from './short-id';
import { useImagePull } from './use-image-pull';

function referenceError(text: string): string | undefined {
  const checked = pullReferenceSchema.safeParse(text);
  return checked.success ? undefined : checked.error.issues[0]?.message;
}

export function PullModal({ onClose }: { onClose: () => void }) {
  const [reference, setReference] = useState('');
  const [touched, setTouched] = useState(false);
  const pull = useImagePull();
  const error = referenceError(reference);
  const { state } = pull;
  const busy = state.phase === 'pulling';
  const close = () => {
    pull.cancel();
    onClose();
  };
  return (
    <Modal opened onClose={close} closeButtonProps={{ 'aria-label': 'Close dialog' }} title="Pull an image" centered size="lg">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setTouched(true);
          if (!error) pull.start(reference.trim());
        }}
      >
        <Stack gap="md">
          <TextInput
            label="Image reference"
            description="[registry[:port]/]name[:tag][@digest]; without a tag, latest."
            placeholder="alpine:3.20"
            value={reference}
            onChange={(event) => setReference(event.currentTarget.value)}
            onBlur={() => setTouched(true)}
            error={touched ? error : undefined}
            disabled={busy}
            data-autofocus
          />
          {state.phase !== 'idle' && <PullProgressView reference={state.reference} progress={state.progress} />}
          {state.phase === 'failed' && <ErrorAlert title={`Pulling ${state.reference} failed`} error={state.error} />}
          {state.phase === 'cancelled' && (
            <Text size="sm" role="status">
              Pull cancelled.
            </Text>
          )}
          {state.phase === 'done' && (
            <Text size="sm" role="status" c="var(--isolab-status-ok)" fw={500}>
              {state.reference} is on this engine now.
            </Text>
          )}
          <Group justify="flex-end">
            {busy ? (
              <Button variant="default" onClick={pull.cancel}>
                Cancel pull
              </Button>
            ) : (
              <Button variant="default" onClick={close}>
                {state.phase === 'done' ? 'Close' : 'Cancel'}
              </Button>
            )}
            {state.phase !== 'done' && (
              <Button type="submit" loading={busy}>
                Pull
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function TagModal({ image, onClose }: { image: ImageSummary; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [target, setTarget] = useState(image.tags[0] ?? '');
  const error = image.tags.includes(target.trim()) ? 'The image already has this name.' : referenceError(target);
  const current = image.tags.length > 0 ? image.tags.join(', ') : shortId(image.id);
  return (
    <FormModal
      title="Tag image"
      submitLabel="Tag"
      failureTitle="Tagging failed"
      submitDisabled={Boolean(error)}
      onClose={onClose}
      check={() => !error}
      action={async () => {
        await rpc.call('images.tag', { id: image.id, target: target.trim() });
        void queryClient.invalidateQueries({ queryKey: ['images.list'] });
      }}
    >
      <Text size="sm">
        Give <strong>{current}</strong> another name.
      </Text>
      <TextInput
        label="New name"
        description="repository[:tag], for example 127.0.0.1:5000/team/app:1.0"
        value={target}
        onChange={(event) => setTarget(event.currentTarget.value)}
        error={target === '' ? undefined : error}
        data-autofocus
      />
    </FormModal>
  );
}

const wholeImage = '';

export function RemoveImageModal({ image, onClose }: { image: ImageSummary; onClose: () => void }) {
  const queryClient = useQueryClient();
  // With several names, removing one name only untags; the image itself goes with the last name.
  const [which, setWhich] = useState(image.tags.length > 1 ? (image.tags[0] ?? wholeImage) : wholeImage);
  const [force, setForce] = useState(image.containers > 0 || image.tags.length > 1);
  const target = which === wholeImage ? (image.tags.length === 1 ? (image.tags[0] ?? image.id) : image.id) : which;
  const label = image.tags.length > 0 ? image.tags.join(', ') : `${shortId(image.id)} (dangling)`;
  return (
    <ConfirmModal
      title="Remove image"
      confirmLabel={which === wholeImage ? 'Remove image' : 'Remove name'}
      failureTitle="The engine did not remove the image"
      onClose={onClose}
      onConfirm={async () => {
        await rpc.call('images.remove', { id: target, force: which === wholeImage && force });
        void queryClient.invalidateQueries({ queryKey: ['images.list'] });
      }}
    >
      <Text size="sm">
        Remove <strong>{label}</strong>?
      </Text>
      {image.tags.length > 1 && (
        <Radio.Group label="What to remove" value={which} onChange={setWhich}>
          <Stack gap="xs" mt="xs">
            {image.tags.map((tag) => (
              <Radio key={tag} value={tag} label={`Only the name ${tag}`} />
            ))}
            <Radio value={wholeImage} label="The image with all its names" />
          </Stack>
        </Radio.Group>
      )}
      {which === wholeImage && (
        <Checkbox
          checked={force}
          onChange={(event) => setForce(event.currentTarget.checked)}
          label="Force"
          description={
            image.containers > 0
              ? `${image.containers} container${image.containers === 1 ? '' : 's'} use this image: without force the engine refuses.`
              : 'Needed when stopped containers or several names refer to the image.'
          }
        />
      )}
    </ConfirmModal>
  );
}
