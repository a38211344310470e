import { createOfferCodesStep } from './create-offer-codes.js';
import { delayStep } from './delay.js';
import { exportSalesStep } from './export-sales.js';
import { httpRequestStep } from './http-request.js';
import { readFileStep } from './read-file.js';
import { rotateLicenseStep } from './rotate-license.js';
import { sendEmailStep } from './send-email.js';
import { updatePricesStep } from './update-prices.js';
import { writeFileStep } from './write-file.js';
import type { StepType } from './step.js';

/** The built-in step library, one file a step. */
export const STEP_TYPES: readonly StepType[] = [
  httpRequestStep,
  rotateLicenseStep,
  updatePricesStep,
  createOfferCodesStep,
  exportSalesStep,
  sendEmailStep,
  delayStep,
  readFileStep,
  writeFileStep,
];

export function findStepType(type: string): StepType | undefined {
  return STEP_TYPES.find((s) => s.type === type);
}
