import { isAlias, isCollection, isScalar, parseDocument, visit } from 'yaml';
import type { MonitoringAlertRule } from './contract';
import { parsePrometheusDuration } from './prometheusDuration';
import { sortedRecord } from './sortedRecord';

/** One alerting rule of an entity (the contract type). */
export type AlertRule = MonitoringAlertRule;

export type AlertSeverity = MonitoringAlertRule['severity'];

/** Limits that keep one annotation from producing an oversized PrometheusRule. */
export const ALERT_RULES_LIMITS = {
  /** bytes of the annotation value (UTF-16 code units, close enough for a guard) */
  maxLength: 32 * 1024,
  maxRules: 50,
  maxExprLength: 4096,
  maxSummaryLength: 1024,
  maxDescriptionLength: 4096,
  maxUrlLength: 2048,
  maxLabels: 20,
  maxLabelValueLength: 1024,
} as const;

const SEVERITIES: AlertSeverity[] = ['critical', 'warning', 'info'];
const ALERT_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Labels the renderer sets itself or Prometheus reserves; an entity must not override them. */
export const RESERVED_ALERT_LABELS = [
  'alertname',
  'namespace',
  'service',
  'severity',
  'prometheus',
];
const KNOWN_KEYS = [
  'alert',
  'expr',
  'for',
  'severity',
  'summary',
  'description',
  'runbook_url',
  'labels',
];
// Control characters other than tab and newline have no business in rule text.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** Result of {@link parseAlertRules}: the rules when valid, and every problem found (rule messages). */
export interface ParsedAlertRules {
  rules?: AlertRule[];
  problems: string[];
}

/**
 * Checks that brackets and string literals of a PromQL expression are balanced. Full PromQL
 * validation happens where Prometheus loads the rule (and in the operator's admission webhook);
 * this catches the common mistakes early without a PromQL parser in the browser bundle.
 */
export function checkPromqlShape(expr: string): string | undefined {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i];
    if (ch === '"' || ch === "'" || ch === '`') {
      const quote = ch;
      i += 1;
      while (i < expr.length && expr[i] !== quote) {
        if (expr[i] === '\\' && quote !== '`') i += 1;
        i += 1;
      }
      if (i >= expr.length) {
        return `has an unterminated string literal starting with ${quote}`;
      }
    } else if (ch === '#') {
      // PromQL comment to the end of the line
      while (i < expr.length && expr[i] !== '\n') i += 1;
    } else if (ch === '(' || ch === '[' || ch === '{') {
      stack.push(ch);
    } else if (ch === ')' || ch === ']' || ch === '}') {
      if (stack.pop() !== pairs[ch]) {
        return `has an unbalanced "${ch}"`;
      }
    }
  }
  if (stack.length > 0) {
    return `has an unclosed "${stack[stack.length - 1]}"`;
  }
  return undefined;
}

function checkText(
  value: unknown,
  field: string,
  maxLength: number,
  problems: string[],
): string | undefined {
  if (typeof value !== 'string') {
    problems.push(`${field} must be a string`);
    return undefined;
  }
  if (value.trim().length === 0) {
    problems.push(`${field} must not be empty`);
    return undefined;
  }
  if (value.length > maxLength) {
    problems.push(`${field} must be at most ${maxLength} characters`);
    return undefined;
  }
  if (CONTROL_CHARS.test(value)) {
    problems.push(`${field} must not contain control characters`);
    return undefined;
  }
  return value;
}

