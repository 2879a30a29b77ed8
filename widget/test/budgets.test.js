import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { measureBudgets } from '../tooling/measureBudgets.js';

const staticDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../static');

describe('size budgets of the built widget (static/)', () => {
  it('keeps the loader, each frame app and the first paint within their budgets, gzipped', async () => {
    const rows = await measureBudgets(staticDir);
    assert.deepEqual(rows.map((row) => row.name), ['loader', 'placement frame', 'interstitial frame', 'first paint']);
    for (const row of rows) {
      assert.ok(row.ok, `${row.name}: ${row.gzipBytes} B gzip > ${row.limitBytes} B (${row.files.join(' + ')})`);
    }
  });

  it('fails a build that goes over a budget', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'onsite-budget-'));
    await writeFile(path.join(dir, 'onsite.js'), randomBytes(8000)); // incompressible: over 7 KB gzipped
    await writeFile(path.join(dir, 'frame.js'), 'x');
    await writeFile(path.join(dir, 'frame.css'), 'x');
    await writeFile(path.join(dir, 'interstitial.css'), 'x');
    await writeFile(path.join(dir, 'boot.js'), randomBytes(6000)); // over 5.5 KB
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({
      'onsite.js': 'onsite.js', 'frame.js': 'frame.js', 'frame.css': 'frame.css', 'interstitial.css': 'interstitial.css', 'boot.js': 'boot.js',
    }));
    const [loader, placement, , boot] = await measureBudgets(dir);
    assert.equal(loader.ok, false);
    assert.equal(placement.ok, true);
    assert.equal(boot.ok, false);
  });
});
