// notebooks/lab/core/ is the platform-free room of the lab: the site's ClusterSimulator bundles
// sim-model.ts and with it the shop's rules, the policies and the stores, and anything here must
// run in a browser unchanged. So every module in this folder imports only other modules of this
// folder: no Node built-in, no npm package, and nothing from the edges (../node/), which hold what
// needs Node. `import type` counts too: a core function whose signature names a Node type cannot
// run anywhere else. Nor may a module reach Node's globals (Buffer, process, require, …), which
// type-check here (the project has Node's types) but do not exist in a browser.
// Tests (*.test.ts) are not modules of the core: they may start real servers to test it.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const CORE = fileURLToPath(new URL('.', import.meta.url));

/** Node's own globals: not in a browser. (setTimeout, URL, TextEncoder and fetch are in both.) */
const NODE_GLOBALS = new Set([
  'Buffer',
  'process',
  'require',
  'module',
  '__dirname',
  '__filename',
  'global',
  'setImmediate',
  'NodeJS', // the namespace of Node's own types: NodeJS.Timeout, NodeJS.ErrnoException
]);

/** Every module specifier a file names: imports and re-exports (type-only too), import(), require(). */
function specifiers(source: ts.SourceFile): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      found.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference)
    ) {
      found.push((node.moduleReference.expression as ts.StringLiteral).text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      found.push((node.argument.literal as ts.StringLiteral).text); // import('node:http').Server
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

/** Node globals the file uses as values (a property named `process` does not count). */
function nodeGlobals(source: ts.SourceFile): string[] {
  const found = new Set<string>();
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text)) {
      const parent = node.parent;
      const isName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        (ts.isPropertyAssignment(parent) && parent.name === node) ||
        ((ts.isPropertySignature(parent) ||
          ts.isPropertyDeclaration(parent) ||
          ts.isMethodDeclaration(parent)) &&
          parent.name === node) ||
        (ts.isVariableDeclaration(parent) && parent.name === node) ||
        (ts.isParameter(parent) && parent.name === node) ||
        ts.isBindingElement(parent);
      if (!isName) found.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...found];
}

/** What a core folder's modules import or use that a browser does not have, one line each. */
export function notPlatformFree(folder: string): string[] {
  const problems: string[] = [];
  const modules = readdirSync(folder).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  for (const name of modules) {
    const file = join(folder, name);
    const source = ts.createSourceFile(
      file,
      readFileSync(file, 'utf8'),
      ts.ScriptTarget.Latest,
      true,
    );
    for (const specifier of specifiers(source)) {
      if (!specifier.startsWith('.')) {
        problems.push(`${name} imports ${specifier}: a built-in or a package`);
      } else if (dirname(resolve(folder, specifier)) !== resolve(folder)) {
        const where = relative(folder, resolve(folder, specifier));
        problems.push(`${name} imports ${specifier}: ${where} is outside the core`);
      }
    }
    for (const name_ of nodeGlobals(source)) problems.push(`${name} uses Node's global ${name_}`);
    // `/// <reference types="node" />` brings Node's types in without an import.
    for (const { fileName } of source.typeReferenceDirectives)
      problems.push(`${name} references the types of ${fileName}`);
  }
  return problems;
}

describe('the core (notebooks/lab/core)', () => {
  it('has modules, and none imports a built-in, a package or an edge, or uses a Node global', () => {
    expect(
      readdirSync(CORE).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).length,
    ).toBeGreaterThan(10);
    expect(notPlatformFree(CORE)).toEqual([]);
  });
});

describe('the check itself', () => {
  const dir = mkdtempSync(join(tmpdir(), 'statelab-core-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => writeFileSync(join(dir, name), text);

  it("finds a built-in, a package, an edge, a type-only import, an import() type, a Node global, Node's type namespace and a types reference", () => {
    file('ok.ts', "import { json } from './reply';\nexport type { Reply } from './reply';\n");
    file('builtin.ts', "import { randomBytes } from 'node:crypto';\n");
    file('package.ts', "export { default } from 'better-sqlite3';\n");
    file('edge.ts', "import { startServer } from '../node/server';\n");
    file('types.ts', "import type { IncomingMessage } from 'node:http';\n");
    file('inline.ts', "export type S = import('node:http').Server;\n");
    file('dynamic.ts', "export const load = () => import('../node/shop');\n");
    file(
      'globals.ts',
      'export const id = Buffer.from("x").toString("hex");\nconst o = { process: 1 };\n',
    );
    file('namespace.ts', 'export type T = NodeJS.Timeout;\n');
    file('reference.ts', '/// <reference types="node" />\nexport const x = 1;\n');
    file('ignored.test.ts', "import { readFileSync } from 'node:fs';\n");
    expect(notPlatformFree(dir).sort()).toEqual([
      'builtin.ts imports node:crypto: a built-in or a package',
      'dynamic.ts imports ../node/shop: ../node/shop is outside the core',
      'edge.ts imports ../node/server: ../node/server is outside the core',
      "globals.ts uses Node's global Buffer",
      'inline.ts imports node:http: a built-in or a package',
      "namespace.ts uses Node's global NodeJS",
      'package.ts imports better-sqlite3: a built-in or a package',
      'reference.ts references the types of node',
      'types.ts imports node:http: a built-in or a package',
    ]);
  });
});
