// The containers the Compare lab starts for its probes: labelled, idle until removed, no ports or mounts; and the
// clean-up that removes exactly those. Never imports electron.
import { randomBytes } from 'node:crypto';
import { labContainerLabel } from '@shared/compare-api';
import { AppError } from '@shared/errors';
import type { DockerAccess } from '../docker/docker-access';
import { dockerStatus } from '../docker/docker-errors';

/**
 * Idles as two steady processes (the shell as PID 1 and one long sleep, so the host's view does not change every
 * second) and ends at once on SIGTERM, which interrupts `wait`, instead of waiting for the kill.
 */
export const idleCommand = ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 3600 & wait $!; done'];

export function createLabContainers(docker: DockerAccess) {
  return {
    async launch(image: string, purpose = 'probe'): Promise<{ id: string; name: string }> {
      const name = `isolab-lab-${randomBytes(4).toString('hex')}`;
      const notHere = (error: unknown) =>
        dockerStatus(error) === 404
          ? { text: `Pull ${image} on the Images page, then launch again.`, command: `docker pull ${image}` }
          : undefined;
      return docker.withEngine(
        `Launching a lab container from ${image}`,
        async (engine) => {
          const container = await engine.createContainer({ name, Image: image, Cmd: idleCommand, Labels: { [labContainerLabel]: purpose } });
          try {
            await container.start();
          } catch (error) {
            await container.remove({ force: true }).catch(() => undefined);
            throw error;
          }
          return { id: container.id, name };
        },
        notHere,
      );
    },

    async cleanup(): Promise<{ removed: number }> {
      return docker.withEngine('Removing the lab containers', async (engine) => {
        const found = await engine.listContainers({ all: true, filters: { label: [labContainerLabel] } });
        const failures: string[] = [];
        for (const entry of found) {
          await engine
            .getContainer(entry.Id)
            .remove({ force: true })
            .catch((error: unknown) => failures.push(`${entry.Names[0]?.replace(/^\//, '') ?? entry.Id}: ${String(error)}`));
        }
        if (failures.length > 0) {
          throw new AppError('INTERNAL', `${failures.length} lab container(s) could not be removed`, {
            detail: failures.join('\n'),
            fix: { text: `Remove them by hand: docker rm -f $(docker ps -aq --filter label=${labContainerLabel})` },
          });
        }
        return { removed: found.length };
      });
    },
  };
}
