/* Writes the committed OpenAPI snapshot (docs/openapi.json) from the code: `npm run openapi`. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOpenApiDocument, ROOT_DIR } from '../src/configure-app';
import { createTestApp } from '../test/support/app';

async function main(): Promise<void> {
  const t = await createTestApp();
  try {
    writeFileSync(
      join(ROOT_DIR, 'docs', 'openapi.json'),
      JSON.stringify(createOpenApiDocument(t.app), null, 2) + '\n',
    );
  } finally {
    await t.close();
  }
}

void main();
