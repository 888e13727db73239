// `npm run bench`: runs every benchmark, prints a table per benchmark and writes JSON under bench/results/.
// Benchmarks report figures; they never fail the build.
import os from 'node:os';
import { benchDoctor } from './doctor.bench';
import { printTable, writeResults } from './stats';

const machine = { cpu: os.cpus()[0]?.model, cpus: os.cpus().length, kernel: os.release(), node: process.version };
const { figures, raw } = await benchDoctor();
printTable('Host doctor and web mode', figures);
console.log(`\nresults: ${writeResults('doctor', { machine, figures, raw })}`);
