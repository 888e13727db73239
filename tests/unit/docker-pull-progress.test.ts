// The pull progress reducer over pulls recorded from the real registry (tests/fixtures/docker/pull), the
// reference defaults, and how registry failures map to error codes.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PullProgress } from '@shared/docker-types';
import {
  applyPullMessage,
  createPullState,
  pullFailure,
  pullProgress,
  registryOf,
  withDefaultTag,
  type PullMessage,
} from '../../electron/backend/docker/image-pull';

function recorded(name: string): PullMessage[] {
  const text = fs.readFileSync(fileURLToPath(new URL(`../fixtures/docker/pull/${name}`, import.meta.url)), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as PullMessage);
}

/** Every progress the reducer would emit (one per visible change), as the stream sees them. */
function replay(reference: string, messages: PullMessage[]): PullProgress[] {
  const state = createPullState(reference);
  const seen: PullProgress[] = [];
  for (const message of messages) if (applyPullMessage(state, message)) seen.push(pullProgress(state, false));
  return seen;
}

describe('the pull progress reducer', () => {
  const reference = '127.0.0.1:5000/isolab-test/fixture-layers:1';
  const events = replay(reference, recorded('layer-exists-then-download.jsonl'));
  const last = events.at(-1)!;

  it('keeps one entry per layer in order of appearance, and not the "Pulling from" line (whose id is the tag)', () => {
    expect(last.layers.map((layer) => layer.id)).toEqual(['37770e10d014', 'abf1b27f3470']);
    expect(events[0]?.status).toBe('Pulling from isolab-test/fixture-layers');
    expect(events[0]?.layers).toEqual([]);
  });

  it('counts a layer that already exists as done without a size, and a pulled one with its size', () => {
    expect(last.layers).toEqual([
      { id: '37770e10d014', status: 'Already exists', current: 0, total: 0 },
      { id: 'abf1b27f3470', status: 'Pull complete', current: 3146844, total: 3146844 },
    ]);
    expect(last.current).toBe(3146844);
    expect(last.total).toBe(3146844);
    expect(last.status).toBe('Status: Downloaded newer image for 127.0.0.1:5000/isolab-test/fixture-layers:1');
  });

  it('follows a layer through download and extraction, and the overall bytes never go back', () => {
    const layer = (progress: PullProgress) => progress.layers.find((candidate) => candidate.id === 'abf1b27f3470');
    const downloading = events.find((progress) => layer(progress)?.status === 'Downloading');
    expect(layer(downloading!)).toEqual({ id: 'abf1b27f3470', status: 'Downloading', current: 36445, total: 3146844 });
    expect(downloading?.current).toBe(36445);
    const extracting = events.find((progress) => layer(progress)?.status === 'Extracting');
    expect(layer(extracting!)?.current).toBe(32768);
    // Extraction restarts the layer's own bar, but the download it counts for is complete.
    expect(extracting?.current).toBe(3146844);
    const overall = events.map((progress) => progress.current);
    expect(overall).toEqual([...overall].sort((a, b) => a - b));
  });

  it('reports nothing new for a repeated message', () => {
    const state = createPullState(reference);
    const message: PullMessage = { status: 'Waiting', progressDetail: {}, id: 'abf1b27f3470' };
    expect(applyPullMessage(state, message)).toBe(true);
    expect(applyPullMessage(state, message)).toBe(false);
  });

  it('leaves the error line of a failed pull to the caller and maps it to a clear error', () => {
    const messages = recorded('layer-verification-failed.jsonl');
    const failure = messages.find((message) => message.errorDetail);
    expect(failure?.errorDetail?.message).toMatch(/^filesystem layer verification failed/);
    const progress = replay('127.0.0.1:5000/isolab-test/fixture-broken:1', messages.filter((message) => !message.errorDetail)).at(-1);
    expect(progress?.layers).toEqual([{ id: '07b8aa99b3e8', status: 'Verifying Checksum', current: 200277, total: 200277 }]);
    const error = pullFailure('127.0.0.1:5000/isolab-test/fixture-broken:1', failure!.errorDetail!.message!);
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toBe(`Pulling 127.0.0.1:5000/isolab-test/fixture-broken:1: ${failure!.errorDetail!.message!}`);
  });
});

describe('pull references and failures', () => {
  it('adds :latest like docker pull, and leaves tags, digests and registry ports alone', () => {
    expect(withDefaultTag('alpine')).toBe('alpine:latest');
    expect(withDefaultTag('127.0.0.1:5000/team/app')).toBe('127.0.0.1:5000/team/app:latest');
    expect(withDefaultTag('127.0.0.1:5000/team/app:1.2')).toBe('127.0.0.1:5000/team/app:1.2');
    const digest = `alpine@sha256:${'a'.repeat(64)}`;
    expect(withDefaultTag(digest)).toBe(digest);
  });

  it('finds the registry a reference names, Docker Hub when none', () => {
    expect(registryOf('alpine:3.20')).toBe('docker.io');
    expect(registryOf('library/alpine')).toBe('docker.io');
    expect(registryOf('127.0.0.1:5000/a/b:1')).toBe('127.0.0.1:5000');
    expect(registryOf('localhost/app')).toBe('localhost');
    expect(registryOf('ghcr.io/owner/app')).toBe('ghcr.io');
  });

  // The texts are dockerd 20.10's answers recorded here (POST /images/create against 127.0.0.1:5000 and :5999),
  // plus the texts dockerd gives for an unknown Docker Hub repository, an unknown host and a refused login.
  it.each([
    ['manifest for 127.0.0.1:5000/isolab-test/does-not-exist:latest not found: manifest unknown: manifest unknown', 404, 'NOT_FOUND'],
    ['Get "http://127.0.0.1:5999/v2/": dial tcp 127.0.0.1:5999: connect: connection refused', 500, 'UNAVAILABLE'],
    ["pull access denied for nosuchimage, repository does not exist or may require 'docker login': denied: requested access to the resource is denied", 404, 'NOT_FOUND'],
    ['Get "https://registry.invalid/v2/": dial tcp: lookup registry.invalid: no such host', 500, 'UNAVAILABLE'],
    ['unauthorized: authentication required', 500, 'PERMISSION_DENIED'],
  ] as const)('%s -> %s', (text, status, code) => {
    const error = pullFailure('127.0.0.1:5000/isolab-test/x:latest', text, status);
    expect(error.code).toBe(code);
    expect(error.detail).toBe(text);
    expect(error.fix?.text).toContain('127.0.0.1:5000');
  });
});
