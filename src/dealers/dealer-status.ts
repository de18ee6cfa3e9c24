import type { DealerStatus } from './dealer.entity';

/**
 * R2: the dealer's life cycle. A rejected application can still be approved (e.g. after an
 * objection, bezwaar); a closed dealer stays closed (a new application is a new dealer).
 */
export const ALLOWED_TRANSITIONS: Record<DealerStatus, readonly DealerStatus[]> = {
  pending: ['active', 'rejected'],
  active: ['suspended', 'closed'],
  suspended: ['active', 'closed'],
  rejected: ['active'],
  closed: [],
};

export function canTransition(from: DealerStatus, to: DealerStatus): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

/** Dutch labels for the portal. */
export const STATUS_LABELS: Record<DealerStatus, string> = {
  pending: 'Aangevraagd',
  active: 'Actief',
  rejected: 'Afgewezen',
  suspended: 'Geschorst',
  closed: 'Beëindigd',
};
