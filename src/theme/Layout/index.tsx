// The theme's Layout, plus a <main> landmark around the search page's content: the search
// plugin's page has none (axe: landmark-one-main, region). Every other page brings its own <main>.
// The search page also gets a meta description, which it lacks (Lighthouse SEO: meta-description).
import React, { type ComponentProps } from 'react';
import { useLocation } from '@docusaurus/router';
import Layout from '@theme-original/Layout';

export default function LayoutWithMain(props: ComponentProps<typeof Layout>) {
  const { pathname } = useLocation();
  if (!/\/search\/?$/.test(pathname)) return <Layout {...props} />;
  return (
    <Layout
      {...props}
      description={props.description ?? 'Search every chapter and notebook of the StateLab course.'}
    >
      <main>{props.children}</main>
    </Layout>
  );
}
