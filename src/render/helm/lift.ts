/**
 * Lifts the values a Helm user typically changes out of converted objects and into `values.yaml`,
 * leaving markers (see markers.ts) where the templates read them back:
 *
 *   <service>.image {repository, tag, digest?}   every container that is a compose service
 *                                                and every other running its image (seeds, job-exec CronJobs,
 *                                                a permission helper's init containers)
 *   <service>.replicas                           Deployment / StatefulSet
 *   <service>.resources                          the service's container
 *   <service>.env                                data of the ConfigMap only it reads with envFrom
 *   <service>.secretEnv {existingSecret, values}  the Secret only it reads with envFrom (see below)
 *   <service>.persistence.<claim> {size, storageClass}   claims only its pod mounts (and claim templates)
 *   <service>.ingress {enabled, className, host, tls}   (rules instead of host when it has several)
 *   <service>.route {enabled, hostnames, parentRefs}   HTTPRoutes (--ingress gateway)
 *   secrets.<secret>, persistence.<claim>        the same for project-wide Secrets and shared claims
 *   helperImages.<key>                           the converter's own init containers (HELPER_IMAGES: wait-for)
 *   imagePullSecrets                             added to every pod's (a private registry or mirror)
 * (images and pull Secrets: pod-images.ts; Ingress and HTTPRoute values: routes.ts; Secrets: secret-lift.ts)
 *
 * With environments (`--overlay`), a field they set differently that none of the above holds is lifted as well
 * (a LiftPlan, computed in plan.ts): <service>.containers.<container>.<field>, <service>.pod.<field>,
 * <service>.<object>.<field> (e.g. service.ports), extra.<object>.<field> for objects no service owns.
 *
 * With default values the templates render exactly the objects given, plus Helm's labels and the
 * release namespace. Everything not lifted stays literal.
 *
 * Secrets never put a secret value into values.yaml: `values.<KEY>` is empty for a placeholder (the template
 * falls back to the placeholder), and `existingSecret: NAME` makes the chart create no Secret and point every pod
 * reference (envFrom, env valueFrom, volumes) at NAME. Only values the conversion embedded (`--secrets embed`)
 * are written to values.yaml.
 */
import type { KubeObject } from '../../kube/object.js';
import { LABEL_MANAGED_BY, LABEL_NAME, MANAGED_BY, selectorArg, selectorLabels } from '../../kube/object.js';
import { dns1123Label } from '../../kube/naming.js';
import { jobTtlSeconds, podTemplateOf, podVolumeRefs } from '../../kube/workloads.js';
import { HELPER_IMAGES_KEY, PodImages, PULL_SECRETS_KEY } from './pod-images.js';
import { RouteValues } from './routes.js';
import { mapBlock, Markers, presentBlock, replaceKey, stringBlock, yamlBlock } from './markers.js';
import { KeyRegistry, splitImage, valuesKey } from './values.js';
import { renderYaml } from '../yaml.js';
import { secretRefBlock, type SecretKeys, type SecretValues } from './secret-refs.js';
import { SecretLifter } from './secret-lift.js';
import { hashJobName } from './jobs.js';
import { PodConfigs } from './pod-configs.js';
import { isMap as isObj, asMap as asObj, mapsIn as asList } from '../../util/object.js';

type J = Record<string, unknown>;

/** Kinds without a namespace. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'StorageClass',
  'CustomResourceDefinition',
  'PriorityClass',
  'IngressClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
]);
/** Top-level values keys that are not services. `global` is Helm's. */
export const RESERVED_KEYS = [
  'global',
  PULL_SECRETS_KEY,
  HELPER_IMAGES_KEY,
  'secrets',
  'persistence',
  'objects',
  'extra',
];
/** Top-level values key of the lifted fields of objects no service owns. */
export const EXTRA_KEY = 'extra';
/** Order of a service's values. */
export const SERVICE_KEY_ORDER = [
  'image',
  'replicas',
  'resources',
  'env',
  'secretEnv',
  'persistence',
  'ingress',
  'route',
];

export function podTemplate(o: KubeObject): J | undefined {
  return o.kind === 'Pod' ? undefined : asObj(podTemplateOf(o));
}

