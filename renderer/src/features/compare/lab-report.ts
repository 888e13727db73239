// The Compare lab's export: the whole run (subjects, every probe's command, raw output and value, the host view,
// the race and the experiments) as JSON and as Markdown, with the same findings the page shows. Pure; no DOM.
import { claims, engineRealityCheck, probeRows } from '@shared/compare-findings';
import { experimentIds, probeIds } from '@shared/compare-types';
import type { LabState } from './lab-store';

export interface LabReport {
  kind: 'isolab-compare-lab';
  generatedAt: string;
  subjects: LabState['probes']['subjects'] | null;
  engineRealityCheck: string | null;
  claims: typeof claims;
  probes: ReturnType<typeof probeRows>;
  hostView: LabState['hostView']['data'] | null;
  race: LabState['race']['result'] | null;
  experiments: { id: string; steps: { title: string; subject: string; command: string; output: string; exitCode: number | null; findings: Record<string, string | number> }[]; conclusion: string | null }[];
}

export function labReport(state: LabState, now = new Date()): LabReport {
  const subjects = state.probes.subjects;
  return {
    kind: 'isolab-compare-lab',
    generatedAt: now.toISOString(),
    subjects: subjects ?? null,
    engineRealityCheck: engineRealityCheck(subjects, undefined) ?? null,
    claims,
    probes: probeRows(subjects, state.probes.runs, probeIds).filter((row) => Object.keys(row.runs).length > 0),
    hostView: state.hostView.data ?? null,
    race: state.race.result ?? null,
    experiments: experimentIds.flatMap((id) => {
      const experiment = state.experiments[id];
      if (!experiment) return [];
      return [
        {
          id,
          steps: experiment.steps.map((step) => ({
            title: step.title,
            subject: step.subject,
            command: step.command,
            output: experiment.output[step.index] ?? '',
            exitCode: experiment.results[step.index]?.exitCode ?? null,
            findings: experiment.results[step.index]?.findings ?? {},
          })),
          conclusion: experiment.conclusion ?? null,
        },
      ];
    }),
  };
}

/** A fenced block that no backtick run inside the text can close early. */
function fence(text: string, language = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${language}\n${text.replace(/\n$/, '')}\n${ticks}`;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

export function labMarkdown(report: LabReport): string {
  const lines: string[] = ['# Isolab Compare lab', '', `Generated ${report.generatedAt}. Every value below was measured in this run; the command that produced it follows.`, ''];
  const subjects = report.subjects;
  if (subjects) {
    lines.push('## Subjects', '', `- Host: ${subjects.host.hostname}, kernel ${subjects.host.kernelRelease}`);
    if (subjects.container) lines.push(`- Container: ${subjects.container.name} (${subjects.container.image}), engine kernel ${subjects.container.engineKernel} on ${subjects.container.engineOs}`);
    if (subjects.vm) {
      const how = subjects.vm.via ? `reached by ${subjects.vm.via}` : `not reachable: ${subjects.vm.error?.message ?? 'unknown'}`;
      lines.push(`- VM: ${subjects.vm.name} on ${subjects.vm.uri}, ${subjects.vm.acceleration === 'tcg' ? 'QEMU software emulation (TCG)' : subjects.vm.acceleration.toUpperCase()}, ${subjects.vm.vcpus} vCPU, ${mib(subjects.vm.memoryBytes)}, ${how}`);
    }
    lines.push('');
  }
  if (report.engineRealityCheck) lines.push(`> ${report.engineRealityCheck}`, '');
  if (report.probes.length > 0) {
    lines.push('## Probes', '', '| Probe | Host | Container | VM | Claims |', '| --- | --- | --- | --- | --- |');
    for (const row of report.probes) {
      const value = (subject: 'host' | 'container' | 'vm') => {
        const run = row.runs[subject];
        if (!run) return '—';
        return cell(run.value?.summary ?? `error: ${run.error?.message ?? 'no value'}`);
      };
      lines.push(`| ${row.title} | ${value('host')} | ${value('container')} | ${value('vm')} | ${row.claims.join(', ')} |`);
    }
    lines.push('');
    for (const row of report.probes) {
      lines.push(`### ${row.title}`, '', row.explanation, '');
      for (const run of Object.values(row.runs)) {
        lines.push(`${run.subject} (${run.via}, exit ${run.exitCode}, ${Math.round(run.durationMs)} ms):`, '', fence(run.command, 'sh'), '', fence(run.stdout + (run.stderr ? `\n${run.stderr}` : '')), '');
      }
    }
  }
  const view = report.hostView;
  if (view) {
    lines.push('## What the host sees', '', `The host has ${view.hostProcessCount} processes.`, '');
    if (view.container) {
      lines.push('Container processes (host PID → PID inside):', '');
      for (const row of view.container.processes) lines.push(`- ${row.hostPid} → ${row.innerPid ?? '?'}: ${row.command}`);
      lines.push('', `Container cgroup memory: ${mib(view.container.memoryUsageBytes)}; image ${mib(view.container.image.sizeBytes)} in ${view.container.image.layers} layer(s); writable layer ${mib(view.container.writableLayerBytes)}.`, '');
    }
    if (view.vm) {
      lines.push(view.vm.qemu ? `VM: one qemu process, PID ${view.vm.qemu.hostPid}, RSS ${mib(view.vm.qemu.rssBytes ?? 0)}, ${view.vm.qemu.threads} threads, for ${mib(view.vm.memoryBytes)} of guest RAM.` : 'VM: no qemu process (not running).');
      for (const disk of view.vm.disks) lines.push(`- disk ${disk.target}: ${disk.path}, ${mib(disk.allocationBytes)} allocated of ${mib(disk.capacityBytes)}`);
      for (const file of view.vm.bootFiles) lines.push(`- boot file ${file.path}: ${mib(file.sizeBytes)}`);
      lines.push('');
    }
  }
  if (report.race) {
    lines.push('## Start-time race', '', `Median of ${report.race.runs} run(s), ms from the start of each run:`, '', '| Subject | create | start | first output | ready |', '| --- | --- | --- | --- | --- |');
    for (const subject of ['container', 'vm'] as const) {
      const median = report.race.median[subject];
      const ms = (value: number | undefined) => (value === undefined ? '—' : String(Math.round(value)));
      lines.push(`| ${subject} | ${ms(median.create)} | ${ms(median.start)} | ${ms(median['first-output'])} | ${ms(median.ready)} |`);
    }
    lines.push('', 'Commands:', '', fence([...report.race.commands.container, ...report.race.commands.vm].join('\n'), 'sh'), '');
  }
  for (const experiment of report.experiments) {
    lines.push(`## Experiment: ${experiment.id}`, '');
    for (const step of experiment.steps) {
      lines.push(`### ${step.title} (${step.subject}, exit ${step.exitCode ?? '—'})`, '', fence(step.command, 'sh'), '', fence(step.output || '(no output)'), '');
    }
    if (experiment.conclusion) lines.push(experiment.conclusion, '');
  }
  lines.push('## The seven claims', '', ...report.claims.map((claim) => `${claim.id}. ${claim.text}`), '');
  return lines.join('\n');
}
