import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { SignJWT } from 'jose';
import {
  authenticateAwsIamToken,
  authenticateOidcToken,
} from './tokenAuthenticators';

const IDENTITY = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' };
const AWS = {
  clusterId: 'standin-eks',
  identities: [{ ...IDENTITY, user: 'arn:aws:iam::1:user/backstage' }],
};

/** What aws-iam-authenticator's clients (and Backstage's AwsIamStrategy) send. */
async function eksToken(
  clusterId: string,
  secretAccessKey = IDENTITY.secretAccessKey,
  signingDate = new Date(),
) {
  const signer = new SignatureV4({
    credentials: { accessKeyId: IDENTITY.accessKeyId, secretAccessKey },
    region: 'us-east-1',
    service: 'sts',
    sha256: Sha256,
  });
  const request = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname: 'sts.us-east-1.amazonaws.com',
      path: '/',
      headers: {
        host: 'sts.us-east-1.amazonaws.com',
        'x-k8s-aws-id': clusterId,
      },
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    },
    { expiresIn: 60, signingDate },
  );
  const query = new URLSearchParams(request.query as Record<string, string>);
  return `k8s-aws-v1.${Buffer.from(
    `https://${request.hostname}${request.path}?${query}`,
  ).toString('base64url')}`;
}

describe('EKS IAM tokens', () => {
  it('accept a presigned request naming this cluster, mapped to its user', async () => {
    await expect(
      authenticateAwsIamToken(await eksToken('standin-eks'), AWS),
    ).resolves.toMatchObject({ user: 'arn:aws:iam::1:user/backstage' });
  });

  it('refuse another cluster, another secret, and an old request', async () => {
    await expect(
      authenticateAwsIamToken(await eksToken('other-cluster'), AWS),
    ).resolves.toBeUndefined();
    await expect(
      authenticateAwsIamToken(await eksToken('standin-eks', 'wrong'), AWS),
    ).resolves.toBeUndefined();
    const old = new Date(Date.UTC(2024, 0, 1));
    await expect(
      authenticateAwsIamToken(
        await eksToken('standin-eks', undefined, old),
        AWS,
        new Date(Date.UTC(2024, 0, 1, 0, 16)),
      ),
    ).resolves.toBeUndefined();
  });
});

describe('OIDC id tokens', () => {
  const OIDC = {
    issuer: 'https://issuer.test',
    clientId: 'kubernetes',
    signingSecret: 'secret-secret-secret-secret-secret',
    users: [{ username: 'alice', forbiddenNamespaces: ['restricted'] }],
  };
  const mint = (
    sub: string,
    audience = 'kubernetes',
    secret = OIDC.signingSecret,
  ) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(OIDC.issuer)
      .setAudience(audience)
      .setSubject(sub)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret));

  it('map a listed user to its rights and anyone else to none', async () => {
    await expect(
      authenticateOidcToken(await mint('alice'), OIDC),
    ).resolves.toMatchObject({
      user: 'oidc:alice',
      forbiddenNamespaces: ['restricted'],
    });
    await expect(
      authenticateOidcToken(await mint('mallory'), OIDC),
    ).resolves.toMatchObject({
      user: 'oidc:mallory',
      forbiddenNamespaces: ['*'],
    });
  });

  it('refuse another audience or signer', async () => {
    await expect(
      authenticateOidcToken(await mint('alice', 'other-client'), OIDC),
    ).resolves.toBeUndefined();
    await expect(
      authenticateOidcToken(
        await mint('alice', 'kubernetes', 'another-secret-another-secret!!'),
        OIDC,
      ),
    ).resolves.toBeUndefined();
  });
});
