// The run wizard's form values: how what the inputs hold becomes the run spec (trimmed, split like a shell,
// empty meaning "not set", bad numbers kept for the schema to name), the messages keyed by form field, and
// whether an image reference is already on the engine.
import { describe, expect, it } from 'vitest';
import type { ImageSummary } from '@shared/docker-types';
import {
  canonicalReference,
  initialValues,
  isLocalImage,
  newKeyValue,
  newMount,
  newPort,
  toSpec,
  validateValues,
  type WizardValues,
} from '../../renderer/src/features/containers/run-wizard/wizard-values';

function values(overrides: Partial<WizardValues>): WizardValues {
  return { ...initialValues('local/busybox:latest'), ...overrides };
}

const port = (fields: Partial<ReturnType<typeof newPort>>) => ({ ...newPort(), ...fields });
const mount = (fields: Partial<ReturnType<typeof newMount>>) => ({ ...newMount(), ...fields });
const keyValue = (key: string, value: string) => ({ ...newKeyValue(), key, value });

describe('toSpec', () => {
  it('maps an untouched form to the image alone with the defaults, leaving every optional setting out', () => {
    const { spec, errors } = toSpec(initialValues('local/busybox:latest'));
    expect(errors).toEqual({});
    expect(spec).toEqual({
      image: 'local/busybox:latest',
      env: [],
      ports: [],
      mounts: [],
      restart: 'no',
      tty: false,
      interactive: false,
      autoRemove: false,
      labels: [],
    });
  });

  it('maps every field: text trimmed, command lines split like a shell, numbers typed as text read as numbers, row ids dropped', () => {
    const { spec, errors } = toSpec(
      values({
        name: '  web-1 ',
        command: `sh -c 'echo "hello world"; sleep 1'`,
        entrypoint: '/bin/tini --',
        workingDir: ' /srv/app ',
        user: ' 1000:1000 ',
        env: [keyValue('GREETING', ' it is me '), keyValue('EMPTY', '')],
        ports: [
          port({ hostIp: ' 127.0.0.1 ', hostPort: 8080, containerPort: '80' }),
          port({ hostIp: '', hostPort: '', containerPort: 53, protocol: 'udp' }),
        ],
        mounts: [mount({ kind: 'volume', source: 'data', target: '/data' }), mount({ kind: 'bind', source: '/home/me', target: '/config', readOnly: true })],
        network: 'isolab-net',
        restart: 'on-failure',
        maxRetries: '3',
        cpus: 1.5,
        memory: ' 512m ',
        pidsLimit: '100',
        tty: true,
        interactive: true,
        labels: [keyValue('com.example.role', 'web')],
      }),
    );
    expect(errors).toEqual({});
    expect(spec).toEqual({
      image: 'local/busybox:latest',
      name: 'web-1',
      command: ['sh', '-c', 'echo "hello world"; sleep 1'],
      entrypoint: ['/bin/tini', '--'],
      workingDir: '/srv/app',
      user: '1000:1000',
      // Values are the user's exactly: spaces can matter in an environment variable.
      env: [
        { key: 'GREETING', value: ' it is me ' },
        { key: 'EMPTY', value: '' },
      ],
      ports: [
        { hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' },
        { hostIp: '', containerPort: 53, protocol: 'udp' },
      ],
      mounts: [
        { kind: 'volume', source: 'data', target: '/data', readOnly: false },
        { kind: 'bind', source: '/home/me', target: '/config', readOnly: true },
      ],
      network: 'isolab-net',
      restart: 'on-failure',
      maxRetries: 3,
      cpus: 1.5,
      memory: '512m',
      pidsLimit: 100,
      tty: true,
      interactive: true,
      autoRemove: false,
      labels: [{ key: 'com.example.role', value: 'web' }],
    });
  });

  it('leaves out text fields that hold only spaces, and empty number fields', () => {
    const { spec } = toSpec(values({ name: '   ', command: '  ', entrypoint: '\t', workingDir: ' ', user: ' ', memory: '  ', cpus: '', pidsLimit: '' }));
    for (const key of ['name', 'command', 'entrypoint', 'workingDir', 'user', 'memory', 'cpus', 'pidsLimit', 'network'] as const) {
      expect(spec).not.toHaveProperty(key);
    }
  });

  it('sends a restart count only with the on-failure policy', () => {
    expect(toSpec(values({ restart: 'always', maxRetries: 5 })).spec).not.toHaveProperty('maxRetries');
    expect(toSpec(values({ restart: 'on-failure', maxRetries: '' })).spec).not.toHaveProperty('maxRetries');
    expect(toSpec(values({ restart: 'on-failure', maxRetries: 0 })).spec).toHaveProperty('maxRetries', 0);
  });

  it('keeps a number field that holds text as NaN, so the schema reports it instead of the wizard dropping it', () => {
    const { spec } = toSpec(values({ cpus: 'two', pidsLimit: '1e', ports: [port({ hostPort: 'eighty', containerPort: '8o' })] }));
    expect(spec.cpus).toBeNaN();
    expect(spec.pidsLimit).toBeNaN();
    expect(spec.ports?.[0]?.hostPort).toBeNaN();
    expect(spec.ports?.[0]?.containerPort).toBeNaN();
  });

  it('reports a command line that cannot be split next to its field and leaves it out of the spec', () => {
    const { spec, errors } = toSpec(values({ command: "echo 'unclosed", entrypoint: 'cat /etc/passwd | head' }));
    expect(errors).toEqual({
      command: 'A single quote is not closed.',
      entrypoint: '"|" needs a shell: write the command as sh -c \'…\'.',
    });
    expect(spec).not.toHaveProperty('command');
    expect(spec).not.toHaveProperty('entrypoint');
  });

  it('keeps an empty quoted argument and $VARIABLES as typed (no shell expands them)', () => {
    expect(toSpec(values({ command: `printf '%s\\n' "" $HOME` })).spec.command).toEqual(['printf', '%s\\n', '', '$HOME']);
  });
});

describe('validateValues', () => {
  it('finds nothing wrong with a complete, valid form', () => {
    expect(
      validateValues(
        values({
          name: 'web-1',
          command: 'sleep 600',
          ports: [port({ hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80 })],
          mounts: [mount({ source: 'data', target: '/data' })],
          memory: '64m',
        }),
      ),
    ).toEqual({});
  });

  it('keys each message by the form field it belongs to, rows included', () => {
    const errors = validateValues(
      values({
        image: '',
        name: '-bad',
        env: [keyValue('HAS SPACE', 'x')],
        ports: [port({ hostPort: 70000, containerPort: '' })],
        mounts: [mount({ kind: 'bind', source: 'relative/path', target: 'data' })],
        memory: 'lots',
        workingDir: 'srv',
        user: 'a b',
      }),
    );
    expect(errors).toEqual({
      image: 'Choose an image or type a reference such as alpine:3.20.',
      name: 'Use at least 2 characters: letters, digits, "_", "." or "-", starting with a letter or digit.',
      'env.0.key': 'A name has no "=" and no spaces.',
      'ports.0.hostPort': 'The host port is 1 to 65535.',
      'ports.0.containerPort': 'Type the container port as a number.',
      'mounts.0.target': 'The path inside the container is absolute (starts with /).',
      'mounts.0.source': 'A bind mount needs an absolute host path (starts with /).',
      memory: 'Use a size such as 512m or 2g (units b, k, m, g, t).',
      workingDir: 'The working directory is an absolute path.',
      user: 'Use user, uid, user:group or uid:gid.',
    });
  });

  it('names a number field that holds text rather than passing it over', () => {
    const errors = validateValues(values({ cpus: 'two', ports: [port({ containerPort: '8o' })] }));
    expect(errors.cpus).toBeDefined();
    expect(errors['ports.0.containerPort']).toBeDefined();
  });

  it('reports the second of two rows publishing the same host port, on any address', () => {
    const errors = validateValues(
      values({
        ports: [port({ hostIp: '', hostPort: 8080, containerPort: 80 }), port({ hostIp: '127.0.0.1', hostPort: 8080, containerPort: 81 })],
      }),
    );
    expect(errors).toEqual({ 'ports.1.hostPort': 'Host port 8080/tcp is already published by port row 1.' });
    const otherProtocol = values({ ports: [port({ hostPort: 53, containerPort: 53 }), port({ hostPort: 53, containerPort: 53, protocol: 'udp' })] });
    expect(validateValues(otherProtocol)).toEqual({});
  });

  it('keeps the command line message and adds the schema\'s for the other fields', () => {
    expect(validateValues(values({ command: 'a && b', name: 'x' }))).toEqual({
      command: '"&&" needs a shell: write the command as sh -c \'…\'.',
      name: 'Use at least 2 characters: letters, digits, "_", "." or "-", starting with a letter or digit.',
    });
  });

  it('refuses auto-remove together with a restart policy, on the restart field', () => {
    expect(validateValues(values({ autoRemove: true, restart: 'always' }))).toEqual({
      restart: 'A container removed when it exits cannot also be restarted: choose "no" or turn off auto-remove.',
    });
  });
});

describe('canonicalReference', () => {
  it.each([
    ['busybox', 'busybox:latest'],
    [' alpine:3.20 ', 'alpine:3.20'],
    ['docker.io/library/alpine', 'alpine:latest'],
    ['docker.io/team/app:1.0', 'team/app:1.0'],
    ['127.0.0.1:5000/isolab-test/busybox', '127.0.0.1:5000/isolab-test/busybox:latest'],
    ['127.0.0.1:5000/isolab-test/busybox:e2e', '127.0.0.1:5000/isolab-test/busybox:e2e'],
    ['alpine@sha256:0123456789abcdef0123456789abcdef', 'alpine@sha256:0123456789abcdef0123456789abcdef'],
  ])('%s is listed as %s', (reference, canonical) => {
    expect(canonicalReference(reference)).toBe(canonical);
  });
});

describe('isLocalImage', () => {
  const busyboxId = `sha256:${'03f0b1f46cfd'.padEnd(64, '7')}`;
  const images: ImageSummary[] = [
    {
      id: busyboxId,
      tags: ['local/busybox:latest', '127.0.0.1:5000/isolab-test/busybox:e2e'],
      digests: ['127.0.0.1:5000/isolab-test/busybox@sha256:aaaabbbbccccddddeeeeffff0000111122223333444455556666777788889999'],
      size: 2_000_000,
      created: 1_700_000_000,
      containers: 0,
      dangling: false,
    },
    { id: `sha256:${'9'.repeat(64)}`, tags: [], digests: [], size: 1, created: 1_700_000_000, containers: 0, dangling: true },
  ];

  it('finds a tag however it is written: without latest, with spaces', () => {
    expect(isLocalImage('local/busybox', images)).toBe(true);
    expect(isLocalImage(' local/busybox:latest ', images)).toBe(true);
    expect(isLocalImage('127.0.0.1:5000/isolab-test/busybox:e2e', images)).toBe(true);
  });

  it('finds an image by its digest, and by its id, full or short, with or without sha256:', () => {
    expect(isLocalImage('127.0.0.1:5000/isolab-test/busybox@sha256:aaaabbbbccccddddeeeeffff0000111122223333444455556666777788889999', images)).toBe(true);
    expect(isLocalImage(busyboxId, images)).toBe(true);
    expect(isLocalImage('03f0b1f46cfd', images)).toBe(true);
    expect(isLocalImage('sha256:03f0b1f46cfd', images)).toBe(true);
    expect(isLocalImage('9'.repeat(64), images)).toBe(true);
  });

  it('says no for what must be pulled: another tag, another registry, an unknown id', () => {
    expect(isLocalImage('local/busybox:1.36', images)).toBe(false);
    expect(isLocalImage('127.0.0.1:5000/isolab-test/busybox', images)).toBe(false);
    expect(isLocalImage('busybox', images)).toBe(false);
    expect(isLocalImage('0123456789ab', images)).toBe(false);
    expect(isLocalImage('local/busybox:latest', [])).toBe(false);
  });
});
