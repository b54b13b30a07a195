/**
 * Labels that carried behaviour for a Docker-bound helper (intent/docker-labels.ts reads them) get their own
 * report entries, so they never pass silently as pod annotations: each Traefik router says which Ingress
 * rules (or HTTPRoutes, with --ingress gateway) it became or why none; each ofelia job says why it is not a CronJob and which schedule it would get;
 * Traefik labels that configure something else (middlewares, TLS resolvers...) are listed as not carried.
 */
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import { routesOf } from '../plan/ports.js';
import { cronSchedule, ofeliaJobs, traefikRouters } from '../intent/docker-labels.js';
import { dockerHelpers } from '../plan/docker-helpers.js';
import { httpRoutesOf } from '../objects/httproute.js';
import { gatewayLabel } from '../intent/options.js';

/** Traefik labels the router entries account for. */
const ROUTER_PARTS =
  /^traefik\.(enable|http\.routers\.[^.]+\.(rule|entrypoints|service|tls)|http\.services\.[^.]+\.loadbalancer\.server\.port)$/;

export function reportDockerLabels(ctx: ConvertContext, plans: PodPlan[]): void {
  const helpers = dockerHelpers(ctx);
  const traefikDropped = [...helpers.values()].some((h) => h.kind === 'proxy');
  for (const plan of plans)
    for (const svc of plan.services) {
      const routed = routesOf(ctx, svc.name).length > 0;
      // With --ingress gateway the rules are HTTPRoutes of the pod (`<svc>`, `<svc>-2`...).
      const gateway = ctx.options.ingress === 'gateway' ? ctx.options.gateway : undefined;
      const refs = gateway
        ? httpRoutesOf(ctx, plan.main.name).map((n) => `HTTPRoute/${n}`)
        : ctx.find('Ingress', ctx.serviceName(plan.main))
          ? [`Ingress/${ctx.serviceName(plan.main)}`]
          : [];
      const ref = refs.join(', ');
      const ingress = refs.length > 0;
      for (const r of traefikRouters(svc)) {
        const path = `labels.${r.label}`;
        if (!r.rules) {
          ctx.outcome(svc.name, path, 'traefik.rule-no-ingress', { router: r.router, why: r.why ?? '' });
          continue;
        }
        if (!routed || !ingress) {
          const why = `${svc.name} has no TCP port in \`ports\` for the ${gateway ? 'HTTPRoute' : 'Ingress'} to route to`;
          ctx.outcome(svc.name, path, 'traefik.rule-no-ingress', { router: r.router, why });
          continue;
        }
        const where = r.rules.map((x) => `${x.host ?? '<any host>'}${x.path ?? '/'}`).join(', ');
        ctx.outcome(
          svc.name,
          path,
          gateway
            ? r.tls
              ? 'traefik.router-route-tls'
              : 'traefik.router-route'
            : r.tls
              ? 'traefik.router-ingress-tls'
              : 'traefik.router-ingress',
          { router: r.router, where, ref, gateway: gateway ? gatewayLabel(gateway) : '' },
          { objects: refs },
        );
      }
      if (traefikDropped || traefikRouters(svc).length)
        for (const label of Object.keys(svc.labels).sort())
          if (label.startsWith('traefik.') && !ROUTER_PARTS.test(label))
            ctx.outcome(svc.name, `labels.${label}`, 'traefik.label-not-carried', { label });
      for (const job of ofeliaJobs(svc)) reportJob(ctx, svc.name, job);
    }
  // The dropped ofelia helper's own job-run labels.
  for (const h of helpers.values()) for (const job of ofeliaJobs(h.service)) reportJob(ctx, h.service.name, job);
}

function reportJob(ctx: ConvertContext, service: string, job: ReturnType<typeof ofeliaJobs>[number]): void {
  const s = job.schedule === undefined ? { why: 'it has no schedule' } : cronSchedule(job.schedule);
  ctx.outcome(service, `labels.${job.label}`, 'ofelia.job-not-converted', {
    type: job.type,
    job: job.name,
    command: job.command ?? '(none)',
    schedule: 'cron' in s ? `schedule "${s.cron}"` : `a schedule of your own (${s.why})`,
    note:
      job.type === 'job-exec'
        ? '; a job-exec ran inside the running container, so give the CronJob the volumes and environment it needs'
        : '',
    target: job.type === 'job-exec' ? `the image of ${service}` : job.image ? `image ${job.image}` : 'its image',
  });
}
