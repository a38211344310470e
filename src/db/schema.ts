import type { AccountTables } from '../accounts/tables.js';
import type { AdminTables } from '../admin/tables.js';
import type { ApiKeyTables } from '../apikeys/tables.js';
import type { ApplicationTables } from '../applications/tables.js';
import type { AuditTables } from '../audit/tables.js';
import type { CatalogTables } from '../catalog/tables.js';
import type { FlowTables } from '../flows/tables.js';
import type { FlowTriggerTables } from '../flows/trigger-tables.js';
import type { LicenseTables } from '../licenses/tables.js';
import type { ActivationTables } from '../licenses/activation-tables.js';
import type { OAuthTables } from '../oauth/tables.js';
import type { SalesTables } from '../sales/tables.js';
import type { TeamTables } from '../teams/tables.js';
import type { TokenTables } from '../tokens/tables.js';
import type { WebTables } from '../web/tables.js';
import type { WebhookTables } from '../webhooks/tables.js';
import type { RateLimitTables } from '../http/limit-tables.js';

/** Every table, composed from the domains that own them. */
export interface Database extends AccountTables, ApplicationTables, TokenTables, AuditTables, CatalogTables, SalesTables,
    TeamTables, ApiKeyTables, FlowTables, FlowTriggerTables, OAuthTables, LicenseTables,
    ActivationTables, WebTables, WebhookTables, AdminTables, RateLimitTables {}
