/*
 * Name and label syntax checks with the same rules as Kubernetes' apimachinery validation
 * (k8s.io/apimachinery/pkg/util/validation). Each check returns `undefined` when the value is valid,
 * or a sentence that states the rule, so callers can put it straight into a problem message.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const IANA_SVC_NAME_CHARS = /^[-a-z0-9]+$/;

/** Maximum length of a DNS-1123 / DNS-1035 label (and of a label value). */
export const DNS1123_LABEL_MAX_LENGTH = 63;
/** Maximum length of a DNS-1123 subdomain. */
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

/** RFC 1123 label, e.g. a namespace name. */
export function checkDns1123Label(value: string): string | undefined {
  if (value.length > DNS1123_LABEL_MAX_LENGTH) {
    return `must be a DNS-1123 label of at most ${DNS1123_LABEL_MAX_LENGTH} characters`;
  }
  if (!DNS1123_LABEL.test(value)) {
    return "must be a DNS-1123 label: lower case letters, digits and '-', starting and ending with a letter or digit";
  }
  return undefined;
}

/** RFC 1123 subdomain, e.g. the name of most namespaced objects. */
export function checkDns1123Subdomain(value: string): string | undefined {
  if (value.length > DNS1123_SUBDOMAIN_MAX_LENGTH) {
    return `must be a DNS-1123 subdomain of at most ${DNS1123_SUBDOMAIN_MAX_LENGTH} characters`;
  }
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return "must be a DNS-1123 subdomain: lower case letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit";
  }
  return undefined;
}

/** RFC 1035 label, the rule for Service names. */
export function checkDns1035Label(value: string): string | undefined {
  if (value.length > DNS1123_LABEL_MAX_LENGTH) {
    return `must be a DNS-1035 label of at most ${DNS1123_LABEL_MAX_LENGTH} characters`;
  }
  if (!DNS1035_LABEL.test(value)) {
    return "must be a DNS-1035 label: lower case letters, digits and '-', starting with a letter and ending with a letter or digit";
  }
  return undefined;
}

/** A label (or annotation) key: `[prefix/]name`, prefix a DNS-1123 subdomain, name at most 63 characters. */
export function checkLabelKey(value: string): string | undefined {
  const parts = value.split('/');
  let name = value;
  if (parts.length === 2) {
    const [prefix, rest] = parts;
    if (prefix.length === 0) {
      return 'must be a label key: the prefix before "/" must not be empty';
    }
    if (checkDns1123Subdomain(prefix)) {
      return `must be a label key: the prefix "${prefix}" must be a DNS-1123 subdomain of at most 253 characters`;
    }
    name = rest;
  } else if (parts.length > 2) {
    return 'must be a label key: at most one "/" (prefix/name)';
  }
  if (name.length === 0) {
    return 'must be a label key: the name part must not be empty';
  }
  if (name.length > DNS1123_LABEL_MAX_LENGTH) {
    return `must be a label key: the name part must be at most ${DNS1123_LABEL_MAX_LENGTH} characters`;
  }
  if (!QUALIFIED_NAME_PART.test(name)) {
    return "must be a label key: the name part may contain letters, digits, '-', '_' and '.', and must start and end with a letter or digit";
  }
  return undefined;
}

/** A label value: empty, or at most 63 characters of letters, digits, '-', '_', '.', alphanumeric at both ends. */
export function checkLabelValue(value: string): string | undefined {
  if (value.length > DNS1123_LABEL_MAX_LENGTH) {
    return `must be a label value of at most ${DNS1123_LABEL_MAX_LENGTH} characters`;
  }
  if (!LABEL_VALUE.test(value)) {
    return "must be a label value: letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
  }
  return undefined;
}

/**
 * IANA_SVC_NAME (RFC 6335), the rule Kubernetes applies to container port names, which a Service's
 * named targetPort and a ServiceMonitor endpoint refer to.
 */
export function checkIanaSvcName(value: string): string | undefined {
  const rule =
    "must be a port name (IANA_SVC_NAME): 1-15 lower case letters, digits and '-', at least one letter, no leading, trailing or double '-'";
  if (
    value.length === 0 ||
    value.length > 15 ||
    !IANA_SVC_NAME_CHARS.test(value) ||
    !/[a-z]/.test(value) ||
    value.includes('--') ||
    value.startsWith('-') ||
    value.endsWith('-')
  ) {
    return rule;
  }
  return undefined;
}
