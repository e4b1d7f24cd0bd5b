// A Docusaurus plugin that keeps Mermaid out of the JavaScript every page loads.
//
// Docusaurus puts any module used by half the bundle's chunks into `common`, which every page
// loads. Mermaid splits itself into dozens of lazy chunks that share its parser (langium,
// vscode-jsonrpc, …), so those modules landed in `common`: +665 KiB on every page, diagram or not.
// Here the `common` group skips Mermaid and everything only Mermaid depends on; they stay in the
// chunks that load when a page really draws a diagram in the browser
// (src/components/Diagram/InBrowser.tsx). Only a page with a diagram that has no drawing imports
// that (src/diagrams/in-browser.ts): when every diagram is drawn, the build has no Mermaid at all.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';

/** mermaid and every package it depends on, directly or not, as installed in node_modules. */
export function mermaidPackages(siteDir: string): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    const manifest = join(siteDir, 'node_modules', name, 'package.json');
    if (seen.has(name) || !existsSync(manifest)) return;
    seen.add(name);
    const { dependencies = {} } = JSON.parse(readFileSync(manifest, 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    Object.keys(dependencies).forEach(visit);
  };
  visit('mermaid');
  return [...seen];
}

/** Packages the site itself uses, which must stay shared even though Mermaid uses them too. */
const SHARED_WITH_SITE = ['react', 'react-dom', 'clsx', 'tslib'];

export default function mermaidOnDemand(context: LoadContext): Plugin {
  return {
    name: 'statelab-mermaid-on-demand',
    configureWebpack(config, isServer) {
      const common = (config.optimization?.splitChunks || undefined)?.cacheGroups?.common;
      if (isServer || !common || typeof common !== 'object') return {};
      const names = mermaidPackages(context.siteDir)
        .filter((n) => !SHARED_WITH_SITE.includes(n))
        .map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('/', '[\\\\/]'));
      common.test = new RegExp(`^(?!.*[\\\\/]node_modules[\\\\/](${names.join('|')})[\\\\/])`);
      return {};
    },
  };
}
