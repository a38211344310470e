import { ALL_SCOPES } from '../auth/scopes.js';
import { SUPPORTED_GRANTS } from './clients.js';

/** RFC 8414 authorization server metadata; the issuer is the server's public URL. */
export function serverMetadata(publicUrl: string) {
  const clientAuth = ['client_secret_basic', 'client_secret_post'];
  return {
    issuer: publicUrl,
    authorization_endpoint: `${publicUrl}/oauth/authorize`,
    token_endpoint: `${publicUrl}/oauth/token`,
    revocation_endpoint: `${publicUrl}/oauth/revoke`,
    introspection_endpoint: `${publicUrl}/oauth/introspect`,
    device_authorization_endpoint: `${publicUrl}/oauth/device_authorization`,
    scopes_supported: [...ALL_SCOPES],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: SUPPORTED_GRANTS,
    // `none`: public clients, which must use PKCE (S256) for codes.
    token_endpoint_auth_methods_supported: [...clientAuth, 'none'],
    revocation_endpoint_auth_methods_supported: [...clientAuth, 'none'],
    introspection_endpoint_auth_methods_supported: clientAuth,
    code_challenge_methods_supported: ['S256'],
    service_documentation: `${publicUrl}/docs`,
  };
}
