import { axeSweep } from './support/axe-sweep.js';
import { PHONE } from './support/browser.js';

axeSweep({ name: 'phone', viewport: PHONE });
