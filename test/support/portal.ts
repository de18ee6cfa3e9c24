import request from 'supertest';
import { PASSWORD, type TestApp } from './app';

/** Portal pages in e2e tests: a browser-like session and readers of the rendered HTML. */

/** A browser-like session: keeps cookies, reads the CSRF token from each form. */
export function portalSession(t: TestApp) {
  const agent = request.agent(t.app.getHttpServer());
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return {
    agent,
    csrfOf,
    async signIn(email: string) {
      const form = await agent.get('/inloggen').expect(200);
      return agent
        .post('/inloggen')
        .type('form')
        .send({ _csrf: csrfOf(form.text), email, password: PASSWORD })
        .expect(303);
    },
    /** GETs a page with a form and posts to `action` with its CSRF token. */
    async post(formPage: string, action: string, fields: Record<string, string>) {
      const pageRes = await agent.get(formPage).expect(200);
      return agent
        .post(action)
        .type('form')
        .send({ _csrf: csrfOf(pageRes.text), ...fields });
    },
  };
}
export type PortalSession = ReturnType<typeof portalSession>;

/** The visible text of the page's main content, tags stripped and whitespace collapsed. */
export function textOf(html: string): string {
  const main = /<main[\s\S]*<\/main>/.exec(html)?.[0] ?? html;
  return main
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&#x3D;/g, '=')
    .replace(/\s+/g, ' ');
}

/** The error message shown next to a field (the element its aria-describedby names). */
export function errorOf(html: string, id: string): string | undefined {
  return new RegExp(`id="${id}-error">([^<]*)<`).exec(html)?.[1];
}
