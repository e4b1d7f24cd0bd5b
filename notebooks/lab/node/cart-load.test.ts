import { afterAll, describe, expect, it } from 'vitest';
import { loginUsers, sendCartLoad } from './cart-load';
import { openCatalog } from './sqlite-catalog';
import { startServer } from './server';
import { createShop } from './shop';

const catalog = openCatalog();
afterAll(() => catalog.close());

describe('sendCartLoad', () => {
  it('sends exactly the requested number of cart requests and times each', async () => {
    const server = await startServer({
      name: 'app-1',
      app: () => createShop({ name: 'app-1', catalog }),
    });
    try {
      const sids = await loginUsers(server.url, 3);
      const figures = await sendCartLoad(server.url, sids, { requests: 30, concurrency: 4 });
      expect(figures.requests).toBe(30);
      expect(figures.p50).toBeLessThanOrEqual(figures.p99);
      expect(figures.perSecond).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  });

  it('throws when a cart request fails (here: a session the shop never issued)', async () => {
    const server = await startServer({
      name: 'app-1',
      app: () => createShop({ name: 'app-1', catalog }),
    });
    try {
      await expect(
        sendCartLoad(server.url, ['nobody'], { requests: 2, concurrency: 1 }),
      ).rejects.toThrow(/cart request failed: POST 401/);
    } finally {
      await server.stop();
    }
  });
});
