/*
 * The two token authenticators a managed cluster adds to static bearer tokens:
 *
 * - EKS IAM (aws-iam-authenticator): a `k8s-aws-v1.` token is a base64url presigned STS
 *   GetCallerIdentity URL whose signature covers the `x-k8s-aws-id` header naming the cluster. The
 *   real authenticator asks STS; the stand-in plays STS for the identities it was given: it signs
 *   the same request again (AWS's own SigV4 signer) with the identity's secret and this cluster's id
 *   and compares the signatures, so a token minted for another cluster or with another secret fails.
 * - OIDC (kube-apiserver `--oidc-issuer-url`, `--oidc-client-id`, `--oidc-username-claim`): a JWT
 *   from the issuer (HS256 with a shared secret here), its `aud` the client id, not expired.
 *
 * Each maps the authenticated identity to a user with its own authorization (like the aws-auth
 * ConfigMap / RoleBindings for OIDC users).
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { jwtVerify } from 'jose';
import { timingSafeEqual } from 'node:crypto';
import type { StandInAwsIam, StandInOidc, StandInToken } from './types';

const AWS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** aws-iam-authenticator accepts presigned requests up to 15 minutes old. */
const AWS_TOKEN_MAX_AGE_MS = 15 * 60 * 1000;

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The user of an EKS IAM token, or undefined when it is not one or does not verify. */
export async function authenticateAwsIamToken(
  token: string,
  config: StandInAwsIam,
  now: Date = new Date(),
): Promise<StandInToken | undefined> {
  if (!token.startsWith(AWS_TOKEN_PREFIX)) return undefined;
  let url: URL;
  try {
    url = new URL(
      Buffer.from(token.slice(AWS_TOKEN_PREFIX.length), 'base64url').toString(
        'utf8',
      ),
    );
  } catch {
    return undefined;
  }
  const q = url.searchParams;
  const [accessKeyId, , region, service] = (
    q.get('X-Amz-Credential') ?? ''
  ).split('/');
  const signedAt = parseAmzDate(q.get('X-Amz-Date') ?? '');
  const signature = q.get('X-Amz-Signature') ?? '';
  const identity = config.identities.find(i => i.accessKeyId === accessKeyId);
  if (
    url.protocol !== 'https:' ||
    !/^sts(\.[a-z0-9-]+)?\.amazonaws\.com$/.test(url.hostname) ||
    q.get('Action') !== 'GetCallerIdentity' ||
    service !== 'sts' ||
    !region ||
    !identity ||
    !signedAt ||
    Math.abs(now.getTime() - signedAt.getTime()) > AWS_TOKEN_MAX_AGE_MS ||
    !(q.get('X-Amz-SignedHeaders') ?? '').split(';').includes('x-k8s-aws-id')
  ) {
    return undefined;
  }
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: identity.accessKeyId,
      secretAccessKey: identity.secretAccessKey,
    },
    region,
    service: 'sts',
    sha256: Sha256,
  });
  const expected = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname: url.hostname,
      path: url.pathname,
      headers: { host: url.hostname, 'x-k8s-aws-id': config.clusterId },
      query: {
        Action: 'GetCallerIdentity',
        Version: q.get('Version') ?? '',
      },
    },
    {
      signingDate: signedAt,
      expiresIn: Number(q.get('X-Amz-Expires') ?? '0'),
    },
  );
  const expectedSignature = String(expected.query?.['X-Amz-Signature'] ?? '');
  if (!sameText(signature, expectedSignature)) return undefined;
  const { accessKeyId: _a, secretAccessKey: _s, ...user } = identity;
  return { token, ...user };
}

/** The user of an OIDC id token, or undefined when it is not one or does not verify. */
export async function authenticateOidcToken(
  token: string,
  config: StandInOidc,
): Promise<StandInToken | undefined> {
  if (token.split('.').length !== 3) return undefined;
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(
      token,
      new TextEncoder().encode(config.signingSecret),
      {
        issuer: config.issuer,
        audience: config.clientId,
        algorithms: ['HS256'],
      },
    ));
  } catch {
    return undefined;
  }
  const username = payload[config.usernameClaim ?? 'sub'];
  if (typeof username !== 'string' || !username) return undefined;
  const user = config.users.find(u => u.username === username);
  // Authenticated but bound to nothing: every request is forbidden, as on a real cluster.
  const { username: _u, ...rights } = user ?? {
    username,
    forbiddenNamespaces: ['*'],
  };
  return {
    token,
    user: `${config.usernamePrefix ?? 'oidc:'}${username}`,
    ...rights,
  };
}
