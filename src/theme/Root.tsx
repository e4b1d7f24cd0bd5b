// Docusaurus's Root, plus one <style> with the Prism token colours of the site's light and dark
// themes, for the code blocks highlighted to static HTML (src/theme/CodeBlock/Content), the
// routing of links inside prose the server wrote as HTML (src/prose/client.ts), and Docusaurus's
// prefetching of linked pages moved to idle moments (./prefetch-when-idle.ts).
import { useEffect, useMemo, type ReactNode } from 'react';
import { useThemeConfig } from '@docusaurus/theme-common';
import type { PrismTheme } from 'prism-react-renderer';
import { useProseLinks } from '@site/src/prose/client';
import { tokenCss } from './CodeBlock/Content/tokens';
import { prefetchWhenIdle } from './prefetch-when-idle';
import { pageHydrated } from './server-html';

export default function Root({ children }: { children: ReactNode }): ReactNode {
  const { prism } = useThemeConfig();
  // Before any <Link> mounts and starts observing: once, in the browser (a no-op after that).
  prefetchWhenIdle();
  useProseLinks();
  // The last effect of the page's first commit (a parent's effects run after its children's).
  useEffect(pageHydrated, []);
  const css = useMemo(
    () =>
      [
        tokenCss(prism.theme as PrismTheme, "html:not([data-theme='dark'])"),
        tokenCss((prism.darkTheme ?? prism.theme) as PrismTheme, "[data-theme='dark']"),
      ].join('\n'),
    [prism],
  );
  return (
    <>
      <style dangerouslySetInnerHTML={{ __html: css }} />
      {children}
    </>
  );
}
