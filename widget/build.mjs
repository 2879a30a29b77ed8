/**
 * Builds the browser bundles into `--outdir DIR` (default: static/):
 *
 * - onsite.js: the loader, under a stable name because merchants paste its URL.
 * - frame-<hash>.js and frame-<hash>.css: the frame app and its styles, named by
 *   a hash of their content so they can be cached forever.
 * - manifest.json: logical name -> file name, for the server to render the shell.
 *
 * Output is deterministic (same sources and lock file give the same bytes,
 * whatever the outdir), which a test checks against the committed static/.
 * Older frame-*.js / frame-*.css files in the outdir are removed.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { knockoutSecureBindingPlugin } from './tooling/knockoutSecureBindingPlugin.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STALE = /^frame-[^/\\]+\.(js|css)$/;

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
const loader = await bundle({ ...script, entryPoints: ['widget/loader/main.js'] });
const frameJs = await bundle({ ...script, entryPoints: ['widget/frame/main.js'], plugins: [knockoutSecureBindingPlugin()] });
const frameCss = await bundle({ entryPoints: ['widget/frame/frame.css'], target: ['chrome90', 'firefox90', 'safari14'] });

const files = {
  'onsite.js': loader,
  [hashed('frame', 'js', frameJs)]: frameJs,
  [hashed('frame', 'css', frameCss)]: frameCss,
};
const [frameJsName, frameCssName] = Object.keys(files).slice(1);
const manifest = sortKeys({ 'onsite.js': 'onsite.js', 'frame.js': frameJsName, 'frame.css': frameCssName });
files['manifest.json'] = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');

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
