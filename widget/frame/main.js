import { guard } from '../shared/guard.js';
import { startFrame } from './startFrame.js';

// Entry of frame-[hash].js; the shell loads it with `defer`, so the DOM is parsed.
guard(startFrame)(window, document);