export interface LiftResult {
  /** Template text of the object, or undefined when the chart leaves it out (Namespace). */
  template: string | undefined;
  /**
   * The template as data: the condition it is wrapped in and the lifted object with each marker as the template
   * text it stands for (see Markers.resolve). Equal shapes render the same objects whatever their key order.
   */
  shape?: { wrap: string | null; object: unknown };
}

/** A list item found by its `name` (containers), not by its index, which differs between environments. */
export interface Named {
  name: string;
}

/**
 * A field that environments set differently and the chart reads from values: `at` is its place in the object
 * (map keys, or `{name}` for a named list item), `values` its path below `.Values`.
 */
export interface LiftPoint {
  at: Array<string | Named>;
  values: string[];
  /** For env, envFrom and volumes: the Secrets the field's versions refer to (see SECRET_REF_FIELDS). */
  secretNames?: string[];
}

/** Per object (`Kind/name`), the fields to lift beyond the usual values. */
export type LiftPlan = ReadonlyMap<string, readonly LiftPoint[]>;

/** The child of a map by key, or of a list by item name. */
export function childAt(node: unknown, seg: string | Named): unknown {
  if (typeof seg === 'string') return isObj(node) ? node[seg] : undefined;
  return Array.isArray(node) ? node.find((x) => isObj(x) && x.name === seg.name) : undefined;
}

/** Lift points taken before the pod's own lifting: fields with Secret references, a pod's init container list. */
const liftsFirst = (p: LiftPoint): boolean => p.secretNames !== undefined || p.at[p.at.length - 1] === 'initContainers';

export class HelmLifter {
  /** Values per service key, and the project-wide maps. */
  readonly services = new Map<string, J>();
  readonly persistence: J = {};
  /** Claim templates of StatefulSets, by service key: their size and class cannot change after the install. */
  readonly claimTemplates = new Map<string, Array<{ key: string; pvc: string }>>();
  /** Jobs of the chart, named after their spec's hash (jobs.ts; NOTES.txt tells how to run one again). */
  readonly jobs: Array<{ name: string; selector: string; ttlSeconds?: number }> = [];
  /** The named templates of the Jobs' specs and names (templates/_jobs.tpl). */
  readonly jobTemplates: string[] = [];
  /** Whether a Namespace object was left out (Helm creates namespaces with --create-namespace). */
  droppedNamespace = false;

  private readonly keyByDns = new Map<string, string>();
  private readonly composeByKey = new Map<string, string>();
  private readonly envUsers = new Map<string, Set<string>>();
  private readonly claimUsers = new Map<string, Set<string>>();
  /** The Secrets whose data are values, and the references to them. */
  private readonly secretLift: SecretLifter;
  private readonly markers: Markers;
  /** Every image of the pods as values. */
  private readonly images: PodImages;
  /** Ingresses' and HTTPRoutes' values, and the NetworkPolicies that follow them. */
  private readonly routeValues: RouteValues;
  /** Lifted fields of objects no service owns: `extra.<object>.<field>`. */
  private readonly extra: J = {};
  /** What the pods read from the chart's ConfigMaps and Secrets (checksum annotations, Jobs' name hashes). */
  private readonly podConfigs: PodConfigs;

  constructor(
    private readonly objects: KubeObject[],
    /** Compose service names: values keys are made from them. */
    serviceNames: Iterable<string>,
    private readonly chart: string,
    /** Fields environments set differently, lifted into values too. */
    private readonly plan: LiftPlan = new Map(),
    /** Per Secret name, the keys its versions in all environments have. */
    secretKeys: ReadonlyMap<string, SecretKeys> = new Map(),
    /**
     * Every version of the objects (with environments), to look at once so that every environment's chart puts
     * the same things at the same values paths: which services read each ConfigMap / Secret and mount each claim,
     * which Ingresses have one rule.
     */
    usersFrom?: Iterable<KubeObject>,
  ) {
    this.markers = new Markers(JSON.stringify(objects));
    this.images = new PodImages(this.markers, chart, {
      keyFor: (dns) => this.keyFor(dns),
      svc: (key) => this.svc(key),
    });
    this.secretLift = new SecretLifter(this.markers, secretKeys, {
      svc: (key) => this.svc(key),
      soleEnvUser: (ref) => this.soleUser(this.envUsers, ref),
    });
    this.routeValues = new RouteValues(this.markers, {
      keyFor: (dns) => this.keyFor(dns),
      svc: (key) => this.svc(key),
    });
    const reg = new KeyRegistry(RESERVED_KEYS);
    // Names that are identifiers already keep them; converted names (camelCase) come second.
    const names = [...new Set(serviceNames)].sort();
    const ident = (n: string): boolean => valuesKey(n) === n;
    for (const name of [...names.filter(ident), ...names.filter((n) => !ident(n))]) {
      const dns = dns1123Label(name);
      if (this.keyByDns.has(dns)) continue;
      const key = reg.get(name);
      this.keyByDns.set(dns, key);
      this.composeByKey.set(key, name);
    }
    for (const o of usersFrom ?? objects) this.scanUsers(o);
    this.podConfigs = new PodConfigs(objects, usersFrom ?? objects);
    this.secretLift.plan(objects);
  }

