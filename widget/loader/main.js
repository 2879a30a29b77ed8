import { guard } from '../shared/guard.js';
import { findLoaderScript } from './findLoaderScript.js';
import { startLoader } from './startLoader.js';

// Entry of onsite.js. document.currentScript is only set during this first,
// synchronous run, so the script is looked up right here.
guard(() => startLoader(window, document, findLoaderScript(document)))();
