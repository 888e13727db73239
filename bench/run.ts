// `npm run bench [-- doctor|containers|vms|terminal|compare ...]`: runs the chosen benchmarks (all by default), prints a table per
// benchmark and writes JSON under bench/results/. Benchmarks report figures; they never fail the build.
import os from 'node:os';
import { benchCompare } from './compare.bench';
import { benchContainers } from './containers.bench';
import { benchDoctor } from './doctor.bench';
import { printTable, writeResults, type Figure } from './stats';
import { benchTerminal } from './terminal.bench';
import { benchVms } from './vms.bench';

const benchmarks: Record<string, { title: string; run(): Promise<{ figures: Figure[]; raw: Record<string, unknown> }> }> = {
  doctor: { title: 'Host doctor and web mode', run: benchDoctor },
  containers: { title: 'Containers (Docker Engine API vs docker CLI)', run: benchContainers },
  vms: { title: 'Virtual machines (libvirt service vs virsh)', run: benchVms },
  terminal: { title: 'Terminals (flood, throughput, keystroke echo)', run: benchTerminal },
  compare: { title: 'Compare lab (probe rounds vs docker exec and virsh)', run: benchCompare },
};

const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !(name in benchmarks));
if (unknown.length) {
  console.error(`unknown benchmark: ${unknown.join(', ')} (choose from ${Object.keys(benchmarks).join(', ')})`);
  process.exit(2);
}
const machine = { cpu: os.cpus()[0]?.model, cpus: os.cpus().length, kernel: os.release(), node: process.version };
for (const name of chosen.length ? chosen : Object.keys(benchmarks)) {
  const benchmark = benchmarks[name]!;
  const { figures, raw } = await benchmark.run();
  printTable(benchmark.title, figures);
  console.log(`\nresults: ${writeResults(name, { machine, figures, raw })}`);
}
