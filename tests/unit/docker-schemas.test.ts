// The Docker argument schemas the backend checks and the wizard shows: container names, image references
// (registry with port, digest), sizes, ports and their conflicts, mounts, and the run spec's cross-field rules.
import { describe, expect, it } from 'vitest';
import {
  containerNameSchema,
  imageReferenceSchema,
  networkNameSchema,
  parseByteSize,
  pullReferenceSchema,
  runSpecSchema,
  volumeNameSchema,
  type RunSpecInput,
} from '@shared/docker-schemas';

const digest = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

/** The first message per field of a failed parse, keyed by path as the wizard's form names it ("ports.1.hostPort"). */
function issues(spec: RunSpecInput): Record<string, string> {
  const result = runSpecSchema.safeParse(spec);
  const messages: Record<string, string> = {};
  for (const issue of result.error?.issues ?? []) messages[issue.path.join('.')] ??= issue.message;
  return messages;
}

describe('container, volume and network names', () => {
  it.each(['ab', 'web-1', 'isolab-test-e2e_wizard.1', '0start', 'A'.repeat(253)])('accepts %s', (name) => {
    expect(containerNameSchema.safeParse(name).success).toBe(true);
    expect(volumeNameSchema.safeParse(name).success).toBe(true);
    expect(networkNameSchema.safeParse(name).success).toBe(true);
  });

  it.each(['a', '', '-web', '.hidden', '_x', 'has space', 'slash/name', 'ünïcode', 'semi;colon'])('refuses %j', (name) => {
    const result = containerNameSchema.safeParse(name);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/letters, digits/);
  });

  it('refuses a name longer than 253 characters with its own message', () => {
    expect(containerNameSchema.safeParse('a'.repeat(254)).error?.issues[0]?.message).toBe('Use at most 253 characters.');
  });
});

describe('image references', () => {
  it.each([
    'alpine',
    'alpine:3.20',
    'library/alpine:latest',
    'docker.io/library/alpine:3.20',
    'local/busybox:latest',
    '127.0.0.1:5000/isolab-test/busybox:e2e',
    'localhost:5000/team/app',
    'registry.example.com/a/b/c:v1.2.3-rc_1',
    `alpine@${digest}`,
    `127.0.0.1:5000/isolab-test/busybox:e2e@${digest}`,
    '[::1]:5000/app:1',
    'my-app__x.y',
    '  alpine:3.20  ',
  ])('accepts %s', (reference) => {
    expect(imageReferenceSchema.safeParse(reference).success).toBe(true);
    expect(pullReferenceSchema.safeParse(reference).success).toBe(true);
  });

  it.each(['Alpine', 'alpine:', ':tag', 'alpine:-tag', 'alpine@sha256:short', 'a//b', 'http://registry/x', 'alpine:a b', '-alpine', `a:${'t'.repeat(129)}`])(
    'refuses %j',
    (reference) => {
      expect(imageReferenceSchema.safeParse(reference).success).toBe(false);
    },
  );

  it('asks for an image when empty, and caps the length', () => {
    expect(imageReferenceSchema.safeParse('  ').error?.issues[0]?.message).toMatch(/Choose an image/);
    expect(imageReferenceSchema.safeParse(`${'a'.repeat(250)}/bcdef`).error?.issues[0]?.message).toMatch(/at most 255/);
  });

  it('takes a local image id for running, but not for pulling', () => {
    for (const id of ['sha256:0123456789ab', `sha256:${'ab'.repeat(32)}`, 'ab'.repeat(32)]) {
      expect(imageReferenceSchema.safeParse(id).success).toBe(true);
      expect(pullReferenceSchema.safeParse(id).error?.issues[0]?.message).toMatch(/cannot be pulled/);
    }
  });
});

