import type { Container } from 'kubernetes-types/core/v1.js';
import type { Service } from '../model/types.js';
import type { OutcomeId } from '../mappings/outcomes.js';
import type { Values } from './book.js';
import type { ConvertContext } from './context.js';
import type { PodPlan } from './plan/pod.js';

/** Signature of a per-service concern module (resources, config, storage, probes, security...). */
export type ContainerStep = (ctx: ConvertContext, svc: Service, container: Container, plan: PodPlan) => void;

/** Reports an item of a service (`user`, `pid`, `links[1]`, `cpus`) as an outcome naming the pod's workload. */
export type Rec = (path: string, id: OutcomeId, values?: Values) => void;

/** The Rec of `svc` in `plan`. */
export function recorder(ctx: ConvertContext, svc: Service, plan: PodPlan): Rec {
  const objects = [`${plan.kind}/${plan.name}`];
  return (path, id, values) => ctx.outcome(svc.name, path, id, values, { objects });
}
