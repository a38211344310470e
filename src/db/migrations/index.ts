import * as foundation from './0001-foundation.js';
import * as catalog from './0002-catalog.js';
import * as licenses from './0003-licenses.js';
import * as oauth from './0004-oauth.js';
import * as apikeys from './0005-apikeys.js';
import * as flows from './0006-flows.js';
import * as licenseViewEpoch from './0007-license-view-epoch.js';
import * as licenseUseLog from './0008-license-use-log.js';
import * as teamInvitations from './0009-team-invitations.js';
import * as webhooks from './0011-webhooks.js';
import * as activations from './0012-activations.js';
import * as dashboardFlash from './0013-dashboard-flash.js';
import * as productGumroadFields from './0014-product-gumroad-fields.js';
import * as filesAndCovers from './0015-files-and-covers.js';
import * as flowTriggers from './0017-flow-triggers.js';
import * as instanceOwner from './0018-instance-owner.js';
import * as accountSecurity from './0019-account-security.js';
import * as rateLimitCounters from './0021-rate-limit-counters.js';
import * as instanceSettings from './0022-instance-settings.js';
import type { Migration } from 'kysely';
import type { ServerKeys } from '../../credentials/server-keys.js';
import { licenseKeyNormalisation } from './0010-license-key-normalisation.js';

/** One migration set for both dialects, applied in key order. Add a line per new migration. */
export const migrations = {
  '0001-foundation': foundation,
  '0002-catalog': catalog,
  '0003-licenses': licenses,
  '0004-oauth': oauth,
  '0005-apikeys': apikeys,
  '0006-flows': flows,
  '0007-license-view-epoch': licenseViewEpoch,
  '0008-license-use-log': licenseUseLog,
  '0009-team-invitations': teamInvitations,
  '0011-webhooks': webhooks,
  '0012-activations': activations,
  '0013-dashboard-flash': dashboardFlash,
  '0014-product-gumroad-fields': productGumroadFields,
  '0015-files-and-covers': filesAndCovers,
  '0017-flow-triggers': flowTriggers,
  '0018-instance-owner': instanceOwner,
  '0019-account-security': accountSecurity,
  '0021-rate-limit-counters': rateLimitCounters,
  '0022-instance-settings': instanceSettings,
};

/** Migrations that need the server keys (to decrypt and re-hash stored secrets); same key order. */
export const keyedMigrations: Record<string, (keys: ServerKeys) => Migration> = {
  '0010-license-key-normalisation': licenseKeyNormalisation,
};
