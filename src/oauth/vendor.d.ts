// Types for the module of @node-oauth/oauth2-server used beyond its public index: the authorize
// handler (its validation steps, for the consent page). The token endpoint is Tessera's own
// (src/oauth/token.ts).
declare module '@node-oauth/oauth2-server/lib/handlers/authorize-handler.js' {
  import type OAuth2Server from '@node-oauth/oauth2-server';
  export default class AuthorizeHandler {
    constructor(options: Record<string, unknown>);
    handle(request: OAuth2Server.Request, response: OAuth2Server.Response): Promise<OAuth2Server.AuthorizationCode>;
    getClient(request: OAuth2Server.Request): Promise<OAuth2Server.Client>;
    getRedirectUri(request: OAuth2Server.Request, client: OAuth2Server.Client): string;
    getState(request: OAuth2Server.Request): string | undefined;
    getResponseType(request: OAuth2Server.Request): unknown;
    getScope(request: OAuth2Server.Request): string[] | undefined;
    validateScope(user: OAuth2Server.User, client: OAuth2Server.Client, scope?: string[]): Promise<string[]>;
    getCodeChallengeMethod(request: OAuth2Server.Request): string;
  }
}