  /** The Secrets whose data are values (secretEnv, secrets.<key>), in lifting order. */
  get secretValues(): readonly SecretValues[] {
    return this.secretLift.values;
  }

  /** Ingress values keys of services, for NOTES.txt. */
  get ingresses(): readonly string[] {
    return this.routeValues.ingresses;
  }

  /** HTTPRoute values keys of services, for NOTES.txt. */
  get routes(): readonly string[] {
    return this.routeValues.routes;
  }

  /** Values key of the compose service a DNS name (container name, `app.kubernetes.io/name`) stands for. */
  keyFor(dnsName: unknown): string | undefined {
    return typeof dnsName === 'string' ? this.keyByDns.get(dnsName) : undefined;
  }

  composeName(key: string): string {
    return this.composeByKey.get(key) ?? key;
  }

  private svc(key: string): J {
    let v = this.services.get(key);
    if (!v) this.services.set(key, (v = {}));
    return v;
  }

  /** Which services read each ConfigMap/Secret with envFrom, and mount each claim. */
  private scanUsers(o: KubeObject): void {
    // An Ingress with one rule in every version has its host as a value; with several, its rules are one field.
    if (o.kind === 'Ingress') this.routeValues.scan(o);
    const spec = asObj(podTemplate(o)?.spec);
    if (!spec) return;
    const owner = this.keyFor(o.metadata.labels?.[LABEL_NAME]);
    const add = (m: Map<string, Set<string>>, name: unknown, who: string | undefined): void => {
      if (typeof name !== 'string') return;
      const set = m.get(name) ?? new Set<string>();
      set.add(who ?? '\0');
      m.set(name, set);
    };
    this.images.scan(asList(spec.containers));
    for (const c of [...asList(spec.containers), ...asList(spec.initContainers)]) {
      const who = this.keyFor(c.name);
      for (const e of asList(c.envFrom)) {
        const cm = asObj(e.configMapRef)?.name;
        const secret = asObj(e.secretRef)?.name;
        if (typeof cm === 'string') add(this.envUsers, `ConfigMap/${cm}`, who);
        if (typeof secret === 'string') add(this.envUsers, `Secret/${secret}`, who);
      }
    }
    for (const v of asList(spec.volumes)) add(this.claimUsers, asObj(v.persistentVolumeClaim)?.claimName, owner);
    for (const r of podVolumeRefs(o))
      if (r.startsWith('Secret/')) this.secretLift.mounted.add(r.slice('Secret/'.length));
  }

  private soleUser(m: Map<string, Set<string>>, name: string): string | undefined {
    const users = m.get(name);
    if (!users || users.size !== 1) return undefined;
    const [only] = users;
    return only === '\0' ? undefined : only;
  }

