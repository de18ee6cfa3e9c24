import type { NestExpressApplication } from '@nestjs/platform-express';
import hbs from 'hbs';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { STATUS_LABELS } from '../dealers/dealer-status';
import type { DealerStatus } from '../dealers/dealer.entity';
import { CATEGORY_LABELS, formatDateTime, ROLE_LABELS } from './labels';

/** Handlebars from views/: the layout, partials (read synchronously) and a few formatting helpers. */
export function configureViews(app: NestExpressApplication, root: string): void {
  const viewsDir = join(root, 'views');
  const partialsDir = join(viewsDir, 'partials');
  for (const file of readdirSync(partialsDir)) {
    if (file.endsWith('.hbs'))
      hbs.registerPartial(basename(file, '.hbs'), readFileSync(join(partialsDir, file), 'utf8'));
  }
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
  hbs.registerHelper(
    'includes',
    (list: unknown, v: unknown) => Array.isArray(list) && list.includes(v),
  );
  hbs.registerHelper('statusLabel', (s: DealerStatus) => STATUS_LABELS[s] ?? s);
  hbs.registerHelper('roleLabel', (r: keyof typeof ROLE_LABELS) => ROLE_LABELS[r] ?? r);
  hbs.registerHelper('categoryLabel', (c: keyof typeof CATEGORY_LABELS) => CATEGORY_LABELS[c] ?? c);
  hbs.registerHelper('urlEncode', (v: unknown) =>
    encodeURIComponent(typeof v === 'string' ? v : ''),
  );
  hbs.registerHelper('dateTime', (iso: string | Date | null | undefined) =>
    iso ? formatDateTime(iso) : '',
  );
  app.setBaseViewsDir(viewsDir);
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layouts/main' });
}
