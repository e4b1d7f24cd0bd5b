// Docusaurus's MDXContent, inside a Suspense boundary: a page whose prose the browser has to fetch
// (src/prose/client.ts: after a client-side navigation, or every page under `npm run dev`, which
// renders in the browser alone) waits for it here, with the page around it standing, instead of
// suspending the whole site.
import { Suspense, type ReactNode } from 'react';
import MDXContent from '@theme-original/MDXContent';

export default function MDXContentWithProse({ children }: { children: ReactNode }): ReactNode {
  return (
    <Suspense fallback={null}>
      <MDXContent>{children}</MDXContent>
    </Suspense>
  );
}
