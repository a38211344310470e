import type { Kysely } from 'kysely';

/**
 * Team membership is an invitation the invitee accepts (issue 11.1): a pending invitation names
 * an email, not an account, so inviting reveals nothing about who has one. One pending
 * invitation per team and email; accepting turns it into a team_members row and deletes it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('team_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('invited_by', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('team_invitations_team_email', ['team_id', 'email'])
    .execute();
  await db.schema.createIndex('team_invitations_email').on('team_invitations').column('email').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('team_invitations').execute();
}
