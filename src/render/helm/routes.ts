/**
 * The values of a chart's Ingresses and HTTPRoutes (for HelmLifter): `<service>.ingress {enabled, className, host
 * (rules when it has several), tls}`, `<service>.route {enabled, hostnames, parentRefs}`, and the condition of the
 * NetworkPolicy that admits the ingress controller to a Service routed by one of them.
 */
import { LABEL_NAME, type KubeObject } from '../../kube/object.js';
import { presentBlock, replaceKey, stringBlock, yamlBlock, type Markers } from './markers.js';
import type { ImageServices } from './pod-images.js';
import { asMap as asObj, mapsIn as asList } from '../../util/object.js';

type J = Record<string, unknown>;

/** Name suffix of the NetworkPolicy admitting the ingress controller to a Service's pods (objects/netpol.ts). */
const FROM_INGRESS = '-from-ingress';

export class RouteValues {
  /** Ingress values keys of services, for NOTES.txt. */
  readonly ingresses: string[] = [];
  /** HTTPRoute values keys of services, for NOTES.txt. */
  readonly routes: string[] = [];
  /** Ingresses that have other than one rule in some environment. */
  private readonly manyRules = new Set<string>();
  /** Per Service name, the Ingresses routing to it (every version). */
  private readonly routedBy = new Map<string, Set<string>>();
  /** Per Ingress name, the service key that owns it (so a policy finds its owner without a scan). */
  private readonly ownerOf = new Map<string, string>();

  constructor(
    private readonly markers: Markers,
    private readonly services: Pick<ImageServices, 'keyFor' | 'svc'>,
  ) {}

  /** An Ingress of any version: its rules, the Services it routes to, its owner. */
  scan(o: KubeObject): void {
    const spec = asObj((o as unknown as J).spec);
    // An Ingress with one rule in every version has its host as a value; with several, its rules are one field.
    if (asList(spec?.rules).length !== 1) this.manyRules.add(o.metadata.name);
    const backends = [
      asObj(spec?.defaultBackend),
      ...asList(spec?.rules).flatMap((r) => asList(asObj(r.http)?.paths).map((x) => asObj(x.backend))),
    ];
    for (const b of backends) {
      const service = asObj(b?.service)?.name;
      if (typeof service !== 'string') continue;
      const set = this.routedBy.get(service) ?? new Set<string>();
      this.routedBy.set(service, set.add(o.metadata.name));
    }
    const owner = this.services.keyFor(o.metadata.labels?.[LABEL_NAME]);
    if (owner) this.ownerOf.set(o.metadata.name, owner);
  }

  /**
   * The condition of a Service's `<service>-from-ingress` NetworkPolicy: that some Ingress routing to it is there, each
   * being there when its service's `ingress.enabled` is (`or` of them, when several services' Ingresses route to it),
   * so disabling them closes the port the policy opened to every namespace, too. An Ingress no service owns keeps it
   * unconditional.
   */
  fromIngressWrap(o: KubeObject): string | undefined {
    const service = o.metadata.name.endsWith(FROM_INGRESS) ? o.metadata.name.slice(0, -FROM_INGRESS.length) : '';
    const conditions = new Set<string>();
    for (const ingress of this.routedBy.get(service) ?? []) {
      const owner = this.ownerOf.get(ingress);
      if (owner === undefined) return undefined;
      conditions.add(`.Values.${owner}.ingress.enabled`);
    }
    const [one, ...more] = [...conditions].sort();
    return more.length ? `or ${[one, ...more].join(' ')}` : one;
  }

  /**
   * Returns the condition the whole Ingress file is wrapped in: its service's `ingress.enabled`. The first Ingress of a
   * service lifts its class, host (or rules) and TLS; another one of it (a library caller's) keeps its own.
   */
  liftIngress(o: J & KubeObject): string | undefined {
    const key = this.services.keyFor(o.metadata.labels?.[LABEL_NAME]);
    const spec = asObj(o.spec);
    if (!key || !spec) return undefined;
    const path = `.Values.${key}.ingress`;
    if (this.services.svc(key).ingress !== undefined) return `${path}.enabled`;
    const rules = asList(spec.rules);
    const ingress: J = {
      enabled: true,
      className: typeof spec.ingressClassName === 'string' ? spec.ingressClassName : '',
    };
    if (rules.length === 1 && !this.manyRules.has(o.metadata.name)) {
      const rule = rules[0]!;
      ingress.host = typeof rule.host === 'string' ? rule.host : '';
      delete rule.host;
      rule[this.markers.block(stringBlock('host', `${path}.host`))] = null;
    } else if (Array.isArray(spec.rules)) {
      // Several rules (a router's Host(`a`) || Host(`b`), hosts per path): their hosts are set in the rules value.
      ingress.rules = spec.rules;
      replaceKey(spec, 'rules', this.markers.block(presentBlock('rules', `${path}.rules`)), null);
    }
    ingress.tls = Array.isArray(spec.tls) ? spec.tls : [];
    this.services.svc(key).ingress = ingress;
    this.ingresses.push(key);
    replaceKey(
      spec,
      'ingressClassName',
      this.markers.block(stringBlock('ingressClassName', `${path}.className`)),
      null,
    );
    replaceKey(spec, 'tls', this.markers.block(yamlBlock('tls', `${path}.tls`)), null);
    return `${path}.enabled`;
  }

  /**
   * The first HTTPRoute of a service lifts its hostnames and parentRefs (the Gateway); every route of the service
   * is wrapped in `route.enabled`.
   */
  liftRoute(o: J & KubeObject): string | undefined {
    const key = this.services.keyFor(o.metadata.labels?.[LABEL_NAME]);
    const spec = asObj(o.spec);
    if (!key || !spec) return undefined;
    const path = `.Values.${key}.route`;
    if (this.services.svc(key).route !== undefined) return `${path}.enabled`;
    this.services.svc(key).route = {
      enabled: true,
      hostnames: Array.isArray(spec.hostnames) ? spec.hostnames : [],
      parentRefs: Array.isArray(spec.parentRefs) ? spec.parentRefs : [],
    };
    this.routes.push(key);
    replaceKey(spec, 'parentRefs', this.markers.block(yamlBlock('parentRefs', `${path}.parentRefs`)), null);
    const hostnames = this.markers.block(yamlBlock('hostnames', `${path}.hostnames`));
    if ('hostnames' in spec) replaceKey(spec, 'hostnames', hostnames, null);
    else spec[hostnames] = null;
    return `${path}.enabled`;
  }
}
