import { Type } from 'typebox';
import { StepError, type StepType } from './step.js';

/** Waits, e.g. before polling a service again. Ends early when the run is killed. */
export const delayStep: StepType = {
  type: 'delay',
  summary: 'Wait a number of milliseconds (at most 60 000)',
  params: Type.Object({ ms: Type.Integer({ minimum: 0, maximum: 60000 }) }),
  async run(params: { ms: number }, { signal }) {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, params.ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new StepError('stopped while waiting'));
      }, { once: true });
    });
    return { output: { waited_ms: params.ms }, summary: `waited ${params.ms} ms` };
  },
};
