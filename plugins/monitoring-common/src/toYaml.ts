import { Document, visit } from 'yaml';
import { canonicalize } from './canonicalize';

/**
 * Strings the `yaml` library leaves plain in YAML 1.1 output that some reader still takes for
 * something else: YAML 1.2 octals (`0o17`, a number in 1.2), and the 1.1 "value" (`=`) and
 * "merge" (`<<`) types, which PyYAML-based tools reject or merge when they are unquoted.
 */
function needsExtraQuotes(value: string): boolean {
  return /^[-+]?0o/i.test(value) || value === '=' || value === '<<';
}

/**
 * Serializes objects as multi-document YAML (`---` between documents), deterministically.
 *
 * Kubernetes tooling reads YAML 1.1 (sigs.k8s.io/yaml), where `on`, `no`, `y` or `1:20` are not
 * strings; other tools read YAML 1.2, where `0o17` is a number. Strings are therefore quoted
 * whenever either version would read them as something else, so the output means the same thing
 * to every reader. No anchors/aliases are emitted and long lines are never folded.
 *
 * @public
 */
export function toYaml(objects: readonly unknown[]): string {
  return objects
    .map(object => {
      const doc = new Document(canonicalize(object), {
        version: '1.1',
        aliasDuplicateObjects: false,
        // Without the merge type `<<` is a plain string the visitor below can quote.
        customTags: tags =>
          tags.filter(tag =>
            typeof tag === 'string'
              ? tag !== 'merge'
              : tag.tag !== 'tag:yaml.org,2002:merge',
          ),
      });
      visit(doc, {
        Scalar(_key, node) {
          if (typeof node.value === 'string' && needsExtraQuotes(node.value)) {
            node.type = 'QUOTE_DOUBLE';
          }
        },
      });
      return `---\n${doc.toString({ lineWidth: 0, directives: false })}`;
    })
    .join('');
}
