import { delayStep } from './delay.js';
import { httpRequestStep } from './http-request.js';
import { sendEmailStep } from './send-email.js';
import type { StepType } from './step.js';

/** The built-in step library, one file a step. */
export const STEP_TYPES: readonly StepType[] = [httpRequestStep, sendEmailStep, delayStep];

export function findStepType(type: string): StepType | undefined {
  return STEP_TYPES.find((s) => s.type === type);
}
