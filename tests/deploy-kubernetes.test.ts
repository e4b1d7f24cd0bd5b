// The Kubernetes manifests of chapter 6 (notebooks/deploy/kubernetes/) checked offline against
// the Kubernetes API's own OpenAPI schemas (kubernetes-models: the schemas of Kubernetes 1.27,
// compiled to JSON Schema validators), and against what the chapter teaches about them.
//
// What this checks: each document is a known kind of the API, every field exists in that kind
// with the right type, required fields are there. What it does not: anything only a cluster
// knows (whether the image exists, the Secret `shop-database` exists, a StorageClass can give
// the PersistentVolumeClaims, admission policies), server-side defaulting, or whether the pods
// work: nothing here starts a cluster. Nor a misspelt optional field: the API's schemas allow
// unknown fields (the API server drops them, or rejects them under strict field validation), so a
// typo such as `volumeClaimTemplate` passes here; tests/deploy.test.ts reads the fields the
// chapter names by their exact names, which a typo fails.
import { readdirSync, readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';

const DIR = new URL('../notebooks/deploy/kubernetes/', import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a YAML document has no static type
type Manifest = any;
const manifest = (file: string): Manifest => load(readFileSync(new URL(file, DIR), 'utf8'));
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));

/** Validates a manifest against its kind's schema; throws what the schema rejects. */
function validate(doc: Manifest): void {
  const key = `${doc.apiVersion} ${doc.kind}`;
  const model = {
    'apps/v1 Deployment': () => new Deployment(doc),
    'apps/v1 StatefulSet': () => new StatefulSet(doc),
    'v1 Service': () => new Service(doc),
  }[key];
  if (!model) throw new Error(`no schema here for ${key}`);
  model().validate();
}

describe('the manifests are valid Kubernetes objects (offline, API schemas of Kubernetes 1.27)', () => {
  it('there are the four files the chapter shows', () => {
    expect(FILES.sort()).toEqual([
      'redis-service.yaml',
      'redis-statefulset.yaml',
      'web-deployment.yaml',
      'web-service.yaml',
    ]);
  });

  for (const file of FILES) {
    it(`${file} passes its kind's schema`, () => {
      expect(() => validate(manifest(file))).not.toThrow();
    });
  }

  it('rejects a wrong type and a missing required field (the check can fail)', () => {
    const deployment = manifest('web-deployment.yaml');
    deployment.spec.template.spec.containers[0].readinessProbe.periodSeconds = 'two';
    expect(() => validate(deployment)).toThrow(/periodSeconds must be integer/);

    const statefulSet = manifest('redis-statefulset.yaml');
    delete statefulSet.spec.selector; // required in apps/v1
    expect(() => validate(statefulSet)).toThrow(/selector/);

    const service = manifest('web-service.yaml');
    delete service.spec.ports[0].port;
    expect(() => validate(service)).toThrow(/port/);
  });
});

describe('the manifests do what chapter 6 teaches', () => {
  const web = manifest('web-deployment.yaml');
  const pod = web.spec.template.spec;
  const shop = pod.containers[0];

  it('draining: the preStop wait fits in the termination grace period, with time left for SIGTERM', () => {
    const [command, seconds] = shop.lifecycle.preStop.exec.command as [string, string];
    expect(command).toBe('sleep');
    expect(Number(seconds)).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(Number(seconds));
  });

  it('readiness: traffic only while /health answers, on the port the Service targets', () => {
    expect(shop.readinessProbe.httpGet.path).toBe('/health');
    const service = manifest('web-service.yaml');
    expect(shop.ports.map((p: Manifest) => p.name)).toContain(service.spec.ports[0].targetPort);
    expect(service.spec.selector).toEqual(web.spec.template.metadata.labels);
    // A rolling update never takes a ready pod away before its replacement is ready.
    expect(web.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
  });

  it('Redis: a StatefulSet with persistence on, a volume per pod, governed by a headless Service', () => {
    const redis = manifest('redis-statefulset.yaml');
    const service = manifest('redis-service.yaml');
    expect(redis.spec.serviceName).toBe(service.metadata.name);
    expect(service.spec.clusterIP).toBe('None');
    const container = redis.spec.template.spec.containers[0];
    const mounted = container.volumeMounts.find((m: Manifest) => m.mountPath === '/data');
    expect(redis.spec.volumeClaimTemplates.map((t: Manifest) => t.metadata.name)).toContain(
      mounted.name,
    );
    // Both branches of the start script (primary and replica) turn the AOF on, in /data.
    const script = container.args.join(' ');
    expect(script.match(/--appendonly yes/g)).toHaveLength(2);
    expect(script.match(/--dir \/data/g)).toHaveLength(2);
  });
});
