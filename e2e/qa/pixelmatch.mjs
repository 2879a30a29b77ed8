/**
 * Compares PNG pairs with pixelmatch (npm), for e2e/qa/image_diff.py.
 *
 * Reads a JSON array of jobs on stdin, `{expected, actual, diff, threshold, includeAA}`
 * (paths of two PNGs of the same size, where to write the diff image, pixelmatch's
 * per-pixel colour threshold, whether pixels pixelmatch takes for anti-aliasing count:
 * they do against a baseline of the same engine, where a glyph moved by a pixel changes
 * mostly edge pixels), and prints a JSON array of `{mismatched, total}`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

const jobs = JSON.parse(readFileSync(0, 'utf8'));
const results = jobs.map(({ expected, actual, diff, threshold, includeAA = false }) => {
  const a = PNG.sync.read(readFileSync(expected));
  const b = PNG.sync.read(readFileSync(actual));
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`sizes differ: ${expected} ${a.width}x${a.height}, ${actual} ${b.width}x${b.height}`);
  }
  const out = new PNG({ width: a.width, height: a.height });
  const mismatched = pixelmatch(a.data, b.data, out.data, a.width, a.height, { threshold, includeAA: Boolean(includeAA) });
  writeFileSync(diff, PNG.sync.write(out));
  return { mismatched, total: a.width * a.height };
});
process.stdout.write(JSON.stringify(results));
