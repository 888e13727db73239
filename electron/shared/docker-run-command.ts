// The run wizard's spec as the equivalent `docker run` command line, and a typed command split like a shell.
// Pure TypeScript plus shell-quote; no node:*, DOM or electron.
import { parse, quote } from 'shell-quote';
import type { z } from 'zod';
import type { portSpecSchema, RunSpecInput } from './docker-schemas';

// Characters no POSIX shell treats specially inside a word: left bare so `-p 127.0.0.1:8080:80` stays readable
// (shell-quote would escape every ":" and "=").
const bareWord = /^[\w./:=@%+,-]+$/;

function shellWord(argument: string): string {
  return bareWord.test(argument) ? argument : quote([argument]);
}

function portFlag(port: z.input<typeof portSpecSchema>): string {
  const hostIp = port.hostIp ?? '';
  const address = hostIp.includes(':') ? `[${hostIp}]` : hostIp;
  const host = address !== '' ? `${address}:${port.hostPort ?? ''}:` : port.hostPort !== undefined ? `${port.hostPort}:` : '';
  const protocol = port.protocol && port.protocol !== 'tcp' ? `/${port.protocol}` : '';
  return `${host}${port.containerPort}${protocol}`;
}

// --mount (not -v) because the app creates mounts the same way: a missing bind source is an error, not a new folder.
// Its value is CSV, so a field with a comma or quote is quoted CSV-style.
function mountField(key: string, value: string): string {
  const field = `${key}=${value}`;
  return /[",]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

/** The arguments of `docker run` (without "docker run") in the order people usually write them. */
export function dockerRunArguments(spec: RunSpecInput): string[] {
  const args = ['-d'];
  if (spec.name) args.push('--name', spec.name);
  for (const { key, value } of spec.env ?? []) args.push('-e', `${key}=${value}`);
  for (const port of spec.ports ?? []) args.push('-p', portFlag(port));
  for (const mount of spec.mounts ?? []) {
    const fields = [mountField('type', mount.kind), mountField('source', mount.source), mountField('target', mount.target)];
    args.push('--mount', [...fields, ...(mount.readOnly ? ['readonly'] : [])].join(','));
  }
  if (spec.network) args.push('--network', spec.network);
  if (spec.restart && spec.restart !== 'no') {
    args.push('--restart', spec.restart === 'on-failure' && spec.maxRetries ? `on-failure:${spec.maxRetries}` : spec.restart);
  }
  if (spec.cpus !== undefined) args.push('--cpus', String(spec.cpus));
  if (spec.memory !== undefined) args.push('--memory', spec.memory.trim());
  if (spec.pidsLimit !== undefined) args.push('--pids-limit', String(spec.pidsLimit));
  if (spec.tty) args.push('-t');
  if (spec.interactive) args.push('-i');
  if (spec.autoRemove) args.push('--rm');
  for (const { key, value } of spec.labels ?? []) args.push('--label', `${key}=${value}`);
  // docker run takes one word for --entrypoint; the rest of an entrypoint array goes before the command.
  const [entrypoint, ...entrypointRest] = spec.entrypoint ?? [];
  if (spec.entrypoint) args.push('--entrypoint', entrypoint ?? '');
  if (spec.workingDir) args.push('-w', spec.workingDir);
  if (spec.user) args.push('-u', spec.user);
  args.push(spec.image.trim(), ...entrypointRest, ...(spec.command ?? []));
  return args;
}

/** `docker run …` with every argument quoted for a POSIX shell: pasting it into a terminal does the same. */
export function dockerRunCommand(spec: RunSpecInput): string {
  return ['docker', 'run', ...dockerRunArguments(spec)].map(shellWord).join(' ');
}

export type SplitResult = { ok: true; args: string[] } | { ok: false; message: string };

/** Where a quote opened by the text is still open at its end, if any (shell-quote's parse silently closes it). */
function unclosedQuote(text: string): '"' | "'" | '\\' | undefined {
  let open: '"' | "'" | undefined;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (open === "'") {
      if (char === "'") open = undefined;
    } else if (char === '\\') {
      if (index === text.length - 1) return '\\';
      index++;
    } else if (char === '"' || char === "'") {
      if (open === undefined) open = char;
      else if (open === char) open = undefined;
    }
  }
  return open;
}

/**
 * Splits what the user typed into arguments the way a shell would, but runs no shell: `$NAME` stays as typed,
 * and operators (`&&`, `|`, `>`) are refused with the way to get them (`sh -c '…'`).
 */
export function splitCommandLine(text: string): SplitResult {
  const quoteLeft = unclosedQuote(text);
  if (quoteLeft === '\\') return { ok: false, message: 'The text ends with a lone backslash.' };
  if (quoteLeft) return { ok: false, message: `A ${quoteLeft === '"' ? 'double' : 'single'} quote is not closed.` };
  const args: string[] = [];
  for (const entry of parse(text, (name) => `$${name}`)) {
    if (typeof entry === 'string') args.push(entry);
    else if ('pattern' in entry) args.push(entry.pattern);
    else if ('comment' in entry) return { ok: false, message: 'A "#" starts a shell comment here: quote it if it belongs to an argument.' };
    else return { ok: false, message: `"${entry.op}" needs a shell: write the command as sh -c '…'.` };
  }
  return { ok: true, args };
}
