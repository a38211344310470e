import { Type } from 'typebox';

export const Role = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('member')]);

export const TeamSchema = Type.Object({
  id: Type.String({ description: 'The team id: `project_id` in the flows API.' }),
  name: Type.String(),
  role: Role,
  recoverable_keys: Type.Boolean({ description: 'Team keys can be revealed again by owners and admins.' }),
  created_at: Type.String(),
});

export const MemberSchema = Type.Object({
  id: Type.String(),
  api_user_id: Type.String({ description: 'The `user_id` to name in the flows API.' }),
  email: Type.String(),
  role: Role,
  added_at: Type.String(),
});

export const TeamParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const MemberParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), userId: Type.String({ minLength: 1, maxLength: 64 }) });

export const CreateTeamBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) });
export const UpdateTeamBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  recoverable_keys: Type.Optional(Type.Boolean({ description: 'Turning it off forgets every stored team key.' })),
});
export const AddMemberBody = Type.Object({
  email: Type.String({ format: 'email', maxLength: 254, description: 'Who to invite: an account with this email joins once it accepts.' }),
  role: Type.Optional(Role),
});
export const ChangeRoleBody = Type.Object({ role: Role });

export const TeamReply = Type.Object({ success: Type.Literal(true), team: TeamSchema });
export const TeamDetailReply = Type.Object({
  success: Type.Literal(true),
  team: Type.Object({ ...TeamSchema.properties, members: Type.Array(MemberSchema) }),
});
export const TeamListReply = Type.Object({ success: Type.Literal(true), teams: Type.Array(TeamSchema) });
export const OkReply = Type.Object({ success: Type.Literal(true) });

export const InvitationSchema = Type.Object({
  id: Type.String(),
  team: Type.Object({ id: Type.String(), name: Type.String() }),
  email: Type.String({ description: 'The invitee (normalised to lower case).' }),
  role: Role,
  invited_by: Type.String({ description: 'Email of the owner or admin who invited.' }),
  status: Type.Literal('pending'),
  created_at: Type.String(),
  expires_at: Type.String(),
});
export const InvitationParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const TeamInvitationParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), invitationId: Type.String({ minLength: 1, maxLength: 64 }) });
export const InvitationReply = Type.Object({ success: Type.Literal(true), invitation: InvitationSchema });
export const InvitationListReply = Type.Object({ success: Type.Literal(true), invitations: Type.Array(InvitationSchema) });
