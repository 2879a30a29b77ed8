import { startDashboard } from './startDashboard.js';

// Entry of dashboard-[hash].js; the page loads it with `defer`, so the DOM is parsed.
startDashboard(window, document);
