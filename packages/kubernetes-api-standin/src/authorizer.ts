/*
 * Bearer-token authentication and a small RBAC-like authorizer: a token may be barred from some
 * namespaces, from the service proxy, or from writing. Denials carry the message the real RBAC
 * authorizer produces (`User "..." cannot list resource "pods" in API group "" in the namespace "x"`).
 */
import type http from 'node:http';
import { forbidden, unauthorized } from './statusErrors';
import {
  authenticateAwsIamToken,
  authenticateOidcToken,
} from './tokenAuthenticators';
import type { StandInAwsIam, StandInOidc, StandInToken } from './types';

export const DEFAULT_USER = 'system:serviceaccount:kube-system:prometheus-ocs';

/** What a request asks to do, as the API server's RequestInfo describes it. */
export interface RequestAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** whether the resource is namespaced (for "at the cluster scope" checks) */
  namespaced: boolean;
}

export class Authorizer {
  private tokens = new Map<string, StandInToken>();

  constructor(
    tokens: StandInToken[],
    private readonly authenticators: {
      awsIam?: StandInAwsIam;
      oidc?: StandInOidc;
    } = {},
  ) {
    for (const t of tokens) {
      if (!t.token) throw new Error('a stand-in token must not be empty');
      this.tokens.set(t.token, { ...t });
    }
  }

  /** The token record for a request, or a 401 Status error. */
  async authenticate(req: http.IncomingMessage): Promise<StandInToken> {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw unauthorized();
    const { awsIam, oidc } = this.authenticators;
    const token =
      this.tokens.get(m[1]) ??
      (awsIam ? await authenticateAwsIamToken(m[1], awsIam) : undefined) ??
      (oidc ? await authenticateOidcToken(m[1], oidc) : undefined);
    if (!token) throw unauthorized();
    return token;
  }

  setForbiddenNamespaces(token: string, namespaces: string[]): void {
    const t = this.tokens.get(token);
    if (!t) throw new Error(`unknown stand-in token ${token}`);
    t.forbiddenNamespaces = [...namespaces];
  }

  /** Throws a 403 Status error when the token may not do what the request asks. */
  authorize(token: StandInToken, attrs: RequestAttributes): void {
    const forbiddenNs = token.forbiddenNamespaces ?? [];
    let denied = false;
    if (token.readOnly && !['get', 'list', 'watch'].includes(attrs.verb))
      denied = true;
    if (
      attrs.subresource === 'proxy' &&
      attrs.resource === 'services' &&
      token.serviceProxy === false
    )
      denied = true;
    if (forbiddenNs.includes('*')) denied = true;
    if (attrs.namespace && forbiddenNs.includes(attrs.namespace)) denied = true;
    if (
      !attrs.namespace &&
      attrs.namespaced &&
      forbiddenNs.length > 0 &&
      !token.listAllNamespaces
    )
      denied = true;
    if (!denied) return;
    const user = token.user ?? DEFAULT_USER;
    const resource = attrs.subresource
      ? `${attrs.resource}/${attrs.subresource}`
      : attrs.resource;
    const scope = attrs.namespace
      ? `in the namespace ${JSON.stringify(attrs.namespace)}`
      : 'at the cluster scope';
    const reason = `User ${JSON.stringify(user)} cannot ${
      attrs.verb
    } resource ${JSON.stringify(resource)} in API group ${JSON.stringify(
      attrs.group,
    )} ${scope}`;
    throw forbidden(
      { group: attrs.group, resource: attrs.resource },
      attrs.name ?? '',
      reason,
    );
  }
}
