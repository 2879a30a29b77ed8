/**
 * Builds the browser bundles into `--outdir DIR` (default: static/):
 *
 * - onsite.js: the loader, under a stable name because merchants paste its URL.
 * - onsite-debug.js: the debug overlay the loader adds only with `?onsite-debug=1`
 *   (stable name too: the loader knows no hashes).
 * - frame-<hash>.js and frame-<hash>.css: the frame app (both views: placement
 *   and interstitial, one cached file) and the placement styles, named by a
 *   hash of their content so they can be cached forever.
 * - interstitial-<hash>.css: the styles of the interstitial dialog.
 * - boot-<hash>.js: the placement shell's first paint (widget/frame/boot.js), which
 *   the server inlines into a shell that carries a first render (CSP: its sha256).
 * - dashboard-<hash>.js / dashboard-<hash>.css: the optional monitoring
 *   dashboard app, built only when widget/dashboard/main.js (and
 *   widget/dashboard/dashboard.css) exist.
 * - console-<hash>.js / console-<hash>.css: the merchant console's progressive
 *   enhancement (the live preview drives the real frames) and its styles.
 * - manifest.json: logical name -> file name, for the server to render the shell.
 *
 * Output is deterministic (same sources and lock file give the same bytes,
 * whatever the outdir), which a test checks against the committed static/.
 * Older hashed files (<name>-*.js / .css for every hashed bundle name) in the
 * outdir are removed.
 */
import { createHash } from 'node:crypto';
import { access, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { knockoutSecureBindingPlugin } from './tooling/knockoutSecureBindingPlugin.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Names of the content-hashed files; stale `<name>-*.js|css|woff2` files are removed. */
const HASHED_NAMES = ['boot', 'frame', 'interstitial', 'dashboard', 'console', 'inter-latin', 'inter-latin-ext'];
const STALE = new RegExp(`^(${HASHED_NAMES.join('|')})-[^/\\\\]+\\.(js|css|woff2)$`);

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
files['onsite-debug.js'] = await bundle({ ...script, entryPoints: ['widget/debug/main.js'] });
const manifest = { 'onsite-debug.js': 'onsite-debug.js', 'onsite.js': 'onsite.js' };

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

/**
 * The frames' own font, so every engine draws the same glyphs: Inter (SIL OFL 1.1, from
 * @fontsource-variable/inter), one variable file per subset, copied under a content
 * hash and declared in front of both frame stylesheets. The CSP allows it (font-src 'self').
 */
const FONT_DIR = 'node_modules/@fontsource-variable/inter/files';
const FONTS = [
  ['inter-latin', 'inter-latin-wght-normal.woff2', 'U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD'],
  ['inter-latin-ext', 'inter-latin-ext-wght-normal.woff2', 'U+0100-02BA,U+02BD-02C5,U+02C7-02CC,U+02CE-02D7,U+02DD-02FF,U+0304,U+0308,U+0329,U+1D00-1DBF,U+1E00-1E9F,U+1EF2-1EFF,U+2020,U+20A0-20AB,U+20AD-20C0,U+2113,U+2C60-2C7F,U+A720-A7FF'],
];
// Text paints at once in the fallback (font-display: swap) and Inter replaces it when it
// arrives. "Onsite Inter Fallback" is Arial's metrics (Liberation Sans and Arimo are
// metric-compatible) scaled to Inter's: size-adjust is the width ratio of badge copy
// measured in Chromium (Inter 4 / Liberation Sans: 0.915-0.927 over EN and DE copy), the
// overrides are Inter's hhea ascent 1984 and descent 494 of 2048 units divided by it; the
// lines are a fixed 20px, so a swap moves nothing. The URLs are absolute: the placement
// shell inlines frame.css (bff/frames.py), where a relative URL would resolve against /frame/.
let fontFaces =
  '@font-face{font-family:"Onsite Inter Fallback";src:local("Arial"),local("ArialMT"),local("Liberation Sans"),local("LiberationSans"),local("Arimo");' +
  'size-adjust:92%;ascent-override:105.3%;descent-override:26.2%;line-gap-override:0%}\n';
for (const [name, file, unicodeRange] of FONTS) {
  addHashed(name, 'woff2', await readFile(path.join(repoRoot, FONT_DIR, file)));
  fontFaces += `@font-face{font-family:"Onsite Inter";font-style:normal;font-weight:100 900;font-display:swap;src:url(/static/${manifest[`${name}.woff2`]}) format("woff2");unicode-range:${unicodeRange}}\n`;
}
const fontStyles = { ...styles, banner: { css: fontFaces } };

addHashed('boot', 'js', await bundle({ ...script, entryPoints: ['widget/frame/boot.js'] }));
addHashed('frame', 'js', await bundle({ ...script, entryPoints: ['widget/frame/main.js'], plugins: [knockoutSecureBindingPlugin()] }));
addHashed('frame', 'css', await bundle({ ...fontStyles, entryPoints: ['widget/frame/frame.css'] }));
addHashed('interstitial', 'css', await bundle({ ...fontStyles, entryPoints: ['widget/frame/interstitial.css'] }));
if (await exists('widget/dashboard/main.js')) {
  addHashed('dashboard', 'js', await bundle({ ...script, entryPoints: ['widget/dashboard/main.js'] }));
  if (await exists('widget/dashboard/dashboard.css')) {
    addHashed('dashboard', 'css', await bundle({ ...styles, entryPoints: ['widget/dashboard/dashboard.css'] }));
  }
}
addHashed('console', 'js', await bundle({ ...script, entryPoints: ['widget/console/main.js'] }));
addHashed('console', 'css', await bundle({ ...styles, entryPoints: ['widget/console/console.css'] }));
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
