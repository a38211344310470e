import { EventEmitter } from 'node:events';

/**
 * In-process signals between the API and the workers of this process: `queued` wakes idle
 * workers at once, `kill` (run id) aborts a running step at once. Workers of other processes
 * find the same facts in the database on their next poll.
 */
export const flowEvents = new EventEmitter();
flowEvents.setMaxListeners(100);
