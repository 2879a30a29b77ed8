import { guard } from '../shared/guard.js';
import { bootFirstPaint } from './bootFirstPaint.js';

// Entry of boot-[hash].js, which the server inlines at the end of every placement shell
// (templates/frame.html): the DOM above it is parsed.
guard(bootFirstPaint)(window, document);
