// `npm start` on a fresh clone: build once when dist/ is missing or older than the sources.
const { execSync } = require('node:child_process');
const { existsSync, statSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const entry = join(root, 'dist/src/main.js');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const stale = !existsSync(entry) || Math.max(newest(join(root, 'src')), newest(join(root, 'migrations'))) > statSync(entry).mtimeMs;
if (stale) {
  console.log('Building DOR (first start or sources changed)…');
  execSync('npx nest build', { cwd: root, stdio: 'inherit' });
}
