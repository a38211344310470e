import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { positiveIntFromEnv } from '../../src/util/env.js';
import { loadFlowSettings } from '../../src/flows/settings.js';
import { loadWebhookSettings } from '../../src/webhooks/settings.js';

describe('positive whole-number settings (flows and webhooks)', () => {
  it('takes the fallback when unset or empty and the value when it is a whole number ≥ 1', () => {
    assert.equal(positiveIntFromEnv({}, 'X', 7), 7);
    assert.equal(positiveIntFromEnv({ X: '' }, 'X', 7), 7);
    assert.equal(positiveIntFromEnv({ X: '12' }, 'X', 7), 12);
    assert.equal(loadWebhookSettings({ TESSERA_WEBHOOK_CONCURRENCY: '3' }).concurrency, 3);
    assert.equal(loadFlowSettings({ TESSERA_WORKER_CONCURRENCY: '4' }).workerConcurrency, 4);
  });
  it('refuses zero, negatives, fractions and words, naming the variable', () => {
    for (const bad of ['0', '-1', '1.5', 'many']) {
      assert.throws(() => loadWebhookSettings({ TESSERA_WEBHOOK_CONCURRENCY: bad }), new RegExp(`TESSERA_WEBHOOK_CONCURRENCY must be a positive integer, got "${bad.replace('.', '\\.')}"`));
      assert.throws(() => loadFlowSettings({ TESSERA_WORKER_CONCURRENCY: bad }), /TESSERA_WORKER_CONCURRENCY must be a positive integer/);
    }
  });
});
