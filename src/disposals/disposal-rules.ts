import type { DisposalKind, Violation } from './disposal.entity';

/** Kinds that are not the dealer's choice and so never break the holding period or a hold. */
const NOT_A_DEALING: ReadonlySet<DisposalKind> = new Set(['seized_by_police']);

/**
 * R9: a disposal before `sellableFrom` breaks the holding period (R8), one while a police hold is
 * active breaks the hold (R13). Handing the item to the police breaks neither.
 */
export function disposalViolations(
  kind: DisposalKind,
  disposedAt: Date,
  sellableFrom: Date,
  holdActive: boolean,
): Violation[] {
  if (NOT_A_DEALING.has(kind)) return [];
  const v: Violation[] = [];
  if (disposedAt.getTime() < sellableFrom.getTime()) v.push('holding_period');
  if (holdActive) v.push('police_hold');
  return v;
}
