import type { RequestWithCaller } from '../common/auth.decorators';
import type { Caller, Role } from '../common/roles';

interface MenuItem {
  href: string;
  label: string;
  roles: readonly Role[];
}

/** The menu per role (PORTAL.md "Screens by role"); only screens that exist are listed. */
const MENU: MenuItem[] = [
  { href: '/overzicht', label: 'Overzicht', roles: ['dealer', 'dealer_staff'] },
  { href: '/inkoop', label: 'Inkoop registreren', roles: ['dealer', 'dealer_staff'] },
  { href: '/register', label: 'Register', roles: ['dealer', 'dealer_staff'] },
  { href: '/importeren', label: 'Importeren', roles: ['dealer', 'dealer_staff'] },
  { href: '/bedrijf', label: 'Bedrijfsgegevens', roles: ['dealer', 'dealer_staff'] },
  { href: '/handelaren', label: 'Handelaren', roles: ['police', 'boa', 'municipality', 'admin'] },
  { href: '/gemeenten', label: 'Gemeenten', roles: ['admin', 'municipality'] },
  { href: '/gebruikers', label: 'Gebruikers', roles: ['admin', 'municipality'] },
  { href: '/gebruikers', label: 'Medewerkers', roles: ['dealer'] },
];

export function startPageOf(caller: Caller): string {
  switch (caller.role) {
    case 'dealer':
    case 'dealer_staff':
      return '/overzicht';
    case 'admin':
      return '/gemeenten';
    case 'police':
    case 'boa':
    case 'municipality':
      return '/handelaren';
  }
}

/** What every page's layout needs: title, the caller and the role's menu with the current item. */
export function page(req: RequestWithCaller, title: string, data: Record<string, unknown> = {}) {
  const user = req.user;
  const menu = user
    ? MENU.filter((m) => m.roles.includes(user.role)).map((m) => ({
        href: m.href,
        label: m.label,
        current: req.path === m.href || req.path.startsWith(m.href + '/'),
      }))
    : [];
  const flash = typeof req.query.melding === 'string' ? FLASH[req.query.melding] : undefined;
  return { title, user, menu, flash, ...data };
}

/** Confirmation messages after a redirect (?melding=…); fixed texts, never user input. */
const FLASH: Record<string, string> = {
  status: 'De status is gewijzigd.',
  gebruiker: 'De gebruiker is aangemaakt.',
  uitgeschakeld: 'De gebruiker is uitgeschakeld.',
  ingeschakeld: 'De gebruiker is weer ingeschakeld.',
  instellingen: 'De instellingen zijn opgeslagen.',
  afgevoerd: 'De verkoop of afvoer is vastgelegd.',
  gecorrigeerd: 'De correctie is opgeslagen als nieuwe versie.',
  ongeldig: 'De inkoop is ongeldig gemaakt. De regels blijven in het register staan.',
};
