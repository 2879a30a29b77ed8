import { readFile } from 'node:fs/promises';
import path from 'node:path';

const KSB_FILE = /[\\/]knockout-secure-binding[\\/]dist[\\/]knockout-secure-binding\.js$/;

/**
 * esbuild plugin that makes knockout-secure-binding importable as a module.
 *
 * Its UMD wrapper only knows AMD and a global `ko`, so bundled as is it would
 * throw "ko is not defined". The plugin prepends an import of the bundled
 * Knockout (the wrapper then takes its global-`ko` branch with that binding)
 * and exports the provider it attaches: `ko.secureBindingsProvider`. No global
 * is created.
 *
 * @returns {import('esbuild').Plugin}
 */
export function knockoutSecureBindingPlugin() {
  return {
    name: 'knockout-secure-binding',
    setup(build) {
      build.onLoad({ filter: KSB_FILE }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        return {
          contents: `import ko from "knockout";\n${source}\nexport default ko.secureBindingsProvider;\n`,
          loader: 'js',
          resolveDir: path.dirname(args.path),
        };
      });
    },
  };
}
