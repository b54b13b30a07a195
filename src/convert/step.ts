import type { Container } from 'kubernetes-types/core/v1.js';
import type { Service } from '../model/types.js';
import type { ConvertContext } from './context.js';
import type { PodPlan } from './plan/pod.js';

/** Signature of a per-service concern module (resources, config, storage, probes, security...). */
export type ContainerStep = (ctx: ConvertContext, svc: Service, container: Container, plan: PodPlan) => void;
