// The create wizard (/vms/new): connection, name and OS (osinfo-db defaults), the source, resources and devices,
// each field checked as typed against the shared spec and on submit against the host; the equivalent virsh and
// virt-install commands as the user types; progress (download included) while creating, cancel rolls back.
// Never imports node:*, electron or backend code.
import { Alert, Anchor, Button, Code, Grid, Group, NumberInput, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconPlayerPlay, IconX } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Subscription } from '@shared/rpc-client';
import { AppError, type Fix } from '@shared/errors';
import { vmCreateCommands } from '@shared/vm-create-command';
import { genericOsDefaults, vmCreateSpecSchema } from '@shared/vm-create-schemas';
import type { VmCreateProgress } from '@shared/vm-create-types';
import { CommandPreview } from '../../../components/CommandPreview';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FixBlock } from '../../../components/FixBlock';
import { ReadingStatus } from '../../../components/ReadingStatus';
import { WizardSection } from '../../../components/WizardSection';
import { WizardSubmitColumn } from '../../../components/WizardSubmitColumn';
import { useRpcQuery } from '../../../hooks/use-rpc-query';
import { rpc } from '../../../api';
import { statusColors, statusTextColors } from '../../../theme';
import { monoInput } from '../../containers/run-wizard/mono-input';
import { ConnectionSelect } from '../../storage/ConnectionSelect';
import { useSelectedConnection } from '../selected-connection';
import { errorsOf, fieldFor, initialValues, toSpec, validateValues, withOsDefaults, type CreateValues } from './create-values';
import { CreateProgressView, plannedSteps } from './CreateProgressView';
import { SourceFields } from './SourceFields';

/** The backend's failure detail lists problems as "spec.path: message" lines: put each next to its field. */
function fieldErrorsFromDetail(error: unknown): Record<string, string> {
  if (!(error instanceof AppError) || !error.detail) return {};
  const problems = error.detail
    .split('\n')
    .map((line) => /^([\w.]+): (.+)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && fieldFor(match[1] ?? '') !== undefined)
    .map((match) => ({ field: match[1] ?? '', message: match[2] ?? '' }));
  return errorsOf(problems);
}

type Phase = { kind: 'editing' } | { kind: 'checking' } | { kind: 'creating'; latest?: VmCreateProgress } | { kind: 'failed'; error: unknown; latest?: VmCreateProgress };

