/**
 * Every image a chart's pods run is a value (for HelmLifter): a compose service's container reads `<service>.image`;
 * another container running a service's image follows that service's values; the init containers the converter adds
 * read `helperImages.<key>`; and every pod gets the values' `imagePullSecrets` after its own, so a private registry or
 * a mirror is set in values alone.
 */
import { HELPER_IMAGES } from '../../kube/images.js';
import { permsHelperOf } from '../../kube/naming.js';
import { pad, replaceKey, type Markers } from './markers.js';
import { splitImage } from './values.js';
import { mapsIn as asList } from '../../util/object.js';

type J = Record<string, unknown>;

/** Top-level values key of the pull Secrets every pod gets. */
export const PULL_SECRETS_KEY = 'imagePullSecrets';
/** Top-level values key of the images of the init containers the converter adds (HELPER_IMAGES). */
export const HELPER_IMAGES_KEY = 'helperImages';

/** What PodImages needs of the lifter: the compose services' values keys and values. */
export interface ImageServices {
  /** Values key of the compose service a DNS name (a container's name) stands for. */
  keyFor(dns: unknown): string | undefined;
  /** The values of service `key` (made on first use). */
  svc(key: string): J;
}

export class PodImages {
  /** Which services' containers run each image (another container of that image follows their image values). */
  private readonly users = new Map<string, Set<string>>();
  /** The images of the converter's init containers, by their HELPER_IMAGES key. */
  private readonly helpers: J = {};
  /** Whether a pod reads the values' imagePullSecrets. */
  private pullSecrets = false;

  constructor(
    private readonly markers: Markers,
    private readonly chart: string,
    private readonly services: ImageServices,
  ) {}

  /** The containers of a pod (of any version of the objects): the services that run each image. */
  scan(containers: readonly J[]): void {
    for (const c of containers) {
      const who = this.services.keyFor(c.name);
      if (!who || typeof c.image !== 'string') continue;
      this.users.set(c.image, (this.users.get(c.image) ?? new Set<string>()).add(who));
    }
  }

  /** The image of service `key`, from its values. */
  imageOf(key: string): string {
    return this.markers.scalar(`{{ include "${this.chart}.image" .Values.${key}.image | quote }}`);
  }

  /** The pod of an object whose service (if any) is `owner`: its images and pull Secrets. */
  lift(pod: J, owner: string | undefined): void {
    this.liftImageUsers(pod, owner);
    this.liftPullSecrets(pod);
  }

  /** The top-level values of the images: imagePullSecrets, helperImages. */
  addValues(tree: J): void {
    if (this.pullSecrets) tree[PULL_SECRETS_KEY] = [];
    const keys = Object.keys(this.helpers).sort();
    if (keys.length) tree[HELPER_IMAGES_KEY] = Object.fromEntries(keys.map((k) => [k, this.helpers[k]]));
  }

  /**
   * Containers that run a service's image without being its container — the seed init containers of its claims and
   * writable copies (storage/seed.ts), a job-exec CronJob's (objects/cronjobs.ts), an x-k8s init container of that
   * image — follow its image values, so a mirror or a new tag set at install moves them with the app. In a service's
   * pod, the image of a service the pod runs (its own first): another service's image there is a coincidence (the
   * busybox of wait-for init containers, which a `busybox:1.36` service would otherwise drag along; a job-exec
   * CronJob is its target service's by its label); in a pod of no service (a job-run CronJob's), the one service whose
   * container runs that image, if only one does. A permission helper's init container runs the helper service's image
   * (its values, though the helper has no pod of its own); the converter's own init containers (wait-for) take
   * `helperImages.<key>`: an air-gapped cluster points every image at its mirror.
   */
  private liftImageUsers(pod: J, owner: string | undefined): void {
    const runs = asList(pod.containers).map((c) => this.services.keyFor(c.name));
    const inits = asList(pod.initContainers);
    for (const c of [...inits, ...asList(pod.containers)]) {
      if (typeof c.image !== 'string' || this.markers.holds(c.image)) continue;
      const helper = this.services.keyFor(permsHelperOf(String(c.name)));
      if (helper && inits.includes(c)) {
        this.services.svc(helper).image ??= splitImage(c.image);
        c.image = this.imageOf(helper);
        continue;
      }
      const users = this.users.get(c.image);
      const key = !owner
        ? users?.size === 1
          ? [...users][0]
          : undefined
        : users?.has(owner)
          ? owner
          : runs.find((k) => k !== undefined && users?.has(k));
      if (key) c.image = this.imageOf(key);
      else if (inits.includes(c)) this.liftHelperImage(c);
    }
  }

  /** An init container the converter adds (wait-for): its image from `helperImages.<key>`. */
  private liftHelperImage(c: J): void {
    const image = String(c.image);
    const key = Object.keys(HELPER_IMAGES).find((k) => HELPER_IMAGES[k] === image);
    if (!key) return;
    this.helpers[key] ??= splitImage(image);
    c.image = this.markers.scalar(`{{ include "${this.chart}.image" .Values.${HELPER_IMAGES_KEY}.${key} | quote }}`);
  }

  /**
   * Pull Secrets of every pod: its own (x-k8s imagePullSecrets), then those of the values' `imagePullSecrets`, which
   * a private registry or mirror of the images needs on every pod.
   */
  private liftPullSecrets(pod: J): void {
    const own = Array.isArray(pod.imagePullSecrets) ? pod.imagePullSecrets : [];
    // Secret names are DNS names: nothing in them a template would evaluate.
    const mine = own.length ? `(fromJsonArray ${JSON.stringify(JSON.stringify(own))})` : '(list)';
    const block = (n: number): string =>
      [
        `{{- with concat ${mine} ($.Values.${PULL_SECRETS_KEY} | default list) }}`,
        `${pad(n)}imagePullSecrets:`,
        `${pad(n + 2)}{{- toYaml . | nindent ${n + 2} }}`,
        `{{- end }}`,
      ].join('\n');
    replaceKey(pod, 'imagePullSecrets', this.markers.block(block), null);
    this.pullSecrets = true;
  }
}