  /** The template text for one object (a deep copy is modified, never `obj`). */
  lift(obj: KubeObject): LiftResult {
    if (obj.kind === 'Namespace') {
      this.droppedNamespace = true;
      return { template: undefined };
    }
    if (obj.kind === 'Job') {
      const ttlSeconds = jobTtlSeconds(obj);
      this.jobs.push({
        name: obj.metadata.name,
        selector: selectorArg(selectorLabels(obj.metadata.labels)),
        ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
      });
    }
    const o = structuredClone(obj) as unknown as J & KubeObject;
    const meta = o.metadata as unknown as J;
    if (!CLUSTER_SCOPED.has(o.kind)) meta.namespace = this.markers.scalar('{{ .Release.Namespace | quote }}');
    this.labels(meta);
    const points = this.plan.get(`${obj.kind}/${obj.metadata.name}`) ?? [];
    // Fields holding Secret references are lifted before those references become markers, init container lists
    // before their images do (see liftsFirst).
    for (const p of points) if (liftsFirst(p)) this.liftPoint(o, p);
    const tpl = podTemplate(o);
    if (tpl) this.liftPod(o, tpl);
    let wrap: string | undefined;
    switch (o.kind) {
      case 'ConfigMap':
        this.liftData(o);
        break;
      case 'Secret':
        wrap = this.secretLift.lift(o);
        break;
      case 'PersistentVolumeClaim': {
        const user = this.soleUser(this.claimUsers, o.metadata.name);
        const where = user ? ((this.svc(user).persistence ??= {}) as J) : this.persistence;
        const base = user ? `.Values.${user}.persistence` : '.Values.persistence';
        this.liftClaim(o, where, base, new KeyRegistry(Object.keys(where)).get(o.metadata.name));
        break;
      }
      case 'Ingress':
        wrap = this.routeValues.liftIngress(o);
        break;
      case 'HTTPRoute':
        wrap = this.routeValues.liftRoute(o);
        break;
      case 'NetworkPolicy':
        wrap = this.routeValues.fromIngressWrap(obj);
        break;
      case 'RoleBinding':
        for (const s of asList(o.subjects))
          if (s.kind === 'ServiceAccount') s.namespace = this.markers.scalar('{{ .Release.Namespace | quote }}');
        break;
    }
    for (const p of points) if (!liftsFirst(p)) this.liftPoint(o, p);
    // Shapes leave the checksums out: every version's are the same (all versions' references), and pod
    // annotations that environments set differently must stay a field they can lift (then it holds no checksum).
    const shape = { wrap: wrap ?? null, object: this.markers.resolve(o) };
    const podAnnotationsLifted = points.some((p) => p.at.length > 2 && p.at[p.at.length - 1] === 'annotations');
    // From the original's references: some of the copy's are markers by now.
    if (tpl && o.kind !== 'Job' && !podAnnotationsLifted)
      this.podConfigs.checksums(obj, (tpl.metadata ??= {}) as J, this.markers);
    if (o.kind === 'Job')
      this.jobTemplates.push(hashJobName(o, obj.metadata.name, this.podConfigs.files(obj), this.markers, this.chart));
    const text = this.markers.apply(renderYaml([o]));
    return { template: wrap ? `{{- if ${wrap} }}\n${text}{{- end }}\n` : text, shape };
  }

  /**
   * One planned field: its value (when the object has it) goes to values, and the template prints it when the
   * values hold one. The maps above it are created in values even without a value, so the template can look.
   */
  private liftPoint(o: J, p: LiftPoint): void {
    let parent: unknown = o;
    for (const seg of p.at.slice(0, -1)) parent = childAt(parent, seg);
    const field = p.at[p.at.length - 1];
    if (!isObj(parent) || typeof field !== 'string' || this.markers.holds(parent[field])) return;
    const [head, ...rest] = p.values;
    if (!head || !rest.length) return;
    let where = head === EXTRA_KEY ? this.extra : this.svc(head);
    for (const k of rest.slice(0, -1)) where = isObj(where[k]) ? where[k] : (where[k] = {});
    if (parent[field] !== undefined) where[rest[rest.length - 1]!] = structuredClone(parent[field]);
    const get = `(index $.Values ${p.values.map((k) => JSON.stringify(k)).join(' ')})`;
    // Secret references in the value point at existingSecret when one is given, as everywhere else.
    const names = (p.secretNames ?? []).flatMap((n) => {
      const path = this.secretLift.pathOf(n);
      return path ? [`${JSON.stringify(n)} ($${path}.existingSecret | default ${JSON.stringify(n)})`] : [];
    });
    const block = names.length ? secretRefBlock(field, get, names.join(' ')) : presentBlock(field, get);
    replaceKey(parent, field, this.markers.block(block), null);
  }

  /** Helm's labels replace `managed-by: compose2k8s`; the others stay literal. */
  private labels(meta: J): void {
    const labels = { ...(asObj(meta.labels) ?? {}) };
    if (labels[LABEL_MANAGED_BY] === MANAGED_BY) delete labels[LABEL_MANAGED_BY];
    labels[this.markers.block((n) => `{{- include "${this.chart}.labels" . | nindent ${n} }}`)] = null;
    meta.labels = labels;
  }

