import type { RequestWithCaller } from '../common/auth.decorators';
import type { Caller, Role } from '../common/roles';

interface MenuItem {
  href: string;
  label: string;
  roles: readonly Role[];
}

/** Numbers shown behind menu items (e.g. new hits for the police), set per request by MenuCountsInterceptor. */
export type MenuCounts = Partial<Record<string, { count: number; hidden: string }>>;
export type RequestWithMenuCounts = RequestWithCaller & { menuCounts?: MenuCounts };

/** The menu per role (PORTAL.md "Screens by role"); only screens that exist are listed. */
const MENU: MenuItem[] = [
  { href: '/treffers', label: 'Treffers', roles: ['police'] },
  { href: '/zoeken', label: 'Zoeken', roles: ['police', 'boa'] },
  { href: '/gestolen', label: 'Gestolen goederen', roles: ['police'] },
  { href: '/signaleringen', label: 'Signaleringen', roles: ['police'] },
  { href: '/topverkopers', label: 'Topverkopers', roles: ['police'] },
  { href: '/overzicht', label: 'Overzicht', roles: ['dealer', 'dealer_staff'] },
  { href: '/inkoop', label: 'Inkoop registreren', roles: ['dealer', 'dealer_staff'] },
  { href: '/register', label: 'Register', roles: ['dealer', 'dealer_staff'] },
  { href: '/importeren', label: 'Importeren', roles: ['dealer', 'dealer_staff'] },
  { href: '/melding', label: 'Melding', roles: ['dealer', 'dealer_staff'] },
  { href: '/bedrijf', label: 'Bedrijfsgegevens', roles: ['dealer', 'dealer_staff'] },
  { href: '/handelaren', label: 'Handelaren', roles: ['police', 'boa', 'municipality', 'admin'] },
  { href: '/gemeenten', label: 'Gemeenten', roles: ['admin', 'municipality'] },
  { href: '/gebruikers', label: 'Gebruikers', roles: ['admin', 'municipality'] },
  { href: '/gebruikers', label: 'Medewerkers', roles: ['dealer'] },
  { href: '/toegangslog', label: 'Toegangslog', roles: ['admin'] },
];

export function startPageOf(caller: Caller): string {
  switch (caller.role) {
    case 'dealer':
    case 'dealer_staff':
      return '/overzicht';
    case 'admin':
      return '/gemeenten';
    case 'police':
      return '/treffers';
    case 'boa':
      return '/zoeken';
    case 'municipality':
      return '/handelaren';
  }
}

/** What every page's layout needs: title, the caller and the role's menu with the current item. */
export function page(req: RequestWithCaller, title: string, data: Record<string, unknown> = {}) {
  const user = req.user;
  const counts = (req as RequestWithMenuCounts).menuCounts ?? {};
  const menu = user
    ? MENU.filter((m) => m.roles.includes(user.role)).map((m) => ({
        href: m.href,
        label: m.label,
        count: counts[m.href]?.count,
        countHidden: counts[m.href]?.hidden,
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
  blokkade:
    'De blokkade is geplaatst. De handelaar ziet nu “Niet verkopen — politieonderzoek” bij deze regel.',
  opgeheven: 'De blokkade is opgeheven.',
  treffer: 'De status van de treffer is gewijzigd.',
  afgehandeld:
    'De aangifte is afgehandeld. Nieuwe regels worden er niet meer mee vergeleken; de treffers blijven.',
  signalering:
    'De signalering is aangemaakt. U krijgt een melding bij elke nieuwe registratie die erop past.',
  beeindigd: 'De signalering is beëindigd. De meldingen blijven bewaard.',
  melding: 'Uw melding is verstuurd naar de politie. Dank u wel.',
};
