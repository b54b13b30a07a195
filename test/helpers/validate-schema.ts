/**
 * Schema validation with kubernetes-models: each object is built with the model class registered for
 * its apiVersion+kind and validated (types, required fields, formats).
 */
// Only the API groups a converter emits (importing the package root costs seconds).
import * as apps from 'kubernetes-models/apps/v1';
import * as autoscalingV1 from 'kubernetes-models/autoscaling/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as batch from 'kubernetes-models/batch/v1';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as rbac from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as scheduling from 'kubernetes-models/scheduling.k8s.io/v1';
import * as storage from 'kubernetes-models/storage.k8s.io/v1';
import * as core from 'kubernetes-models/v1';
// Gateway API (HTTPRoute, with --ingress gateway): the CRD schemas of Gateway API v1.0.
import * as gateway from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1';

const models = [
  apps,
  autoscalingV1,
  autoscalingV2,
  batch,
  networking,
  policy,
  rbac,
  scheduling,
  storage,
  core,
  gateway,
];

export interface SchemaIssue {
  path: string;
  message: string;
}

interface ModelClass {
  new (data: unknown): { validate(): void };
  apiVersion: string;
  kind: string;
}

interface AjvError {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

let registry: Map<string, ModelClass> | undefined;

function isModelClass(v: unknown): v is ModelClass {
  return (
    typeof v === 'function' &&
    typeof (v as Partial<ModelClass>).apiVersion === 'string' &&
    typeof (v as Partial<ModelClass>).kind === 'string'
  );
}

function collect(ns: unknown, into: Map<string, ModelClass>, depth: number): void {
  if (depth > 3 || typeof ns !== 'object' || ns === null) return;
  for (const value of Object.values(ns as Record<string, unknown>)) {
    if (isModelClass(value)) into.set(`${value.apiVersion}|${value.kind}`, value);
    else if (typeof value === 'object') collect(value, into, depth + 1);
  }
}

/** The model class for apiVersion+kind, if kubernetes-models knows it. */
export function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  if (!registry) {
    registry = new Map();
    collect(models, registry, 0);
  }
  return registry.get(`${apiVersion}|${kind}`);
}

/** Validation errors for one object (empty when valid); `undefined` when the kind is unknown. */
export function schemaIssues(obj: Record<string, unknown>): SchemaIssue[] | undefined {
  const Model = modelFor(String(obj.apiVersion), String(obj.kind));
  if (!Model) return undefined;
  try {
    new Model(obj).validate();
    return [];
  } catch (err) {
    const errors = (err as { errors?: AjvError[] }).errors;
    if (!Array.isArray(errors)) return [{ path: '', message: String((err as Error).message ?? err) }];
    return errors.map((e) => {
      const extra = e.params?.missingProperty ? ` (${String(e.params.missingProperty)})` : '';
      return { path: e.instancePath ?? '', message: `schema: ${e.message ?? 'invalid'}${extra}` };
    });
  }
}
