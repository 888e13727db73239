// The run wizard (/containers/new, ?image=REF preselects): every docker run setting in sections, checked
// against the shared run spec on blur and on submit, the equivalent `docker run` shown as the user types,
// a pull first when the image is not local, then create and go to the new container. Never imports node:*, electron or backend code.
import {
  Alert,
  Anchor,
  Autocomplete,
  Button,
  Checkbox,
  Grid,
  Group,
  NumberInput,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconDownload, IconPlayerPlay } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { dockerRunCommand } from '@shared/docker-run-command';
import { runSpecSchema, type RunSpec } from '@shared/docker-schemas';
import { AppError } from '@shared/errors';
import { CommandPreview } from '../../../components/CommandPreview';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { WizardSection } from '../../../components/WizardSection';
import { WizardSubmitColumn } from '../../../components/WizardSubmitColumn';
import { useRpcQuery } from '../../../hooks/use-rpc-query';
import { rpc } from '../../../api';
import { PullProgressView } from '../../images/PullProgressView';
import { useImagePull } from '../../images/use-image-pull';
import { monoInput } from './mono-input';
import { KeyValueRows, MountRows, PortRows } from './WizardRows';
import { canonicalReference, initialValues, isLocalImage, toSpec, validateValues } from './wizard-values';

const restartOptions = [
  { value: 'no', label: 'No: leave it stopped' },
  { value: 'on-failure', label: 'On failure (non-zero exit)' },
  { value: 'unless-stopped', label: 'Unless stopped by you' },
  { value: 'always', label: 'Always' },
];

