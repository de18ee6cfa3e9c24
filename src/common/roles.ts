/** The actors of DOMAIN.md "Actors (roles)". */
export const ROLES = ['dealer', 'dealer_staff', 'police', 'boa', 'municipality', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const DEALER_ROLES: readonly Role[] = ['dealer', 'dealer_staff'];
export const MUNICIPAL_ROLES: readonly Role[] = ['boa', 'municipality'];

/** The signed-in caller as every service sees it (never the entity with its password hash). */
export interface Caller {
  id: string;
  email: string;
  name: string;
  role: Role;
  dealerId: string | null;
  municipalityCode: string | null;
}
