import type { Caller } from '../common/roles';

/**
 * Which dealers a caller may know of (R20 least privilege): police and admin all, boa and
 * municipality those of their own municipality, dealer users only their own dealer.
 */
export interface DealerScope {
  dealerId?: string;
  municipalityCode?: string;
}

export function dealerScopeOf(caller: Caller): DealerScope {
  switch (caller.role) {
    case 'police':
    case 'admin':
      return {};
    case 'boa':
    case 'municipality':
      return { municipalityCode: caller.municipalityCode ?? '\u0000' };
    case 'dealer':
    case 'dealer_staff':
      return { dealerId: caller.dealerId ?? '\u0000' };
  }
}

export function inDealerScope(
  scope: DealerScope,
  dealer: { id: string; municipalityCode: string },
): boolean {
  return (
    (scope.dealerId === undefined || scope.dealerId === dealer.id) &&
    (scope.municipalityCode === undefined || scope.municipalityCode === dealer.municipalityCode)
  );
}
