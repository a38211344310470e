import { axeSweep } from './support/axe-sweep.js';
import { DESKTOP } from './support/browser.js';

axeSweep({ name: 'desktop', viewport: DESKTOP });
