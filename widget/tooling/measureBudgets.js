import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** 1 KB here is 1024 bytes of gzip output (level 9), as the budgets in docs/widget.md say. */
const KB = 1024;

/**
 * The size budgets of the built widget, measured from the files a build wrote
 * into `staticDir` (found through its manifest.json):
 *
 * - loader: onsite.js, at most 7.75 KB gzipped (6 KB until the no-show diagnostics, see docs/widget.md;
 *   7 KB until the first render's context went inline into the frame URL, docs/serving.md;
 *   7.25 KB until the first paint, which needs the frame's render params, its check and the
 *   visit's memory of the renders it asked for);
 * - placement frame: frame.js (the app, Knockout included) + frame.css, at most 41.5 KB;
 * - interstitial frame: frame.js + interstitial.css, at most 41.5 KB (40 KB until the visit
 *   token, the early first render and the size-adjusted fallback font, docs/serving.md;
 *   40.5 KB until the dialog's lines from the font's metrics, docs/qa.md, about 850 B;
 *   41 KB until the first paint, about 100 B);
 * - first paint: boot.js, which the server inlines into every placement shell
 *   (docs/serving.md, "Script tag to badge"), at most 5.5 KB.
 *
 * @param {string} staticDir
 * @returns {Promise<{name: string, files: string[], gzipBytes: number, limitBytes: number, ok: boolean}[]>}
 */
export async function measureBudgets(staticDir) {
  const manifest = JSON.parse(await readFile(path.join(staticDir, 'manifest.json'), 'utf8'));
  const budgets = [
    { name: 'loader', keys: ['onsite.js'], limitBytes: 7.75 * KB },
    { name: 'placement frame', keys: ['frame.js', 'frame.css'], limitBytes: 41.5 * KB },
    { name: 'interstitial frame', keys: ['frame.js', 'interstitial.css'], limitBytes: 41.5 * KB },
    { name: 'first paint', keys: ['boot.js'], limitBytes: 5.5 * KB },
  ];
  const rows = [];
  for (const { name, keys, limitBytes } of budgets) {
    const files = keys.map((key) => {
      if (!manifest[key]) throw new Error(`manifest.json has no ${key}: run 'npm run build'`);
      return manifest[key];
    });
    let gzipBytes = 0;
    for (const file of files) gzipBytes += gzipSync(await readFile(path.join(staticDir, file)), { level: 9 }).length;
    rows.push({ name, files, gzipBytes, limitBytes, ok: gzipBytes <= limitBytes });
  }
  return rows;
}
