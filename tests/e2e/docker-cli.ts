// The docker CLI as the e2e tests use it to set the engine up and check it independently of Isolab, and the
// clean-up of every object a test made (by its name prefix), run even when the test failed.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** Whether `docker <kind> inspect name` finds it: kind is container, volume, network or image. */
export function exists(kind: 'container' | 'volume' | 'network' | 'image', name: string): boolean {
  try {
    docker(kind, 'inspect', name);
    return true;
  } catch {
    return false;
  }
}

/** A fresh name under the prefix: the prefix, the role, and random hex. */
export function testName(prefix: string, role: string): string {
  return `${prefix}${role}-${randomBytes(4).toString('hex')}`;
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

/** Removes the containers, then the image names, volumes and networks, that start with the prefix. */
export function removeTestObjects(prefix: string): void {
  const containers = lines(docker('ps', '-a', '--filter', `name=^/${prefix}`, '--format', '{{.Names}}'));
  if (containers.length > 0) docker('rm', '-f', '-v', ...containers);
  // An image with other names only loses this one.
  const images = lines(docker('images', '--format', '{{.Repository}}:{{.Tag}}')).filter((name) => name.startsWith(prefix));
  if (images.length > 0) docker('rmi', ...images);
  const volumes = lines(docker('volume', 'ls', '--format', '{{.Name}}')).filter((name) => name.startsWith(prefix));
  if (volumes.length > 0) docker('volume', 'rm', '-f', ...volumes);
  const networks = lines(docker('network', 'ls', '--format', '{{.Name}}')).filter((name) => name.startsWith(prefix));
  if (networks.length > 0) docker('network', 'rm', ...networks);
}

export const registry = process.env.ISOLAB_TEST_REGISTRY ?? '127.0.0.1:5000';

/**
 * Puts `registry/repository:tag` in the local test registry, and not on the engine: local/busybox with `bytes`
 * of random data on top, a layer the engine lacks, so pulling it downloads and shows progress. Returns the reference.
 */
export function pushToRegistry(repository: string, tag: string, bytes: number, sourceContainer: string): string {
  const reference = `${registry}/${repository}:${tag}`;
  docker('run', '--name', sourceContainer, 'local/busybox', 'sh', '-c', `head -c ${bytes} /dev/urandom > /payload`);
  docker('commit', sourceContainer, reference);
  docker('rm', sourceContainer);
  docker('push', reference);
  docker('rmi', reference);
  return reference;
}

/** Deletes the tag's manifest from the registry (its config allows deletes) and the image from the engine. */
export async function removeFromRegistry(repository: string, tag: string): Promise<void> {
  quietly(() => docker('rmi', '-f', `${registry}/${repository}:${tag}`));
  const head = await fetch(`http://${registry}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
  });
  const digest = head.headers.get('docker-content-digest');
  if (digest) await fetch(`http://${registry}/v2/${repository}/manifests/${digest}`, { method: 'DELETE' });
}

/** Runs a clean-up step whose object may already be gone. */
export function quietly(action: () => unknown): void {
  try {
    action();
  } catch {
    // Already gone: nothing to clean up.
  }
}