describe('parseByteSize', () => {
  it.each([
    ['512', 512],
    ['512b', 512],
    ['4k', 4096],
    ['512m', 512 * 1024 ** 2],
    ['512M', 512 * 1024 ** 2],
    ['512mb', 512 * 1024 ** 2],
    ['1.5g', 1.5 * 1024 ** 3],
    ['2 GiB', 2 * 1024 ** 3],
    ['1t', 1024 ** 4],
    [' 64m ', 64 * 1024 ** 2],
  ])('reads %j as %d bytes', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  it.each(['', 'm', 'lots', '512x', '-1m', '1e3', '512 m b c', '99999999999t'])('refuses %j', (text) => {
    expect(parseByteSize(text)).toBeUndefined();
  });

  it('gives the memory field its message', () => {
    expect(issues({ image: 'a', memory: '512 megs' })).toEqual({ memory: 'Use a size such as 512m or 2g (units b, k, m, g, t).' });
    expect(runSpecSchema.parse({ image: 'a', memory: ' 512m ' }).memory).toBe('512m');
  });
});

describe('ports', () => {
  it('takes 1 to 65535 and names the field that is out of range', () => {
    expect(issues({ image: 'a', ports: [{ containerPort: 1, hostPort: 65535 }] })).toEqual({});
    expect(issues({ image: 'a', ports: [{ containerPort: 0 }] })).toEqual({ 'ports.0.containerPort': 'The container port is 1 to 65535.' });
    expect(issues({ image: 'a', ports: [{ containerPort: 80, hostPort: 65536 }] })).toEqual({ 'ports.0.hostPort': 'The host port is 1 to 65535.' });
    expect(issues({ image: 'a', ports: [{ containerPort: 80.5 }] })).toEqual({ 'ports.0.containerPort': 'The container port is a whole number.' });
  });

  it('takes an IPv4 or IPv6 host address, or none', () => {
    expect(issues({ image: 'a', ports: [{ hostIp: '::1', containerPort: 80 }, { hostIp: '', containerPort: 81 }] })).toEqual({});
    expect(issues({ image: 'a', ports: [{ hostIp: 'localhost', containerPort: 80 }] })).toEqual({ 'ports.0.hostIp': 'Use an IP address such as 127.0.0.1.' });
  });

  it('refuses the same host port twice on an overlapping address and protocol, on the later row', () => {
    expect(issues({ image: 'a', ports: [{ hostPort: 8080, containerPort: 80 }, { hostPort: 8080, containerPort: 81 }] })).toEqual({
      'ports.1.hostPort': 'Host port 8080/tcp is already published by port row 1.',
    });
    expect(issues({ image: 'a', ports: [{ hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80 }, { hostIp: '0.0.0.0', hostPort: 8080, containerPort: 81 }] })).toHaveProperty(
      ['ports.1.hostPort'],
    );
  });

  it('allows the same host port on another protocol or on two distinct addresses, and engine-picked ports', () => {
    expect(issues({ image: 'a', ports: [{ hostPort: 53, containerPort: 53 }, { hostPort: 53, containerPort: 53, protocol: 'udp' }] })).toEqual({});
    expect(issues({ image: 'a', ports: [{ hostIp: '127.0.0.1', hostPort: 80, containerPort: 80 }, { hostIp: '127.0.0.2', hostPort: 80, containerPort: 81 }] })).toEqual({});
    expect(issues({ image: 'a', ports: [{ containerPort: 80 }, { containerPort: 80 }] })).toEqual({});
  });
});

describe('mounts', () => {
  it('needs an absolute host path for a bind and a valid name for a volume', () => {
    expect(issues({ image: 'a', mounts: [{ kind: 'bind', source: 'relative/dir', target: '/data' }] })).toEqual({
      'mounts.0.source': 'A bind mount needs an absolute host path (starts with /).',
    });
    expect(issues({ image: 'a', mounts: [{ kind: 'volume', source: '/abs', target: '/data' }] })).toHaveProperty(['mounts.0.source']);
    expect(issues({ image: 'a', mounts: [{ kind: 'volume', source: '', target: '/data' }] })).toHaveProperty(['mounts.0.source'], 'Type a volume name or a host path.');
    expect(issues({ image: 'a', mounts: [{ kind: 'volume', source: 'data', target: '/data' }, { kind: 'bind', source: '/tmp', target: '/tmp', readOnly: true }] })).toEqual({});
  });

  it('needs an absolute target, and one mount per target', () => {
    expect(issues({ image: 'a', mounts: [{ kind: 'volume', source: 'data', target: 'data' }] })).toEqual({
      'mounts.0.target': 'The path inside the container is absolute (starts with /).',
    });
    expect(issues({ image: 'a', mounts: [{ kind: 'volume', source: 'one', target: '/data' }, { kind: 'volume', source: 'two', target: '/data' }] })).toEqual({
      'mounts.1.target': '/data is already mounted by mount row 1.',
    });
  });
});

describe('the run spec', () => {
  it('fills the defaults', () => {
    expect(runSpecSchema.parse({ image: 'local/busybox' })).toEqual({
      image: 'local/busybox',
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

  it('checks env and label names, user, working directory, CPUs and pids', () => {
    expect(
      issues({
        image: 'a',
        env: [{ key: 'A=B', value: '' }, { key: '', value: 'x' }],
        labels: [{ key: 'has space', value: '' }],
        user: 'me:you:them',
        workingDir: 'relative',
        cpus: 0,
        pidsLimit: 0,
      }),
    ).toEqual({
      'env.0.key': 'A name has no "=" and no spaces.',
      'env.1.key': 'Type a name.',
      'labels.0.key': 'A name has no "=" and no spaces.',
      user: 'Use user, uid, user:group or uid:gid.',
      workingDir: 'The working directory is an absolute path.',
      cpus: 'Give more than 0 CPUs.',
      pidsLimit: 'At least 1 process.',
    });
  });

  it('refuses auto-remove with a restart policy, and a restart count without on-failure', () => {
    expect(issues({ image: 'a', autoRemove: true, restart: 'always' })).toHaveProperty(['restart']);
    expect(issues({ image: 'a', restart: 'always', maxRetries: 3 })).toEqual({ maxRetries: 'A restart count applies only to the on-failure policy.' });
    expect(issues({ image: 'a', restart: 'on-failure', maxRetries: 3 })).toEqual({});
  });

  it('refuses fields it does not know', () => {
    expect(runSpecSchema.safeParse({ image: 'a', privileged: true }).success).toBe(false);
  });
});
