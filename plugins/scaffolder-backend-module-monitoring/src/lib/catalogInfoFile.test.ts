import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  readCatalogInfoFile,
  selectCatalogInfoEntity,
} from './catalogInfoFile';

describe('catalog-info files', () => {
  const mockDir = createMockDirectory();

  async function load(text: string) {
    mockDir.setContent({ 'catalog-info.yaml': text });
    return readCatalogInfoFile(mockDir.path, 'catalog-info.yaml');
  }

  const entities = `# leading comment only document
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: web, namespace: shop }
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: { name: web }
---
just a string
`;

  it('selects the only Component, skipping documents that are not entities', async () => {
    const file = await load(entities);
    const selected = selectCatalogInfoEntity(file);
    expect(selected.entityRef).toBe('component:shop/web');
    expect(selected.entity.kind).toBe('Component');
    expect(selected.document.getIn(['metadata', 'namespace'])).toBe('shop');
  });

  it('selects by name, by kind, or both', async () => {
    const file = await load(entities);
    expect(selectCatalogInfoEntity(file, { kind: 'resource' }).entityRef).toBe(
      'resource:default/web',
    );
    expect(() => selectCatalogInfoEntity(file, { name: 'web' })).toThrow(
      "catalog-info.yaml has several entities named 'web' (component:shop/web, resource:default/web); set entityKind and entityName to choose one",
    );
    expect(
      selectCatalogInfoEntity(file, { kind: 'Resource', name: 'web' })
        .entityRef,
    ).toBe('resource:default/web');
    expect(() =>
      selectCatalogInfoEntity(file, { kind: 'API', name: 'web' }),
    ).toThrow(
      "catalog-info.yaml has no entity of kind API named 'web' (found: component:shop/web, resource:default/web)",
    );
  });

  it('refuses files without a document or larger than a descriptor can be', async () => {
    await expect(load('')).rejects.toThrow(
      'catalog-info.yaml holds no YAML document',
    );
    await expect(load('# only a comment\n')).rejects.toThrow(
      'catalog-info.yaml holds no YAML document',
    );
    await expect(
      load('just a string\n').then(selectCatalogInfoEntity),
    ).rejects.toThrow(
      'catalog-info.yaml has no entity of kind Component (found: no entity)',
    );
    await expect(load(`# ${'x'.repeat(1024 * 1024)}\n`)).rejects.toThrow(
      'is larger than 1048576 bytes',
    );
  });
});
