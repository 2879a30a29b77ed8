import { guard } from '../shared/guard.js';
import { startConsole } from './startConsole.js';

// Entry of console-[hash].js; the pages load it with `defer`, so the DOM is parsed.
guard(startConsole)(window, document);
