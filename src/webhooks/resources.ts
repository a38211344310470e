/**
 * Resource names beyond Gumroad's eight (contract §3.8, src/webhooks/resource-subscription-service.ts)
 * that `PUT /v2/resource_subscriptions` accepts. Another domain adding events appends its names
 * here and calls `enqueueEvent` (src/webhooks/outbox.ts) inside the transaction of each event.
 */
export const TESSERA_RESOURCE_NAMES = ['license_rotated', 'license_disabled', 'license_enabled', 'license_activated', 'license_deactivated'] as const;
