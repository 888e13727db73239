// The run wizard's `docker run` preview: flag order and syntax, quoting that a shell reads back to the same
// arguments, and splitting a typed command like a shell (with errors for what needs a real shell).
import { parse } from 'shell-quote';
import { describe, expect, it } from 'vitest';
import { dockerRunArguments, dockerRunCommand, splitCommandLine } from '@shared/docker-run-command';
import type { RunSpecInput } from '@shared/docker-schemas';

const everything: RunSpecInput = {
  image: 'registry.example:5000/team/app:1.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  name: 'web-1',
  command: ['sh', '-c', 'while true; do echo "tick $HOME"; sleep 1; done'],
  entrypoint: ['/bin/tini', '--'],
  workingDir: '/srv/app',
  user: '1000:1000',
  env: [
    { key: 'GREETING', value: "it's a test" },
    { key: 'EMPTY', value: '' },
  ],
  ports: [
    { hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80 },
    { containerPort: 53, protocol: 'udp' },
    { hostIp: '::1', containerPort: 443 },
    { hostPort: 9000, containerPort: 9000, protocol: 'tcp' },
  ],
  mounts: [
    { kind: 'volume', source: 'data', target: '/var/lib/data' },
    { kind: 'bind', source: '/home/me/my files', target: '/config', readOnly: true },
    { kind: 'bind', source: '/srv/a,b "c"', target: '/odd' },
  ],
  network: 'isolab-net',
  restart: 'on-failure',
  maxRetries: 3,
  cpus: 1.5,
  memory: '512m',
  pidsLimit: 100,
  tty: true,
  interactive: true,
  labels: [{ key: 'com.example.role', value: 'front end' }],
};

describe('dockerRunArguments', () => {
  it('writes every setting as docker run flags, in the usual order, image then entrypoint rest then command', () => {
    expect(dockerRunArguments(everything)).toEqual([
      '-d',
      '--name', 'web-1',
      '-e', "GREETING=it's a test",
      '-e', 'EMPTY=',
      '-p', '127.0.0.1:8080:80',
      '-p', '53/udp',
      '-p', '[::1]::443',
      '-p', '9000:9000',
      '--mount', 'type=volume,source=data,target=/var/lib/data',
      '--mount', 'type=bind,source=/home/me/my files,target=/config,readonly',
      '--mount', 'type=bind,"source=/srv/a,b ""c""",target=/odd',
      '--network', 'isolab-net',
      '--restart', 'on-failure:3',
      '--cpus', '1.5',
      '--memory', '512m',
      '--pids-limit', '100',
      '-t',
      '-i',
      '--label', 'com.example.role=front end',
      '--entrypoint', '/bin/tini',
      '-w', '/srv/app',
      '-u', '1000:1000',
      everything.image,
      '--',
      'sh', '-c', 'while true; do echo "tick $HOME"; sleep 1; done',
    ]);
  });

  it('leaves out what is not set: only -d and the image remain', () => {
    expect(dockerRunArguments({ image: 'local/busybox' })).toEqual(['-d', 'local/busybox']);
  });

  it('writes restart policies with and without a count, --rm, and an empty entrypoint', () => {
    expect(dockerRunArguments({ image: 'a', restart: 'always' })).toContain('always');
    expect(dockerRunArguments({ image: 'a', restart: 'on-failure' })).toEqual(['-d', '--restart', 'on-failure', 'a']);
    expect(dockerRunArguments({ image: 'a', restart: 'no', autoRemove: true })).toEqual(['-d', '--rm', 'a']);
    expect(dockerRunArguments({ image: 'a', entrypoint: [] })).toEqual(['-d', '--entrypoint', '', 'a']);
    expect(dockerRunArguments({ image: 'a', ports: [{ hostIp: '10.0.0.1', containerPort: 80, protocol: 'sctp' }] })).toEqual(['-d', '-p', '10.0.0.1::80/sctp', 'a']);
  });
});

describe('dockerRunCommand', () => {
  it('quotes so that a shell reads back exactly the same arguments', () => {
    const command = dockerRunCommand(everything);
    expect(parse(command, (name) => `$${name}`)).toEqual(['docker', 'run', ...dockerRunArguments(everything)]);
  });

  it('keeps ordinary words bare and quotes only what a shell would change', () => {
    expect(dockerRunCommand({ image: 'local/busybox:latest', name: 'isolab-test-x', ports: [{ hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80 }], env: [{ key: 'A', value: 'b c' }], command: ['sh', '-c', 'echo $X; sleep 1'] })).toBe(
      "docker run -d --name isolab-test-x -e 'A=b c' -p 127.0.0.1:8080:80 local/busybox:latest sh -c 'echo $X; sleep 1'",
    );
    expect(dockerRunCommand({ image: 'a', entrypoint: [''] })).toBe("docker run -d --entrypoint '' a");
  });
});

describe('splitCommandLine', () => {
  it.each([
    ["sh -c 'while true; do echo tick; sleep 0.2; done'", ['sh', '-c', 'while true; do echo tick; sleep 0.2; done']],
    ['echo "a b" c\\ d', ['echo', 'a b', 'c d']],
    ['echo $HOME "$USER" *.txt', ['echo', '$HOME', '$USER', '*.txt']],
    ['  ', []],
    ["echo 'it''s'", ['echo', 'its']],
  ])('splits %s', (text, args) => {
    expect(splitCommandLine(text)).toEqual({ ok: true, args });
  });

  it.each([
    ["sh -c 'echo hi", 'single quote is not closed'],
    ['echo "hi', 'double quote is not closed'],
    ['echo "it\'s', 'double quote is not closed'],
    ['echo hi\\', 'lone backslash'],
    ['echo a && echo b', '"&&" needs a shell'],
    ['cat file | wc', '"|" needs a shell'],
    ['echo a # b', 'shell comment'],
  ])('refuses %s', (text, message) => {
    const result = splitCommandLine(text);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toContain(message);
  });
});
