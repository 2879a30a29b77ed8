/**
 * Builds the browser bundles into `--outdir DIR` (default: static/):
 *
 * - onsite.js: the loader, under a stable name because merchants paste its URL.
 * - frame-<hash>.js and frame-<hash>.css: the frame app (both views: placement
 *   and interstitial, one cached file) and the placement styles, named by a
 *   hash of their content so they can be cached forever.
 * - interstitial-<hash>.css: the styles of the interstitial dialog.
 * - dashboard-<hash>.js / dashboard-<hash>.css: the optional monitoring
 *   dashboard app, built only when widget/dashboard/main.js (and
 *   widget/dashboard/dashboard.css) exist.
 * - manifest.json: logical name -> file name, for the server to render the shell.
 *
 * Output is deterministic (same sources and lock file give the same bytes,
 * whatever the outdir), which a test checks against the committed static/.
 * Older hashed files (<name>-*.js / .css for every hashed bundle name) in the
 * outdir are removed.
 */
import { createHash } from 'node:crypto';
import { access, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { knockoutSecureBindingPlugin } from './tooling/knockoutSecureBindingPlugin.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Names of the content-hashed bundles; stale `<name>-*.js|css` files are removed. */
const HASHED_NAMES = ['frame', 'interstitial', 'dashboard'];
const STALE = new RegExp(`^(${HASHED_NAMES.join('|')})-[^/\\\\]+\\.(js|css)$`);

const common = {
  absWorkingDir: repoRoot,
  bundle: true,
  minify: true,
  write: false,
  sourcemap: false,
  legalComments: 'eof',
  charset: 'ascii',
  logLevel: 'warning',
  outdir: 'out',
};

async function bundle(options) {
  const result = await esbuild.build({ ...common, ...options });
  if (result.outputFiles.length !== 1) throw new Error('expected one output for ' + options.entryPoints);
  return result.outputFiles[0].contents;
}

function hashed(name, extension, contents) {
  const hash = createHash('sha256').update(contents).digest('hex').slice(0, 12);
  return `${name}-${hash}.${extension}`;
}

function parseOutdir(argv) {
  const index = argv.indexOf('--outdir');
  if (index !== -1 && argv[index + 1]) return path.resolve(argv[index + 1]);
  const inline = argv.find((arg) => arg.startsWith('--outdir='));
  return inline ? path.resolve(inline.slice('--outdir='.length)) : path.join(repoRoot, 'static');
}

const script = { format: 'iife', platform: 'browser', target: 'es2018' };
const styles = { target: ['chrome90', 'firefox90', 'safari14'] };

const files = { 'onsite.js': await bundle({ ...script, entryPoints: ['widget/loader/main.js'] }) };
const manifest = { 'onsite.js': 'onsite.js' };

/**
 * Adds a content-hashed bundle to `files` and `manifest` (key `<name>.<ext>`).
 * @param {string} name logical bundle name
 * @param {'js'|'css'} extension
 * @param {Uint8Array} contents
 */
function addHashed(name, extension, contents) {
  const fileName = hashed(name, extension, contents);
  files[fileName] = contents;
  manifest[`${name}.${extension}`] = fileName;
}

addHashed('frame', 'js', await bundle({ ...script, entryPoints: ['widget/frame/main.js'], plugins: [knockoutSecureBindingPlugin()] }));
addHashed('frame', 'css', await bundle({ ...styles, entryPoints: ['widget/frame/frame.css'] }));
addHashed('interstitial', 'css', await bundle({ ...styles, entryPoints: ['widget/frame/interstitial.css'] }));
if (await exists('widget/dashboard/main.js')) {
  addHashed('dashboard', 'js', await bundle({ ...script, entryPoints: ['widget/dashboard/main.js'] }));
  if (await exists('widget/dashboard/dashboard.css')) {
    addHashed('dashboard', 'css', await bundle({ ...styles, entryPoints: ['widget/dashboard/dashboard.css'] }));
  }
}
files['manifest.json'] = Buffer.from(JSON.stringify(sortKeys(manifest), null, 2) + '\n');

const outdir = parseOutdir(process.argv.slice(2));
await mkdir(outdir, { recursive: true });
for (const name of await readdir(outdir)) {
  if (STALE.test(name) && !(name in files)) await rm(path.join(outdir, name));
}
for (const [name, contents] of Object.entries(files)) {
  await writeFile(path.join(outdir, name), contents);
  const gzip = gzipSync(contents, { level: 9 }).length;
  console.log(`${name.padEnd(28)} ${String(contents.length).padStart(7)} B  gzip ${String(gzip).padStart(6)} B`);
}

function sortKeys(object) {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

async function exists(relativePath) {
  try {
    await access(path.join(repoRoot, relativePath));
    return true;
  } catch {
    return false;
  }
}
