// The balancer's backends: who is in the pool, the keep-alive connections to each, and the
// policy's choice among them. State lives here: the pool itself (each backend's health and
// in-flight count, which the policies read) and every connection pool ever made, so stop() can
// end them all. Health checks (balancer-health.ts) decide `healthy`; the proxy counts `inFlight`.
import { Agent } from 'node:http';
import type { Checked, HealthWatch } from './balancer-health';
import type { Backend, Policy, RouteRequest } from '../core/policies';

/** One backend in the pool, as the balancer holds it. */
export interface Member extends Checked {
  /** Keep-alive connections to this backend, so a proxied request skips the TCP handshake. */
  agent: Agent;
  /** Set by remove(): called when the last request in flight to this backend is answered. */
  drained?: () => void;
}

export function backendPool(
  policy: Policy,
  health: HealthWatch,
  onError: (error: unknown) => void,
) {
  const members: Member[] = [];
  const agents: Agent[] = []; // every agent ever made, removed backends' too: destroy() ends them all

  return {
    members: (): readonly Member[] => members,
    backends: () => members.map((m) => m.backend),

    /** In the pool from now on; in rotation once health checks say so (or at once, with none). */
    add(spec: { name: string; url: string }): Member {
      if (members.some((m) => m.backend.name === spec.name)) {
        throw new Error(`a backend named ${spec.name} is already in the pool`);
      }
      const member: Member = {
        backend: { name: spec.name, healthy: health.startsHealthy, inFlight: 0 },
        url: new URL(spec.url),
        agent: new Agent({ keepAlive: true }),
        against: 0,
        seenUp: health.startsHealthy,
      };
      members.push(member);
      agents.push(member.agent);
      health.watch(member, () => members.includes(member));
      return member;
    },

    /** Out of rotation at once; resolves once the requests already on their way there are answered. */
    remove(name: string): Promise<void> {
      const index = members.findIndex((m) => m.backend.name === name);
      if (index < 0) return Promise.resolve();
      const [member] = members.splice(index, 1);
      if (member.backend.inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => (member.drained = resolve));
    },

    /** The policy's choice among the backends (minus `skip`), or why there is none. */
    choose(route: RouteRequest, skip?: Backend): Member | 'policy failed' | undefined {
      try {
        const backends = members.map((m) => m.backend).filter((b) => b !== skip);
        const backend = policy.pick(backends, route);
        return members.find((m) => m.backend === backend);
      } catch (error) {
        // The policy is code running inside the LB: its bug must cost one request, not the LB.
        onError(error);
        return 'policy failed';
      }
    },

    /** Resolves once the pool's view of `name`'s health equals `healthy` (polls; bounded by timeoutMs). */
    async waitFor(name: string, healthy: boolean, timeoutMs = 5000): Promise<void> {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const member = members.find((m) => m.backend.name === name);
        if (!member) throw new Error(`no backend named ${name}`);
        if (member.backend.healthy === healthy) return;
        if (performance.now() > deadline) {
          throw new Error(
            `${name} was not ${healthy ? 'healthy' : 'unhealthy'} within ${timeoutMs} ms`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },

    /** Ends every kept-alive connection to every backend, removed ones' too. */
    destroy() {
      for (const agent of agents) agent.destroy();
    },
  };
}

export type BackendPool = ReturnType<typeof backendPool>;