export function CreateVmPage() {
  const uri = useSelectedConnection();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const options = useRpcQuery('vmCreate.options', { uri });
  const osList = useRpcQuery('vmCreate.osList', {});
  const [phase, setPhase] = useState<Phase>({ kind: 'editing' });
  const [xml, setXml] = useState<string | null>(null);
  const [subscription, setSubscription] = useState<Subscription | null>(null);
  const form = useForm<CreateValues>({
    initialValues: initialValues(genericOsDefaults),
    validateInputOnBlur: true,
    validate: (values) => validateValues(values, uri),
  });

  // A pool is needed for most sources: the connection's "default" pool, else its first active one.
  const pools = options.data?.pools;
  useEffect(() => {
    if (!pools || form.values.pool) return;
    const active = pools.filter((pool) => pool.state === 'running');
    const chosen = active.find((pool) => pool.name === 'default') ?? active[0];
    if (chosen) form.setFieldValue('pool', chosen.name);
  }, [pools, form]);

  // Leaving the page mid-create cancels it, and the backend removes what it made (an ended stream ignores this).
  useEffect(() => () => subscription?.unsubscribe(), [subscription]);

  const spec = vmCreateSpecSchema.safeParse(toSpec(form.values, uri));
  const commands = spec.success && options.data ? vmCreateCommands(spec.data, options.data.domainType) : undefined;
  const creating = phase.kind === 'creating';
  const latest = phase.kind === 'creating' || phase.kind === 'failed' ? phase.latest : undefined;
  const steps = plannedSteps(form.values.sourceKind, {
    download: form.values.imageFrom === 'url',
    verify: form.values.imageFrom === 'file' && form.values.sha256.trim() !== '',
    disk: form.values.sourceKind !== 'kernel' ? !(form.values.sourceKind === 'existingDisk' && form.values.diskMode === 'inPlace') : form.values.kernelDisk,
    start: form.values.start,
  });

  const chooseOs = async (osId: string | null) => {
    try {
      const defaults = await rpc.call('vmCreate.osDefaults', osId ? { osId } : {});
      form.setValues(withOsDefaults(form.values, defaults));
    } catch (error) {
      form.setFieldError('osId', error instanceof AppError ? error.message : String(error));
    }
  };

  const create = (values: CreateValues) => {
    const checked = toSpec(values, uri);
    setPhase({ kind: 'checking' });
    setXml(null);
    void rpc.call('vmCreate.check', { spec: checked }).then(
      (result) => {
        if (result.problems.length > 0) {
          form.setErrors(errorsOf(result.problems));
          setPhase({ kind: 'editing' });
          return;
        }
        setXml(result.xml ?? null);
        let last: VmCreateProgress | undefined;
        setPhase({ kind: 'creating' });
        const started = rpc.subscribe('vmCreate.create', { spec: checked }, {
          next: (event) => {
            last = event;
            setPhase({ kind: 'creating', latest: event });
          },
          error: (error) => {
            setSubscription(null);
            form.setErrors(fieldErrorsFromDetail(error));
            setPhase({ kind: 'failed', error, ...(last ? { latest: last } : {}) });
          },
          end: () => {
            setSubscription(null);
            void queryClient.invalidateQueries({ queryKey: ['vms.list'] });
            void queryClient.invalidateQueries({ queryKey: ['storage.pools'] });
            notifications.show({ color: 'teal', title: `${values.name} created`, message: last?.message ?? 'Done.' });
            void navigate(`/vms/${encodeURIComponent(uri)}/${encodeURIComponent(values.name)}`);
          },
        });
        setSubscription(started);
      },
      (error: unknown) => setPhase({ kind: 'failed', error }),
    );
  };

  const cancel = () => {
    subscription?.unsubscribe();
    setSubscription(null);
    setPhase({ kind: 'failed', error: new AppError('UNAVAILABLE', 'Cancelled: Isolab removes what it had created for this VM.') });
  };

  const networkOptions = [
    ...(options.data?.networks ?? []).map((network) => ({ value: `network:${network.name}`, label: `${network.name} (libvirt network${network.active ? '' : ', not running'})` })),
    { value: 'user', label: 'User-mode (outgoing only, no setup)' },
    { value: 'none', label: 'None' },
  ];
  const networkValue = form.values.networkKind === 'network' ? `network:${form.values.networkName}` : form.values.networkKind;

  return (
    <Stack gap="lg" maw={1280}>
      <div>
        <Anchor component={Link} to="/vms" size="sm">
          ← Virtual machines
        </Anchor>
        <Title order={1}>New virtual machine</Title>
        <Text c="dimmed">A libvirt domain like virt-install makes: it shows up in virt-manager and virsh too.</Text>
      </div>
      {options.isPending && <ReadingStatus text={`Reading what ${uri} offers…`} />}
      {options.isError && <ErrorAlert title={`Could not read ${uri}`} error={options.error} />}
      {options.data?.domainType === 'qemu' && (
        <Alert
          color={statusColors.warning}
          variant="light"
          icon={<IconAlertTriangle aria-hidden />}
          title="No KVM: this VM will run in software emulation (TCG)"
          styles={{ title: { color: statusTextColors.warning } }}
          data-testid="tcg-warning"
        >
          <Stack gap="xs">
            <Text size="sm">It works, but many times slower than with KVM. {options.data.accelerationReason}</Text>
            {options.data.accelerationFix && <FixBlock fix={options.data.accelerationFix} />}
          </Stack>
        </Alert>
      )}
      <form onSubmit={form.onSubmit(create)} noValidate aria-label="New virtual machine">
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Stack gap="lg">
              <WizardSection id="basics" title="Name and system" description="Where it runs, what it is called, and which operating system it gets defaults for.">
                <ConnectionSelect />
                <NameAndOs form={form} osVariants={osList.data?.variants ?? []} osFix={osList.data?.fix} onOs={(osId) => void chooseOs(osId)} />
              </WizardSection>
              <WizardSection id="source" title="Source" description="Where the system comes from.">
                <SourceFields form={form} options={options.data} />
              </WizardSection>
              <WizardSection id="resources" title="Resources">
                <Group grow align="flex-start">
                  <NumberInput
                    label="Memory"
                    description={options.data ? `MiB; the host has ${Math.floor(options.data.host.memoryBytes / 1024 ** 2)} MiB` : 'MiB'}
                    min={64}
                    step={256}
                    allowDecimal={false}
                    withAsterisk
                    {...form.getInputProps('memoryMiB')}
                  />
                  <NumberInput
                    label="vCPUs"
                    description={options.data ? `The host has ${options.data.host.cpus}` : undefined}
                    min={1}
                    max={options.data?.host.cpus || 512}
                    allowDecimal={false}
                    withAsterisk
                    {...form.getInputProps('vcpus')}
                  />
                </Group>
              </WizardSection>
              <WizardSection id="devices" title="Firmware and devices">
                <Group grow align="flex-start">
                  <Select
                    label="Firmware"
                    data={[
                      { value: 'bios', label: 'BIOS (SeaBIOS)' },
                      { value: 'uefi', label: 'UEFI (OVMF)', disabled: options.data ? !options.data.uefi.available : false },
                    ]}
                    description={options.data && !options.data.uefi.available ? `UEFI needs OVMF: ${options.data.uefi.fix?.command ?? ''}` : undefined}
                    allowDeselect={false}
                    {...form.getInputProps('firmware')}
                  />
                  <Select
                    label="Network"
                    data={networkOptions}
                    allowDeselect={false}
                    value={networkValue}
                    error={form.errors.networkName}
                    onChange={(value) => {
                      if (!value) return;
                      if (value.startsWith('network:')) form.setValues({ networkKind: 'network', networkName: value.slice('network:'.length) });
                      else form.setFieldValue('networkKind', value as 'user' | 'none');
                    }}
                  />
                </Group>
                <Group grow align="flex-start">
                  <Select
                    label="Disk bus"
                    data={[
                      { value: 'virtio', label: 'virtio (fast; Linux, BSD, Windows with drivers)' },
                      { value: 'sata', label: 'SATA (any OS)' },
                    ]}
                    allowDeselect={false}
                    {...form.getInputProps('diskBus')}
                  />
                  <Select
                    label="Network card"
                    data={[
                      { value: 'virtio', label: 'virtio' },
                      { value: 'e1000e', label: 'Intel e1000e (any OS)' },
                    ]}
                    allowDeselect={false}
                    {...form.getInputProps('nicModel')}
                  />
                </Group>
                <Group gap="xl">
                  <Switch label="Graphical display (VNC on 127.0.0.1)" description="Installers with a screen need it; the serial console is always there." {...form.getInputProps('graphics', { type: 'checkbox' })} />
                  <Switch label="Start it when created" {...form.getInputProps('start', { type: 'checkbox' })} />
                </Group>
              </WizardSection>
            </Stack>
          </Grid.Col>
          <WizardSubmitColumn
            needsAttention={Object.keys(form.errors).length > 0}
            extra={
              xml && (
                <details>
                  <summary>
                    <Text span size="sm">
                      Domain XML
                    </Text>
                  </summary>
                  <Code block style={{ whiteSpace: 'pre', overflow: 'auto', maxHeight: 360 }} data-testid="domain-xml-preview">
                    {xml}
                  </Code>
                </details>
              )
            }
          >
            <CommandPreview
              title="Equivalent commands"
              text={commands?.join('\n\n')}
              copyLabel="Copy the virt-install commands"
              testId="virt-install-preview"
              empty="Shown once the required fields are filled in."
            />
            {(creating || latest) && <CreateProgressView steps={steps} latest={latest} />}
            {phase.kind === 'failed' && <ErrorAlert title="The VM was not created" error={phase.error} />}
            {creating ? (
              <Button variant="default" leftSection={<IconX size={18} aria-hidden />} onClick={cancel}>
                Cancel
              </Button>
            ) : (
              <Button type="submit" size="md" loading={phase.kind === 'checking'} disabled={!options.data} leftSection={<IconPlayerPlay size={18} aria-hidden />}>
                {form.values.start ? 'Create and start' : 'Create'}
              </Button>
            )}
          </WizardSubmitColumn>
        </Grid>
      </form>
    </Stack>
  );
}

function NameAndOs({
  form,
  osVariants,
  osFix,
  onOs,
}: {
  form: UseFormReturnType<CreateValues>;
  osVariants: { id: string; name: string }[];
  osFix: Fix | undefined;
  onOs: (osId: string | null) => void;
}) {
  return (
    <Stack gap="sm">
      <Group grow align="flex-start">
        <TextInput label="Name" description="Letters, digits, . _ + -" placeholder="debian-test" withAsterisk styles={monoInput} data-autofocus {...form.getInputProps('name')} />
        <Select
          label="Operating system"
          description={osFix ? 'Generic defaults only: osinfo-query is not installed.' : 'Sets memory, disk, firmware and devices to its defaults.'}
          placeholder="Generic"
          searchable
          clearable
          nothingFoundMessage="No such OS in osinfo-db"
          data={osVariants.map((variant) => ({ value: variant.id, label: variant.name }))}
          value={form.values.osId || null}
          error={form.errors.osId}
          onChange={onOs}
          limit={50}
        />
      </Group>
      {osFix && <FixBlock fix={osFix} />}
    </Stack>
  );
}
