/**
 * Checks the size budgets of the built widget (see tooling/measureBudgets.js)
 * in `--dir DIR` (default: static/), prints a table and exits with status 1
 * when one is exceeded. `npm test` runs the same check (test/budgets.test.js).
 *
 *   node widget/checkBudgets.mjs [--dir static]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureBudgets } from './tooling/measureBudgets.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const index = process.argv.indexOf('--dir');
const dir = index !== -1 && process.argv[index + 1] ? path.resolve(process.argv[index + 1]) : path.join(repoRoot, 'static');

const rows = await measureBudgets(dir);
for (const row of rows) {
  const status = row.ok ? 'ok  ' : 'OVER';
  console.log(`${status} ${row.name.padEnd(20)} ${String(row.gzipBytes).padStart(6)} / ${row.limitBytes} B gzip  (${row.files.join(' + ')})`);
}
if (rows.some((row) => !row.ok)) process.exitCode = 1;
