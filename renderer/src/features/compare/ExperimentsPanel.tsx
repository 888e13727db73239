// The guided experiments: each runs real commands in the host, a container and the VM, shows every command and
// its output in a read-only terminal, and ends with what the measurements showed. Never imports node:*, electron or
// backend code.
import { Accordion, Alert, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { IconFlask } from '@tabler/icons-react';
import type { ExperimentId } from '@shared/compare-types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { cancelExperiment, runExperiment, useLab, type ExperimentState } from './lab-store';
import { TranscriptTerminal } from './TranscriptTerminal';

const experiments: { id: ExperimentId; title: string; text: string; claims: number[] }[] = [
  { id: 'kernel', title: '1. Same kernel vs own kernel', text: 'uname and /proc/version on the host, in the container and in the VM.', claims: [3, 4] },
  { id: 'host-sees', title: '2. What the host can see', text: "The container's processes in the host's process list; the whole VM as one qemu process.", claims: [4] },
  { id: 'memory-limit', title: '3. Memory limit', text: 'A container limited to 32 MiB allocates more and is OOM-killed (exit 137); the VM\'s own kernel handles the same inside its RAM.', claims: [4] },
  { id: 'pids-limit', title: '4. Process limit', text: 'A container limited to 32 processes meets a bounded fork flood; the VM\'s kernel handles its own.', claims: [4] },
  { id: 'race', title: '5. Start time and footprint race', text: 'One start of each from stopped, phase by phase (the VM must be shut off).', claims: [5] },
  { id: 'portability', title: '6. Portability', text: "The same image run twice with a different command; the VM's disk as a file on the host.", claims: [6] },
  { id: 'docker-in-vm', title: '7. Docker inside a VM', text: 'Reach a Docker engine inside the VM over SSH (DOCKER_HOST=ssh://…), where the VM allows it.', claims: [7] },
];

function stepSummary(state: ExperimentState): string {
  const done = Object.keys(state.results).length;
  return `${done} of ${state.steps.length} step(s) done`;
}

function ExperimentBody({ id, state }: { id: ExperimentId; state: ExperimentState | undefined }) {
  const { selection } = useLab();
  return (
    <Stack gap="sm">
      <Group>
        {state?.running ? (
          <Button color="gray" onClick={() => cancelExperiment(id)}>
            Cancel
          </Button>
        ) : (
          <Button leftSection={<IconFlask size={16} aria-hidden />} onClick={() => runExperiment(id)} disabled={!selection.image && !selection.container && !selection.vm}>
            Run experiment
          </Button>
        )}
        {state && (
          <Text size="sm" c="dimmed" role="status">
            {state.running ? `Running: ${stepSummary(state)}` : stepSummary(state)}
          </Text>
        )}
      </Group>
      {state?.error && <ErrorAlert title="The experiment stopped" error={state.error} />}
      {state && <TranscriptTerminal text={state.transcript} label={`Commands and output of experiment ${id}`} testId={`experiment-terminal-${id}`} />}
      {state?.conclusion && (
        <Alert variant="light" color="blue" title="What this showed" data-testid={`experiment-conclusion-${id}`}>
          <Text size="sm">{state.conclusion}</Text>
        </Alert>
      )}
    </Stack>
  );
}

export function ExperimentsPanel() {
  const { experiments: states } = useLab();
  return (
    <Accordion variant="separated" multiple>
      {experiments.map((experiment) => (
        <Accordion.Item key={experiment.id} value={experiment.id} data-testid={`experiment-${experiment.id}`}>
          <Accordion.Control>
            <Group gap="xs">
              <Text fw={600}>{experiment.title}</Text>
              {experiment.claims.map((claim) => (
                <Badge key={claim} size="xs" variant="outline" color="indigo" styles={{ root: { color: 'var(--mantine-color-text)' } }}>
                  claim {claim}
                </Badge>
              ))}
            </Group>
            <Text size="sm" c="dimmed">
              {experiment.text}
            </Text>
          </Accordion.Control>
          <Accordion.Panel>
            <ExperimentBody id={experiment.id} state={states[experiment.id]} />
          </Accordion.Panel>
        </Accordion.Item>
      ))}
    </Accordion>
  );
}
