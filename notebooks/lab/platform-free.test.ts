// The browser bundles sim-model.ts (the site's ClusterSimulator) and with it the shop's rules, so
// neither may reach a Node built-in through any chain of imports. This walks the import graph the
// way a bundler would: `import type` and `export type` are erased, everything else is loaded.
// It does not look inside npm packages, so the browser's modules import none: the lab's own
// (better-sqlite3, ioredis) are Node-only anyway.
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const LAB = fileURLToPath(new URL('.', import.meta.url));

/** The modules a file loads at run time: static imports and re-exports, import() and require(). */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) {
      found.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      found.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every module from outside the lab that the entry loads, as "chain of files → module". */
function reachedOutsideTheLab(entry: string): string[] {
  const reached: string[] = [];
  const seen = new Set<string>();
  const walk = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const here = [...chain, relative(LAB, file)];
    for (const specifier of runtimeImports(file)) {
      if (specifier.startsWith('.')) walk(join(dirname(file), `${specifier}.ts`), here);
      else reached.push(`${here.join(' → ')} → ${specifier}`);
    }
  };
  walk(join(LAB, entry), []);
  return reached;
}

describe('the modules the browser runs', () => {
  it.each(['shop-rules.ts', 'sim-model.ts'])(
    '%s reaches no Node built-in and no package',
    (entry) => {
      expect(reachedOutsideTheLab(entry)).toEqual([]);
    },
  );

  it('sees a built-in behind a chain of imports, and looks past `import type`', () => {
    // account.ts mints session IDs with node:crypto, which is why the browser may not import it.
    expect(reachedOutsideTheLab('shop.ts')).toContain('shop.ts → account.ts → node:crypto');
    // shop-types.ts names catalog.ts's types only; catalog.ts itself loads better-sqlite3.
    expect(reachedOutsideTheLab('shop-types.ts')).toEqual([]);
    expect(reachedOutsideTheLab('catalog.ts')).toEqual(['catalog.ts → better-sqlite3']);
  });
});
