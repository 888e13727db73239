// The questions container actions ask first: remove (force, anonymous volumes), rename (checked as typed),
// stop with a timeout and kill with a signal. One set of modals per page, opened from any row, the bulk bar
// or the detail header. Never imports node:*, electron or backend code.
import { Button, Checkbox, Group, Modal, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import type { ContainerSummary } from '@shared/docker-types';
import { containerNameSchema } from '@shared/docker-schemas';
import { useContainerActions } from './use-container-actions';

type Target = Pick<ContainerSummary, 'id' | 'name' | 'state'>;

type Dialog =
  | { kind: 'remove'; targets: Target[]; onRemoved?: () => void }
  | { kind: 'rename'; target: Target }
  | { kind: 'stop'; target: Target }
  | { kind: 'kill'; target: Target };

interface DialogOpeners {
  remove(targets: Target[], onRemoved?: () => void): void;
  rename(target: Target): void;
  stop(target: Target): void;
  kill(target: Target): void;
}

const DialogContext = createContext<DialogOpeners | null>(null);

export function useContainerDialogs(): DialogOpeners {
  const openers = useContext(DialogContext);
  if (!openers) throw new Error('useContainerDialogs needs a ContainerDialogs around it.');
  return openers;
}

function RemoveDialog({ targets, onRemoved, onClose }: { targets: Target[]; onRemoved?: () => void; onClose: () => void }) {
  const { runAsync } = useContainerActions();
  const anyRunning = targets.some((target) => target.state === 'running' || target.state === 'paused' || target.state === 'restarting');
  const [force, setForce] = useState(anyRunning);
  const [volumes, setVolumes] = useState(false);
  const only = targets.length === 1 ? targets[0] : undefined;
  const remove = () => {
    onClose();
    void Promise.allSettled(targets.map((target) => runAsync({ action: 'remove', id: target.id, name: target.name, force, volumes }))).then((results) => {
      if (results.every((result) => result.status === 'fulfilled')) onRemoved?.();
    });
  };
  return (
    <Stack gap="md">
      <Text size="sm">
        {only ? (
          <>
            Remove the container <strong>{only.name}</strong>? Its file system changes are lost.
          </>
        ) : (
          `Remove ${targets.length} containers (${targets.map((target) => target.name).join(', ')})? Their file system changes are lost.`
        )}
      </Text>
      <Checkbox
        checked={force}
        onChange={(event) => setForce(event.currentTarget.checked)}
        label="Force: stop it first if it is running"
        description={anyRunning && !force ? 'Without force the engine refuses to remove a running container.' : undefined}
      />
      <Checkbox
        checked={volumes}
        onChange={(event) => setVolumes(event.currentTarget.checked)}
        label="Also remove its anonymous volumes"
        description="Named volumes are kept either way."
      />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button color="red" onClick={remove} data-autofocus>
          Remove
        </Button>
      </Group>
    </Stack>
  );
}

function RenameDialog({ target, onClose }: { target: Target; onClose: () => void }) {
  const { runAsync } = useContainerActions();
  const [name, setName] = useState(target.name);
  const [busy, setBusy] = useState(false);
  const checked = containerNameSchema.safeParse(name);
  const error = name === '' ? 'Type a name.' : checked.success ? undefined : checked.error.issues[0]?.message;
  const unchanged = name === target.name;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (error || unchanged) return;
        setBusy(true);
        runAsync({ action: 'rename', id: target.id, name: target.name, newName: name }).then(onClose, () => setBusy(false));
      }}
    >
      <Stack gap="md">
        <TextInput label="New name" value={name} onChange={(event) => setName(event.currentTarget.value)} error={error} data-autofocus />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={Boolean(error) || unchanged} loading={busy}>
            Rename
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function StopDialog({ target, onClose }: { target: Target; onClose: () => void }) {
  const { run } = useContainerActions();
  const [timeout, setTimeoutSeconds] = useState<number | string>(10);
  const valid = typeof timeout === 'number' && Number.isInteger(timeout) && timeout >= 0 && timeout <= 3600;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (!valid) return;
        onClose();
        run({ action: 'stop', id: target.id, name: target.name, timeoutSeconds: timeout });
      }}
    >
      <Stack gap="md">
        <NumberInput
          label="Seconds to wait before SIGKILL"
          description="The container gets SIGTERM (or its stop signal) first."
          value={timeout}
          onChange={setTimeoutSeconds}
          min={0}
          max={3600}
          allowDecimal={false}
          error={valid ? undefined : 'A whole number of seconds, 0 to 3600.'}
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={!valid}>
            Stop
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

const signals = ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

function KillDialog({ target, onClose }: { target: Target; onClose: () => void }) {
  const { run } = useContainerActions();
  const [signal, setSignal] = useState('SIGKILL');
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onClose();
        run({ action: 'kill', id: target.id, name: target.name, signal });
      }}
    >
      <Stack gap="md">
        <Select label="Signal" data={signals} value={signal} onChange={(value) => setSignal(value ?? 'SIGKILL')} allowDeselect={false} data-autofocus />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" color="red">
            Send {signal}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function dialogTitle(dialog: Dialog): string {
  switch (dialog.kind) {
    case 'remove':
      return dialog.targets.length === 1 ? `Remove ${dialog.targets[0]?.name ?? ''}` : `Remove ${dialog.targets.length} containers`;
    case 'rename':
      return `Rename ${dialog.target.name}`;
    case 'stop':
      return `Stop ${dialog.target.name}`;
    case 'kill':
      return `Kill ${dialog.target.name}`;
  }
}

export function ContainerDialogs({ children }: { children: ReactNode }) {
  const [dialog, setDialog] = useState<Dialog | null>(null);
  // Each opening starts from fresh form state, even for the same kind of question.
  const [serial, setSerial] = useState(0);
  const openers = useMemo<DialogOpeners>(() => {
    const open = (next: Dialog) => {
      setSerial((value) => value + 1);
      setDialog(next);
    };
    return {
      remove: (targets, onRemoved) => open({ kind: 'remove', targets, ...(onRemoved ? { onRemoved } : {}) }),
      rename: (target) => open({ kind: 'rename', target }),
      stop: (target) => open({ kind: 'stop', target }),
      kill: (target) => open({ kind: 'kill', target }),
    };
  }, []);
  const close = () => setDialog(null);
  return (
    <DialogContext.Provider value={openers}>
      {children}
      <Modal opened={dialog !== null} onClose={close} title={dialog ? dialogTitle(dialog) : ''} centered>
        {dialog?.kind === 'remove' && (
          <RemoveDialog key={serial} targets={dialog.targets} onClose={close} {...(dialog.onRemoved ? { onRemoved: dialog.onRemoved } : {})} />
        )}
        {dialog?.kind === 'rename' && <RenameDialog key={serial} target={dialog.target} onClose={close} />}
        {dialog?.kind === 'stop' && <StopDialog key={serial} target={dialog.target} onClose={close} />}
        {dialog?.kind === 'kill' && <KillDialog key={serial} target={dialog.target} onClose={close} />}
      </Modal>
    </DialogContext.Provider>
  );
}
