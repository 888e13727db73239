// Builds a doctor section from its checks: the section's status is the worst of theirs.
// Pure; no I/O, no electron.
import type { Check, CheckStatus, Section } from '@shared/types';

const rank: Record<CheckStatus, number> = { ok: 0, warning: 1, error: 2 };

export function worstStatus(statuses: CheckStatus[]): CheckStatus {
  return statuses.reduce<CheckStatus>((worst, status) => (rank[status] > rank[worst] ? status : worst), 'ok');
}

export function makeSection<Facts>(summary: string, checks: Check[], facts: Facts): Section<Facts> {
  return { status: worstStatus(checks.map((check) => check.status)), summary, checks, facts };
}
