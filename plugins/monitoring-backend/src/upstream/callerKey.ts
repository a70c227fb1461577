import { BackstageCredentials } from '@backstage/backend-plugin-api';

/**
 * Whose answer a cached read is, for answers that depend on the caller (the catalog filters every
 * read by its caller; a user-delegated cluster answers each user by its own RBAC): the user's
 * entity ref or the service's subject. Empty for any other principal, whose answers are never
 * cached.
 */
export function callerKey(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return `user:${principal.userEntityRef}`;
  }
  if (principal.type === 'service' && principal.subject) {
    return `service:${principal.subject}`;
  }
  return '';
}
