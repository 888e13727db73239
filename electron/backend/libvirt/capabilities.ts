// Reads libvirt capabilities XML (`virsh capabilities`) with an XML parser: which domain types
// (qemu = TCG, kvm) each guest architecture offers. Plain Node; never imports electron.
import { XMLParser } from 'fast-xml-parser';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => ['guest', 'domain', 'arch'].includes(name),
});

interface CapabilitiesXml {
  capabilities?: {
    guest?: { arch?: { name?: string; domain?: { type?: string }[] }[] }[];
  };
}

/** Domain types offered for guests of `arch`, in the order libvirt lists them. */
export function domainTypesFor(capabilitiesXml: string, arch = 'x86_64'): string[] {
  const parsed = parser.parse(capabilitiesXml) as CapabilitiesXml;
  const types = new Set<string>();
  for (const guest of parsed.capabilities?.guest ?? []) {
    for (const guestArch of guest.arch ?? []) {
      if (guestArch.name !== arch) continue;
      for (const domain of guestArch.domain ?? []) if (domain.type) types.add(domain.type);
    }
  }
  return [...types];
}

/** `virsh pool-dumpxml`: the pool's target path. */
export function poolTargetPath(poolXml: string): string | undefined {
  const parsed = parser.parse(poolXml) as { pool?: { target?: { path?: string } } };
  const target = parsed.pool?.target?.path;
  return typeof target === 'string' ? target : undefined;
}