  private liftPod(o: J & KubeObject, tpl: J): void {
    const owner = this.keyFor(o.metadata.labels?.[LABEL_NAME]);
    const spec = asObj(o.spec)!;
    if (owner && (o.kind === 'Deployment' || o.kind === 'StatefulSet') && typeof spec.replicas === 'number') {
      this.svc(owner).replicas = spec.replicas;
      spec.replicas = this.markers.scalar(`{{ .Values.${owner}.replicas }}`);
    }
    // A Job's pod template is immutable: labels that change with the chart version would fail upgrades.
    if (o.kind !== 'Job') this.labels((tpl.metadata ??= {}) as J);
    const pod = asObj(tpl.spec);
    this.secretLift.liftRefs(pod);
    for (const c of asList(pod?.containers)) {
      const key = this.keyFor(c.name);
      if (!key || this.svc(key).image !== undefined) continue;
      const v = this.svc(key);
      if (typeof c.image === 'string') {
        v.image = splitImage(c.image);
        c.image = this.images.imageOf(key);
      }
      v.resources = asObj(c.resources) ?? {};
      replaceKey(c, 'resources', this.markers.block(yamlBlock('resources', `.Values.${key}.resources`)), null);
    }
    if (pod) this.images.lift(pod, owner);
    if (o.kind === 'StatefulSet' && owner) {
      const where = (this.svc(owner).persistence ??= {}) as J;
      const reg = new KeyRegistry(Object.keys(where));
      for (const t of asList(spec.volumeClaimTemplates)) {
        const name = asObj(t.metadata)?.name;
        if (typeof name !== 'string') continue;
        const key = reg.get(name);
        this.liftClaim(t, where, `.Values.${owner}.persistence`, key);
        const list = this.claimTemplates.get(owner) ?? [];
        // The claim of each pod: <template>-<StatefulSet>-<ordinal>.
        list.push({ key, pvc: `${name}-${o.metadata.name}-0` });
        this.claimTemplates.set(owner, list);
      }
    }
  }

  /** The env ConfigMap of one service. */
  private liftData(o: J & KubeObject): void {
    const data = asObj(o.data);
    if (!data || Object.values(data).some((v) => typeof v !== 'string')) return;
    const user = this.soleUser(this.envUsers, `ConfigMap/${o.metadata.name}`);
    if (!user || this.svc(user).env !== undefined) return;
    this.svc(user).env = data;
    replaceKey(o, 'data', this.markers.block(mapBlock('data', `.Values.${user}.env`)), null);
  }

  private liftClaim(claim: J, where: J, base: string, key: string): void {
    const spec = asObj(claim.spec);
    const requests = asObj(asObj(spec?.resources)?.requests);
    if (!spec || typeof requests?.storage !== 'string') return;
    const path = `${base}.${key}`;
    where[key] = {
      size: requests.storage,
      storageClass: typeof spec.storageClassName === 'string' ? spec.storageClassName : '',
    };
    requests.storage = this.markers.scalar(`{{ ${path}.size | quote }}`);
    replaceKey(
      spec,
      'storageClassName',
      this.markers.block(stringBlock('storageClassName', `${path}.storageClass`)),
      null,
    );
  }

  /** The values tree: services (in compose-name order of their keys), then project-wide maps. */
  valuesTree(): J {
    const tree: J = {};
    for (const key of [...this.services.keys()].sort()) {
      const v = this.services.get(key)!;
      const ordered: J = {};
      for (const k of SERVICE_KEY_ORDER) if (v[k] !== undefined) ordered[k] = v[k];
      // Fields lifted for environments (containers, pod, per-object fields) come after, by name.
      for (const k of Object.keys(v).sort()) if (!(k in ordered)) ordered[k] = v[k];
      tree[key] = ordered;
    }
    this.images.addValues(tree);
    if (Object.keys(this.extra).length) tree[EXTRA_KEY] = this.extra;
    if (Object.keys(this.secretLift.secrets).length) tree.secrets = this.secretLift.secrets;
    if (Object.keys(this.persistence).length) tree.persistence = this.persistence;
    return tree;
  }
}
