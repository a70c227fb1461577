import { Document, visit } from 'yaml';
import { canonicalize } from './canonicalize';

/**
 * Serializes objects as multi-document YAML (`---` between documents), deterministically.
 *
 * Kubernetes tooling reads YAML 1.1 (sigs.k8s.io/yaml), where `on`, `no`, `y` or `1:20` are not
 * strings; other tools read YAML 1.2, where `0o17` is a number. Strings are therefore quoted
 * whenever either version would read them as something else, so the output means the same thing
 * to every reader. No anchors/aliases are emitted and long lines are never folded.
 */
export function toYaml(objects: readonly unknown[]): string {
  return objects
    .map(object => {
      const doc = new Document(canonicalize(object), {
        version: '1.1',
        aliasDuplicateObjects: false,
      });
      visit(doc, {
        Scalar(_key, node) {
          // YAML 1.2 octal: plain in 1.1 output, a number to a 1.2 reader.
          if (typeof node.value === 'string' && /^[-+]?0o/i.test(node.value)) {
            node.type = 'QUOTE_DOUBLE';
          }
        },
      });
      return `---\n${doc.toString({ lineWidth: 0, directives: false })}`;
    })
    .join('');
}
