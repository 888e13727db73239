// The run spec turned into the Engine API create body, field by field as `docker run` sends it, and the engine's
// list and inspect JSON turned into the contract's summary and detail.
import { describe, expect, it } from 'vitest';
import { runSpecSchema } from '@shared/docker-schemas';
import { createBody } from '../../electron/backend/docker/container-create';
import { containerName, toContainerDetail, toContainerSummary } from '../../electron/backend/docker/container-summary';

describe('createBody', () => {
  it('maps a full spec the way `docker run -d` does', () => {
    const spec = runSpecSchema.parse({
      image: 'local/busybox:latest',
      name: 'web',
      command: ['httpd', '-f', '-p', '80'],
      entrypoint: ['/bin/sh', '-c'],
      workingDir: '/srv',
      user: '1000:1000',
      env: [{ key: 'A', value: 'x=y' }],
      ports: [
        { hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80 },
        { hostPort: 8443, containerPort: 80 },
        { containerPort: 53, protocol: 'udp' },
      ],
      mounts: [
        { kind: 'volume', source: 'data', target: '/data' },
        { kind: 'bind', source: '/etc', target: '/host-etc', readOnly: true },
      ],
      network: 'backend',
      restart: 'on-failure',
      maxRetries: 5,
      cpus: 1.5,
      memory: '512m',
      pidsLimit: 100,
      tty: true,
      interactive: true,
      labels: [{ key: 'team', value: 'web' }],
    });
    expect(createBody(spec)).toEqual({
      Image: 'local/busybox:latest',
      Cmd: ['httpd', '-f', '-p', '80'],
      Entrypoint: ['/bin/sh', '-c'],
      Env: ['A=x=y'],
      WorkingDir: '/srv',
      User: '1000:1000',
      Labels: { team: 'web' },
      ExposedPorts: { '80/tcp': {}, '53/udp': {} },
      Tty: true,
      OpenStdin: true,
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      StdinOnce: false,
      HostConfig: {
        PortBindings: {
          '80/tcp': [
            { HostIp: '127.0.0.1', HostPort: '8080' },
            { HostIp: '', HostPort: '8443' },
          ],
          '53/udp': [{ HostIp: '', HostPort: '' }],
        },
        Mounts: [
          { Type: 'volume', Source: 'data', Target: '/data', ReadOnly: false },
          { Type: 'bind', Source: '/etc', Target: '/host-etc', ReadOnly: true },
        ],
        NetworkMode: 'backend',
        RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 5 },
        AutoRemove: false,
        NanoCpus: 1_500_000_000,
        Memory: 512 * 1024 * 1024,
        PidsLimit: 100,
      },
    });
  });

  it("leaves the image's command, entrypoint and limits alone when the spec does not set them", () => {
    const body = createBody(runSpecSchema.parse({ image: 'local/busybox', autoRemove: true }));
    expect(body).not.toHaveProperty('Cmd');
    expect(body).not.toHaveProperty('Entrypoint');
    expect(body).not.toHaveProperty('WorkingDir');
    expect(body.HostConfig).toEqual({
      PortBindings: {},
      Mounts: [],
      NetworkMode: 'default',
      RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
      AutoRemove: true,
    });
  });

  it('keeps an empty entrypoint, which clears the image entrypoint as `--entrypoint ""` does', () => {
    expect(createBody(runSpecSchema.parse({ image: 'local/busybox', entrypoint: [] })).Entrypoint).toEqual([]);
  });
});

describe('container summaries', () => {
  const row = {
    Id: 'a'.repeat(64),
    Names: ['/other/alias', '/web'],
    Image: 'nginx:1.27',
    ImageID: 'sha256:' + 'b'.repeat(64),
    Command: 'nginx -g daemon off;',
    Created: 1_795_644_538,
    Ports: [
      { IP: '::', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
      { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
      { PrivatePort: 443, Type: 'tcp' },
    ],
    Labels: { 'com.docker.compose.project': 'shop' },
    State: 'running',
    Status: 'Up 3 minutes',
    NetworkSettings: { Networks: { bridge: {}, shop_default: {} } },
  };

  it('names a container by its own name, not a link alias, without the leading slash', () => {
    expect(containerName(['/other/alias', '/web'], row.Id)).toBe('web');
    expect(containerName([], row.Id)).toBe('aaaaaaaaaaaa');
  });

  it('turns a list row into a summary with published and unpublished ports and the compose project', () => {
    expect(toContainerSummary(row)).toEqual({
      id: row.Id,
      name: 'web',
      image: 'nginx:1.27',
      imageId: row.ImageID,
      command: 'nginx -g daemon off;',
      state: 'running',
      status: 'Up 3 minutes',
      created: 1_795_644_538,
      ports: [
        { containerPort: 80, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 8080 },
        { containerPort: 80, protocol: 'tcp', hostIp: '::', hostPort: 8080 },
        { containerPort: 443, protocol: 'tcp' },
      ],
      labels: { 'com.docker.compose.project': 'shop' },
      composeProject: 'shop',
      networks: ['bridge', 'shop_default'],
    });
  });

  it('reads the detail from inspect, with no limit as null and Go zero times left out', () => {
    const detail = toContainerDetail(toContainerSummary(row), {
      Id: row.Id,
      Path: 'nginx',
      Args: ['-g', 'daemon off;'],
      State: { Status: 'created', Pid: 0, ExitCode: 0, OOMKilled: false, StartedAt: '0001-01-01T00:00:00Z', FinishedAt: '0001-01-01T00:00:00Z' },
      Config: { Entrypoint: null, Cmd: ['nginx', '-g', 'daemon off;'], Env: ['PATH=/bin'], Tty: false },
      HostConfig: { RestartPolicy: { Name: '', MaximumRetryCount: 0 }, PidsLimit: -1, Memory: 0, NanoCpus: 0 },
      Mounts: [{ Type: 'volume', Name: 'data', Source: '/var/lib/docker/volumes/data/_data', Destination: '/data', RW: true }],
    });
    expect(detail).toMatchObject({
      state: 'created',
      command: 'nginx -g daemon off;',
      entrypoint: [],
      restartPolicy: { name: 'no', maximumRetryCount: 0 },
      limits: { nanoCpus: 0, memoryBytes: 0, pidsLimit: null },
      mounts: [{ type: 'volume', source: 'data', target: '/data', readOnly: false }],
    });
    expect(detail).not.toHaveProperty('startedAt');
    expect(detail).not.toHaveProperty('exitCode');
  });
});
