/*
 * What a stand-in uses when its options leave something out: the demo namespaces and token, the
 * repository's CRDs and the bundled loopback test certificate.
 */
import path from 'node:path';
import type { StandInToken } from './types';

/** Namespaces every fresh stand-in has. */
export const DEFAULT_NAMESPACES = [
  'default',
  'kube-system',
  'kube-public',
  'monitoring',
  'shop-prod',
  'shop-dev',
  'restricted',
];

/** The demo token: full access except the `restricted` namespace. */
export const DEFAULT_TOKENS: StandInToken[] = [
  {
    token: 'demo-admin-token',
    user: 'system:serviceaccount:kube-system:backstage',
    forbiddenNamespaces: ['restricted'],
  },
];

// This private test package always runs from source (never from a build), so the directory of
// this file is where its data files are.
// eslint-disable-next-line no-restricted-syntax
const SOURCE_DIR = __dirname;

/** The repository's official prometheus-operator CRDs. */
export const DEFAULT_CRD_DIR = path.resolve(SOURCE_DIR, '../../../crds');

/**
 * The loopback-only test certificate (self-signed, CA:TRUE, SAN localhost/127.0.0.1/::1), so
 * clients can verify the stand-in with `--certificate-authority`. Its key is not a secret.
 */
export const DEFAULT_TLS_CERT_FILE = path.resolve(
  SOURCE_DIR,
  'tls/loopback.crt',
);
export const DEFAULT_TLS_KEY_FILE = path.resolve(
  SOURCE_DIR,
  'tls/loopback.key',
);