function parseRule(
  raw: unknown,
  index: number,
  seen: Set<string>,
  problems: string[],
): AlertRule | undefined {
  const where = `rule ${index + 1}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push(
      `${where} must be a mapping with the keys alert, expr and optionally for, severity, summary, description, runbook_url, labels`,
    );
    return undefined;
  }
  const rule = raw as Record<string, unknown>;
  const before = problems.length;
  checkKnownKeys(rule, where, problems);

  // Fields are read in a fixed order (that of KNOWN_KEYS), so problems come in the same order
  // whatever order the YAML has.
  const alert = readAlertName(rule.alert, where, seen, problems);
  const label = alert ? `rule "${alert}"` : where;
  const expr = readExpr(rule.expr, label, problems);
  const forDuration = readForDuration(rule.for, label, problems);
  const severity = readSeverity(rule.severity, label, problems);
  const summary =
    rule.summary === undefined
      ? undefined
      : checkText(
          rule.summary,
          `${label}: summary`,
          ALERT_RULES_LIMITS.maxSummaryLength,
          problems,
        );
  const description =
    rule.description === undefined
      ? undefined
      : checkText(
          rule.description,
          `${label}: description`,
          ALERT_RULES_LIMITS.maxDescriptionLength,
          problems,
        );
  const runbookUrl = readRunbookUrl(rule.runbook_url, label, problems);
  const labels = readRuleLabels(rule.labels, label, problems);

  if (problems.length > before || alert === undefined || expr === undefined) {
    return undefined;
  }
  const result: AlertRule = {
    alert,
    expr,
    severity,
    labels: sortedRecord(labels),
  };
  if (forDuration !== undefined) result.for = forDuration;
  if (summary !== undefined) result.summary = summary;
  if (description !== undefined) result.description = description;
  if (runbookUrl !== undefined) result.runbookUrl = runbookUrl;
  return result;
}

function checkKnownKeys(
  rule: Record<string, unknown>,
  where: string,
  problems: string[],
): void {
  for (const key of Object.keys(rule)) {
    if (!KNOWN_KEYS.includes(key)) {
      problems.push(
        `${where} has an unknown key ${JSON.stringify(
          key.slice(0, 64),
        )} (allowed: ${KNOWN_KEYS.join(', ')})`,
      );
    }
  }
}

/** The alert name when valid and not yet used by an earlier rule (then it is added to `seen`). */
function readAlertName(
  value: unknown,
  where: string,
  seen: Set<string>,
  problems: string[],
): string | undefined {
  if (value === undefined) {
    problems.push(`${where} needs "alert" (the alert name)`);
  } else if (
    typeof value !== 'string' ||
    !ALERT_NAME.test(value) ||
    value.length > 128
  ) {
    problems.push(
      `${where}: alert ${JSON.stringify(
        String(value).slice(0, 64),
      )} must be a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*, at most 128 characters)`,
    );
  } else if (seen.has(value)) {
    problems.push(`${where}: alert "${value}" is defined twice`);
  } else {
    seen.add(value);
    return value;
  }
  return undefined;
}

/** The expression when it is valid text; a bracket/quote shape problem is reported but keeps it. */
function readExpr(
  value: unknown,
  label: string,
  problems: string[],
): string | undefined {
  if (value === undefined) {
    problems.push(`${label} needs "expr" (a PromQL expression)`);
    return undefined;
  }
  const expr = checkText(
    value,
    `${label}: expr`,
    ALERT_RULES_LIMITS.maxExprLength,
    problems,
  );
  const shape = expr !== undefined ? checkPromqlShape(expr) : undefined;
  if (shape) {
    problems.push(`${label}: expr ${shape}`);
  }
  return expr;
}

function readForDuration(
  value: unknown,
  label: string,
  problems: string[],
): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (
    typeof value !== 'string' ||
    parsePrometheusDuration(value) === undefined
  ) {
    problems.push(
      `${label}: for ${JSON.stringify(
        String(value).slice(0, 64),
      )} must be a Prometheus duration such as 5m or 1h30m`,
    );
    return undefined;
  }
  return value;
}

/** The severity, `warning` when absent (or invalid, which is also reported). */
function readSeverity(
  value: unknown,
  label: string,
  problems: string[],
): AlertSeverity {
  if (value === undefined) {
    return 'warning';
  }
  if (!SEVERITIES.includes(value as AlertSeverity)) {
    problems.push(
      `${label}: severity ${JSON.stringify(
        String(value).slice(0, 64),
      )} must be one of ${SEVERITIES.join(', ')}`,
    );
    return 'warning';
  }
  return value as AlertSeverity;
}

function readRunbookUrl(
  value: unknown,
  label: string,
  problems: string[],
): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  const url = checkText(
    value,
    `${label}: runbook_url`,
    ALERT_RULES_LIMITS.maxUrlLength,
    problems,
  );
  if (url === undefined) {
    return undefined;
  }
  if (!/^https?:\/\/[^\s]+$/.test(url)) {
    problems.push(
      `${label}: runbook_url must be an http(s) URL without spaces`,
    );
    return undefined;
  }
  return url;
}

/** The rule's extra labels that are valid; names the renderer sets itself are refused. */
function readRuleLabels(
  value: unknown,
  label: string,
  problems: string[],
): Record<string, string> {
  const labels: Record<string, string> = {};
  if (value === undefined) {
    return labels;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(
      `${label}: labels must be a mapping of label names to string values`,
    );
    return labels;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > ALERT_RULES_LIMITS.maxLabels) {
    problems.push(`${label}: at most ${ALERT_RULES_LIMITS.maxLabels} labels`);
  }
  for (const [name, text] of entries.slice(0, ALERT_RULES_LIMITS.maxLabels)) {
    const checked = readRuleLabel(name, text, label, problems);
    if (checked !== undefined) {
      labels[name] = checked;
    }
  }
  return labels;
}

function readRuleLabel(
  name: string,
  value: unknown,
  label: string,
  problems: string[],
): string | undefined {
  const shownName = JSON.stringify(name.slice(0, 64));
  if (!LABEL_NAME.test(name) || name.startsWith('__')) {
    problems.push(
      `${label}: label ${shownName} must be a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with "__")`,
    );
    return undefined;
  }
  if (RESERVED_ALERT_LABELS.includes(name)) {
    problems.push(
      `${label}: label ${shownName} is set by prometheus-ocs and cannot be overridden (reserved: ${RESERVED_ALERT_LABELS.join(
        ', ',
      )})`,
    );
    return undefined;
  }
  return checkText(
    value,
    `${label}: label ${shownName}`,
    ALERT_RULES_LIMITS.maxLabelValueLength,
    problems,
  );
}

/**
 * Parses the `prometheus-ocs.io/alert-rules` annotation: a YAML (or JSON) sequence of rules
 * `{alert, expr, for?, severity?, summary?, description?, runbook_url?, labels?}`.
 * The YAML is read defensively: one document only, no anchors/aliases (no "billion laughs"),
 * no custom tags, size and count limits, unknown keys rejected.
 */
export function parseAlertRules(text: string): ParsedAlertRules {
  if (text.length > ALERT_RULES_LIMITS.maxLength) {
    return {
      problems: [`must be at most ${ALERT_RULES_LIMITS.maxLength} characters`],
    };
  }
  if (text.trim().length === 0) {
    return { problems: ['must not be empty (omit the annotation instead)'] };
  }
  const doc = parseDocument(text, {
    schema: 'core',
    merge: false,
    uniqueKeys: true,
    strict: true,
    prettyErrors: false,
  });
  if (doc.errors.length > 0) {
    return {
      problems: [
        `must be a YAML or JSON list of rules: ${
          doc.errors[0].message.split('\n')[0]
        }`,
      ],
    };
  }
  let hasAnchorsOrTags = false;
  visit(doc, (_key, node) => {
    if (isAlias(node)) {
      hasAnchorsOrTags = true;
      return visit.BREAK;
    }
    if (
      (isScalar(node) || isCollection(node)) &&
      (node.anchor || (node.tag && !node.tag.startsWith('tag:yaml.org,2002:')))
    ) {
      hasAnchorsOrTags = true;
      return visit.BREAK;
    }
    return undefined;
  });
  if (hasAnchorsOrTags || doc.warnings.length > 0) {
    return {
      problems: [
        'must be plain YAML or JSON: anchors, aliases and custom tags are not allowed',
      ],
    };
  }
  const data: unknown = doc.toJS({ maxAliasCount: 0 });
  if (!Array.isArray(data)) {
    return {
      problems: [
        'must be a YAML or JSON list of rules, e.g. "- alert: HighErrorRate\\n  expr: ..."',
      ],
    };
  }
  if (data.length === 0) {
    return {
      problems: [
        'must contain at least one rule (omit the annotation instead)',
      ],
    };
  }
  if (data.length > ALERT_RULES_LIMITS.maxRules) {
    return {
      problems: [`must contain at most ${ALERT_RULES_LIMITS.maxRules} rules`],
    };
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  const rules: AlertRule[] = [];
  data.forEach((raw, index) => {
    const rule = parseRule(raw, index, seen, problems);
    if (rule) rules.push(rule);
  });
  return problems.length > 0 ? { problems } : { rules, problems };
}
