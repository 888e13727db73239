// Where a VM's VNC display is: read from the domain's live XML (`virsh dumpxml`), never taken from the user.
// Only a local libvirt connection and an address of this machine (or libvirt's unix socket) qualify. Plain Node; never imports electron.
import { isIP } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import { AppError } from '@shared/errors';
import type { Virsh } from '../libvirt/virsh';

export type VncEndpoint = { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string };

interface ListenXml {
  '@_type'?: string;
  '@_address'?: string;
  '@_socket'?: string;
}

interface GraphicsXml {
  '@_type'?: string;
  '@_port'?: string;
  '@_socket'?: string;
  /** The attribute form of the listen address; the <listen> children below say more. */
  '@_listen'?: string;
  listen?: ListenXml[];
}

interface DomainXml {
  domain?: { '@_id'?: string; devices?: { graphics?: GraphicsXml[] } };
}

// Prefixed attributes: <graphics listen='…'> has both a listen attribute and <listen> children.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  isArray: (_name, jPath) => jPath === 'domain.devices.graphics' || jPath === 'domain.devices.graphics.listen',
});

/** qemu:///system, qemu:///session, qemu+unix:///system: the daemon on this machine. A remote display is not ours to reach. */
export function isLocalLibvirtUri(uri: string): boolean {
  return /^[a-z][a-z0-9]*(\+unix)?:\/\/\/[^\s]*$/.test(uri);
}

export function describeEndpoint(endpoint: VncEndpoint): string {
  if (endpoint.kind === 'unix') return endpoint.path;
  return isIP(endpoint.host) === 6 ? `[${endpoint.host}]:${endpoint.port}` : `${endpoint.host}:${endpoint.port}`;
}

function isLoopback(address: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address) || address === '::1';
}

/**
 * The address to connect to for a display listening on `listen`: "any" becomes loopback; loopback and this
 * machine's own addresses stay; anything else is refused (it would be another machine).
 */
function connectAddress(listen: string, localAddresses: ReadonlySet<string>, name: string): string {
  if (listen === '' || listen === 'localhost') return '127.0.0.1';
  if (listen === '0.0.0.0') return '127.0.0.1';
  if (listen === '::') return '::1';
  if (isIP(listen) !== 0 && (isLoopback(listen) || localAddresses.has(listen))) return listen;
  throw new AppError('PERMISSION_DENIED', `The VNC display of ${name} listens on ${listen}, which is not an address of this machine`, {
    fix: { text: 'Make the display listen on 127.0.0.1 (in the VM\'s graphics settings) and restart the VM.' },
  });
}

/** The display of `name` as its live XML says. Throws CONFLICT when the VM is not running, NOT_FOUND without a VNC display. */
export function vncEndpointFromXml(xml: string, name: string, localAddresses: ReadonlySet<string>): VncEndpoint {
  const domain = (parser.parse(xml) as DomainXml).domain;
  if (!domain) throw new AppError('INTERNAL', `virsh dumpxml ${name} printed no domain`, { detail: xml.slice(0, 500) });
  if (domain['@_id'] === undefined) {
    throw new AppError('CONFLICT', `${name} is not running, so it has no display to show`, { fix: { text: 'Start the VM first.' } });
  }
  const graphics = (domain.devices?.graphics ?? []).find((device) => device['@_type'] === 'vnc');
  if (!graphics) {
    throw new AppError('NOT_FOUND', `${name} has no VNC display`, {
      fix: {
        text: 'Add a VNC display to the VM (listening on 127.0.0.1), then restart it.',
        command: `virt-xml ${name} --add-device --graphics vnc,listen=127.0.0.1`,
      },
    });
  }
  const listens = graphics.listen ?? [];
  const socket = graphics['@_socket'] ?? listens.find((listen) => listen['@_type'] === 'socket')?.['@_socket'];
  if (socket) return { kind: 'unix', path: socket };
  const port = Number(graphics['@_port']);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new AppError('UNAVAILABLE', `libvirt reports no port for the VNC display of ${name}`, { detail: `port='${graphics['@_port'] ?? ''}'` });
  }
  const listen = listens.find((entry) => entry['@_address'] !== undefined)?.['@_address'] ?? graphics['@_listen'] ?? '';
  return { kind: 'tcp', host: connectAddress(listen, localAddresses, name), port };
}

/** Asks libvirt where the domain's display is (its live XML), on a local connection only. */
export async function resolveVncEndpoint(
  virsh: Virsh,
  uri: string,
  name: string,
  localAddresses: ReadonlySet<string>,
  signal?: AbortSignal,
): Promise<VncEndpoint> {
  if (!isLocalLibvirtUri(uri)) {
    throw new AppError('INVALID_ARGUMENT', `The VNC console needs a libvirt connection on this machine, not ${uri}`, {
      fix: { text: 'Open the console from a local connection such as qemu:///system, or use the serial console.' },
    });
  }
  const xml = await virsh.run(uri, ['dumpxml', '--domain', name], signal ? { signal } : {});
  return vncEndpointFromXml(xml, name, localAddresses);
}