export function RunWizardPage() {
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const images = useRpcQuery('images.list', {});
  const volumes = useRpcQuery('volumes.list', {});
  const networks = useRpcQuery('networks.list', {});
  const [failure, setFailure] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  // Submitted while the image was not local: created once the pull finishes.
  const [pendingSpec, setPendingSpec] = useState<RunSpec | null>(null);

  const form = useForm({
    initialValues: initialValues(searchParams.get('image') ?? ''),
    validateInputOnBlur: true,
    validate: validateValues,
  });

  const create = async (spec: RunSpec) => {
    setCreating(true);
    setFailure(null);
    try {
      const created = await rpc.call('containers.create', { spec, start: true });
      void queryClient.invalidateQueries({ queryKey: ['containers.list'] });
      void navigate(`/containers/${encodeURIComponent(created.id)}`);
    } catch (error) {
      setFailure(error);
      if (error instanceof AppError && error.code === 'CONFLICT' && /name/i.test(error.message)) form.setFieldError('name', error.message);
    } finally {
      setCreating(false);
    }
  };

  const pull = useImagePull(() => {
    setPendingSpec(null);
    if (pendingSpec) void create(pendingSpec);
  });

  const imageTags = useMemo(() => [...new Set((images.data ?? []).flatMap((image) => image.tags))].sort(), [images.data]);
  const imageValid = runSpecSchema.shape.image.safeParse(form.values.image).success;
  const local = images.data !== undefined && imageValid && isLocalImage(form.values.image, images.data);
  const needsPull = images.data !== undefined && imageValid && !local;
  const pulling = pull.state.phase === 'pulling';
  const command = dockerRunCommand(toSpec(form.values).spec);

  const submit = form.onSubmit((values) => {
    const spec = runSpecSchema.parse(toSpec(values).spec);
    if (needsPull) {
      setPendingSpec(spec);
      pull.start(canonicalReference(spec.image));
    } else {
      void create(spec);
    }
  });

  return (
    <Stack gap="lg" maw={1280}>
      <div>
        <Anchor component={Link} to="/containers" size="sm">
          ← Containers
        </Anchor>
        <Title order={1}>Run a container</Title>
        <Text c="dimmed">Everything docker run can set that most containers need; the command it amounts to is on the right.</Text>
      </div>
      <form onSubmit={submit} noValidate aria-label="Run a container">
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Stack gap="lg">
              <WizardSection id="basics" title="Basics" description="The image to run and what to call the container.">
                <Autocomplete
                  label="Image"
                  description="A local image, or a reference to pull: [registry[:port]/]name[:tag]"
                  placeholder="local/busybox:latest"
                  data={imageTags}
                  withAsterisk
                  styles={monoInput}
                  {...form.getInputProps('image')}
                />
                {needsPull && (
                  <Alert color="indigo" variant="light" title={`${form.values.image.trim()} is not on this engine`} data-testid="pull-offer">
                    <Stack gap="sm">
                      {pull.state.phase === 'idle' && <Text size="sm">Running it pulls it first. You can also pull it now.</Text>}
                      {pull.state.phase !== 'idle' && <PullProgressView reference={pull.state.reference} progress={pull.state.progress} />}
                      {pull.state.phase === 'failed' && <ErrorAlert title={`Pulling ${pull.state.reference} failed`} error={pull.state.error} />}
                      <Group>
                        {pulling ? (
                          <Button
                            variant="default"
                            size="xs"
                            onClick={() => {
                              setPendingSpec(null);
                              pull.cancel();
                            }}
                          >
                            Cancel pull
                          </Button>
                        ) : (
                          <Button size="xs" variant="light" leftSection={<IconDownload size={14} aria-hidden />} onClick={() => pull.start(canonicalReference(form.values.image))}>
                            Pull first
                          </Button>
                        )}
                      </Group>
                    </Stack>
                  </Alert>
                )}
                <TextInput label="Name" description="Empty: the engine makes one up." placeholder="my-container" {...form.getInputProps('name')} />
              </WizardSection>

              <WizardSection id="command" title="Command" description="What runs inside. Typed like a shell command line, but no shell runs it: use sh -c '…' for pipes and &&.">
                <TextInput label="Command" description="Replaces the image's CMD." placeholder="sh -c 'echo hello'" styles={monoInput} {...form.getInputProps('command')} />
                <TextInput label="Entrypoint" description="Replaces the image's ENTRYPOINT." placeholder="/docker-entrypoint.sh" styles={monoInput} {...form.getInputProps('entrypoint')} />
                <Group grow align="flex-start">
                  <TextInput label="Working directory" placeholder="/app" styles={monoInput} {...form.getInputProps('workingDir')} />
                  <TextInput label="User" description="user, uid, user:group or uid:gid" placeholder="1000:1000" styles={monoInput} {...form.getInputProps('user')} />
                </Group>
                <Stack gap={6}>
                  <Text size="sm" fw={500} id="wizard-env">
                    Environment variables
                  </Text>
                  <div role="group" aria-labelledby="wizard-env">
                    <KeyValueRows form={form} field="env" noun="Variable" keyPlaceholder="NAME" />
                  </div>
                </Stack>
              </WizardSection>

              <WizardSection id="network" title="Network and ports" description="Which network it joins, and which of its ports this host publishes.">
                <Select
                  label="Network"
                  placeholder="bridge (the engine's default)"
                  data={(networks.data ?? []).map((network) => network.name).sort()}
                  clearable
                  value={form.values.network || null}
                  onChange={(value) => form.setFieldValue('network', value ?? '')}
                  error={form.errors.network}
                />
                <PortRows form={form} />
              </WizardSection>

              <WizardSection id="storage" title="Storage" description="Named volumes keep data after the container is gone (a new name creates one); bind mounts share an absolute path of this machine.">
                <MountRows form={form} volumeNames={(volumes.data ?? []).map((volume) => volume.name).sort()} />
              </WizardSection>

              <WizardSection id="resources" title="Resources" description="Limits; empty means no limit.">
                <Group grow align="flex-start">
                  <NumberInput label="CPUs" description="Like --cpus: 0.5 is half a CPU" min={0.01} step={0.5} decimalScale={2} {...form.getInputProps('cpus')} />
                  <TextInput label="Memory" description="Like --memory: 512m, 2g" placeholder="512m" {...form.getInputProps('memory')} />
                  <NumberInput label="Process limit" description="Like --pids-limit" min={1} allowDecimal={false} {...form.getInputProps('pidsLimit')} />
                </Group>
              </WizardSection>

              <WizardSection id="advanced" title="Advanced" description="Restart policy, terminal and labels.">
                <Group grow align="flex-start">
                  <Select label="Restart policy" data={restartOptions} allowDeselect={false} {...form.getInputProps('restart')} />
                  {form.values.restart === 'on-failure' && (
                    <NumberInput label="Maximum restarts" description="0 or empty: no limit" min={0} max={1000} allowDecimal={false} {...form.getInputProps('maxRetries')} />
                  )}
                </Group>
                <Group gap="xl">
                  <Switch label="TTY (-t)" description="A terminal, for shells" {...form.getInputProps('tty', { type: 'checkbox' })} />
                  <Switch label="Interactive (-i)" description="Keep stdin open" {...form.getInputProps('interactive', { type: 'checkbox' })} />
                  <Checkbox label="Remove when it exits (--rm)" {...form.getInputProps('autoRemove', { type: 'checkbox' })} />
                </Group>
                <Stack gap={6}>
                  <Text size="sm" fw={500} id="wizard-labels">
                    Labels
                  </Text>
                  <div role="group" aria-labelledby="wizard-labels">
                    <KeyValueRows form={form} field="labels" noun="Label" keyPlaceholder="com.example.role" />
                  </div>
                </Stack>
              </WizardSection>
            </Stack>
          </Grid.Col>
          <WizardSubmitColumn needsAttention={Object.keys(form.errors).length > 0}>
            <CommandPreview title="Equivalent command" text={command} copyLabel="Copy the docker run command" testId="docker-run-preview" empty="" />
            {failure !== null && <ErrorAlert title="The engine did not run the container" error={failure} />}
            <Button type="submit" size="md" loading={creating || pulling} leftSection={needsPull ? <IconDownload size={18} aria-hidden /> : <IconPlayerPlay size={18} aria-hidden />}>
              {needsPull ? 'Pull and run' : 'Run'}
            </Button>
          </WizardSubmitColumn>
        </Grid>
      </form>
    </Stack>
  );
}
