// The landing page: what the reader builds and breaks, the three ways to learn, and a way in.
import type { ReactNode } from 'react';
import Link from '@docusaurus/Link';
import Layout from '@theme/Layout';
import Heading from '@theme/Heading';
import styles from './index.module.css';

interface Way {
  title: string;
  /** Where the card leads: the whole card is that link. */
  to: string;
  body: ReactNode;
}

const WAYS: Way[] = [
  {
    title: 'Read',
    to: '/docs/intro#the-chapters',
    body: 'Each chapter tells one part of the story with diagrams and real code from the lab.',
  },
  {
    title: 'Run',
    to: '/docs/setup#run-the-notebooks',
    body: 'TypeScript notebooks start real HTTP servers on your machine, put them behind a load balancer and kill them.',
  },
  {
    title: 'Do',
    to: '/docs/setup#run-the-exercises',
    body: (
      <>
        Edit small TypeScript exercises and run <code>npm run check</code>. A failing check says
        what it expected and where to look.
      </>
    ),
  },
];

export default function Home(): ReactNode {
  return (
    <Layout
      title="Stateful vs stateless architecture"
      description="Build a tiny shop with login, cart and checkout, run it on many servers, and break it."
    >
      <main>
        <header className={styles.hero}>
          <div className="container">
            <Heading as="h1">StateLab</Heading>
            <p className={styles.lead}>
              Build a tiny shop (login, cart, checkout) and run it on several servers. Kill one and
              watch users lose their carts. Then move the state out of the servers, kill one again,
              and see why nothing is lost.
            </p>
            <Link className={`button button--primary button--lg ${styles.start}`} to="/docs/intro">
              Start the course
            </Link>
          </div>
        </header>
        <section className={styles.ways}>
          <div className="container">
            <div className="row">
              {WAYS.map((way) => (
                <div key={way.title} className="col col--4 margin-bottom--md">
                  <div className={styles.way}>
                    {/* The heading is the link (its name stays short); CSS stretches it over the card. */}
                    <Heading as="h2">
                      <Link to={way.to}>{way.title}</Link>
                    </Heading>
                    <p>{way.body}</p>
                  </div>
                </div>
              ))}
            </div>
          </div>
        </section>
      </main>
    </Layout>
  );
}
