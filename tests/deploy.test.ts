// The production files of chapter 6 (notebooks/deploy/) say what the chapter says they say:
// nginx spreads over three servers with passive health checks and has a sticky variant; the
// web tier is a stateless Deployment; Redis is a StatefulSet with its own storage per pod.
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const DEPLOY = new URL('../notebooks/deploy/', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, DEPLOY), 'utf8');
// Tests read nested manifest fields by path; the YAML's shape is what is under test.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a YAML document has no static type
type Manifest = any;
const manifest = (path: string): Manifest => load(read(path));

/** nginx blocks by name (`upstream shop`, `server`, `location /`): their directive lines. */
function nginxBlocks(text: string): Map<string, string[]> {
  const blocks = new Map<string, string[]>();
  const stack: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    if (line.endsWith('{')) stack.push(line.slice(0, -1).trim());
    else if (line === '}') stack.pop();
    else {
      const name = stack[stack.length - 1] ?? '';
      blocks.set(name, [...(blocks.get(name) ?? []), line.replace(/;$/, '')]);
    }
  }
  expect(stack, 'every { has its }').toEqual([]);
  return blocks;
}

describe('notebooks/deploy/nginx/shop.conf', () => {
  const text = read('nginx/shop.conf');
  const blocks = nginxBlocks(text);

  it('spreads requests over app-1, app-2 and app-3, with passive health checks', () => {
    const servers = blocks.get('upstream shop')!.filter((d) => d.startsWith('server '));
    expect(servers.map((d) => d.split(/\s+/)[1])).toEqual([
      'app-1:3000',
      'app-2:3000',
      'app-3:3000',
    ]);
    for (const server of servers) expect(server).toMatch(/max_fails=\d+ fail_timeout=\d+s/);
    expect(text).toMatch(/open-source nginx has no active\s*\n?\s*#?\s*checks/);
  });

  it('uses round robin, with no affinity, and points stateful servers to shop-sticky.conf', () => {
    expect(blocks.get('upstream shop')!.some((d) => /^(hash|ip_hash|sticky)\b/.test(d))).toBe(
      false,
    );
    expect(text).toMatch(/shop-sticky\.conf/);
  });

  it('proxies to the round-robin upstream and never resends a POST', () => {
    const location = blocks.get('location /')!;
    expect(location).toContain('proxy_pass http://shop');
    expect(location.join('\n')).not.toMatch(/non_idempotent/);
  });
});

// tests/deploy-nginx.test.ts runs this file in a real nginx; these are the fields the page names.
describe('notebooks/deploy/nginx/shop-sticky.conf', () => {
  const text = read('nginx/shop-sticky.conf');
  const blocks = nginxBlocks(text);

  it('routes by a route cookie that nginx sets from the server that answered, never by the sid', () => {
    expect(text).not.toMatch(/^[^#]*\$cookie_sid/m);
    expect(blocks.get('map $cookie_route $route_group')).toEqual([
      'app-1   pinned_app_1',
      'app-2   pinned_app_2',
      'app-3   pinned_app_3',
      'default any_app',
    ]);
    expect(blocks.get('map $upstream_http_x_served_by $route_cookie')!.join('\n')).toMatch(
      /"route=\$upstream_http_x_served_by; Path=\/; HttpOnly; SameSite=Lax"/,
    );
    const location = blocks.get('location /')!;
    expect(location).toContain('proxy_pass http://$route_group');
    expect(location).toContain('add_header Set-Cookie $route_cookie always');
  });

  it('pins each user to one server, with the other two as backups while it is down', () => {
    for (const pinned of ['app-1', 'app-2', 'app-3']) {
      const servers = blocks.get(`upstream pinned_${pinned.replace('-', '_')}`)!;
      expect(servers[0]).toMatch(
        new RegExp(`^server ${pinned}:3000 max_fails=\\d+ fail_timeout=\\d+s$`),
      );
      expect(servers.slice(1).every((d) => d.endsWith(' backup'))).toBe(true);
      expect(servers.length).toBe(3);
    }
    expect(blocks.get('upstream any_app')!.some((d) => /^(hash|ip_hash)\b/.test(d))).toBe(false);
  });

  it('never resends a POST that may have reached a server', () => {
    expect(blocks.get('location /')!.join('\n')).not.toMatch(/non_idempotent/);
  });
});

describe('notebooks/deploy/kubernetes', () => {
  it('runs the web tier as a stateless Deployment: 3 replicas, ready on /health, no volumes', () => {
    const web = manifest('kubernetes/web-deployment.yaml');
    expect(web.kind).toBe('Deployment');
    expect(web.spec.replicas).toBe(3);
    const pod = web.spec.template.spec;
    expect(pod.volumes).toBeUndefined();
    const [shop] = pod.containers;
    expect(shop.volumeMounts).toBeUndefined();
    expect(shop.readinessProbe.httpGet.path).toBe('/health');
    expect(web.spec.selector.matchLabels).toEqual(web.spec.template.metadata.labels);
  });

  it('puts Redis in a StatefulSet: a governing Service, a volume per pod, mounted at /data', () => {
    const redis = manifest('kubernetes/redis-statefulset.yaml');
    expect(redis.kind).toBe('StatefulSet');
    expect(redis.spec.serviceName).toBe('redis');
    const [claim] = redis.spec.volumeClaimTemplates;
    expect(claim.metadata.name).toBe('data');
    expect(claim.spec.accessModes).toEqual(['ReadWriteOnce']);
    const [container] = redis.spec.template.spec.containers;
    expect(container.volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    expect(container.args.join(' ')).toMatch(
      /--appendonly yes --appendfsync everysec --dir \/data/,
    );
    expect(container.args.join(' ')).toMatch(/--replicaof redis-0\.redis 6379/);
  });

  it('gives Redis a headless Service (one DNS name per pod) and the web tier a normal one', () => {
    const redis = manifest('kubernetes/redis-service.yaml');
    expect(redis.kind).toBe('Service');
    expect(redis.spec.clusterIP).toBe('None');
    expect(redis.spec.selector).toEqual({ app: 'redis' });
    const web = manifest('kubernetes/web-service.yaml');
    expect(web.spec.clusterIP).toBeUndefined();
    expect(web.spec.selector).toEqual(
      manifest('kubernetes/web-deployment.yaml').spec.selector.matchLabels,
    );
    expect(web.spec.ports[0].targetPort).toBe('http');
  });
});
