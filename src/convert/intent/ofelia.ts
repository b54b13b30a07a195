/**
 * ofelia jobs declared in Docker labels (`ofelia.job-exec.<job>.schedule|command`,
 * `ofelia.job-run.<job>.schedule|image|command`), read for objects/cronjobs.ts. ofelia schedules are robfig/cron
 * specs with a seconds field, or `@every <duration>`; `cronSchedule` maps the ones a Kubernetes CronJob can express
 * (minute granularity).
 */
import type { Service } from '../../model/types.js';

export interface OfeliaJob {
  type: 'job-exec' | 'job-run' | 'job-local' | 'job-service-run';
  name: string;
  schedule?: string;
  command?: string;
  image?: string;
  /** `container`: the container a job-exec on the ofelia service itself runs in. */
  container?: string;
  /** `no-overlap=true`: a run is skipped while the previous one still runs. */
  noOverlap?: boolean;
  user?: string;
  /** The label the job is reported at (its schedule, else its first label). */
  label: string;
}

const OFELIA = /^ofelia\.(job-exec|job-run|job-local|job-service-run)\.([^.]+)\.(.+)$/;

/** ofelia jobs declared in a service's labels. */
export function ofeliaJobs(svc: Service): OfeliaJob[] {
  const jobs = new Map<string, OfeliaJob>();
  for (const label of Object.keys(svc.labels).sort()) {
    const m = OFELIA.exec(label);
    if (!m) continue;
    const type = m[1] as OfeliaJob['type'];
    const id = `${type}.${m[2]}`;
    const job = jobs.get(id) ?? { type, name: m[2]!, label };
    const v = String(svc.labels[label]);
    if (m[3] === 'schedule') {
      job.schedule = v;
      job.label = label;
    } else if (m[3] === 'command') job.command = v;
    else if (m[3] === 'image') job.image = v;
    else if (m[3] === 'container') job.container = v;
    else if (m[3] === 'user') job.user = v;
    else if (m[3] === 'no-overlap') job.noOverlap = /^true$/i.test(v);
    jobs.set(id, job);
  }
  return [...jobs.values()];
}

const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '@yearly',
  '@annually': '@yearly',
  '@monthly': '@monthly',
  '@weekly': '@weekly',
  '@daily': '@daily',
  '@midnight': '@daily',
  '@hourly': '@hourly',
};

/** An ofelia (robfig/cron with seconds) schedule as a Kubernetes CronJob schedule, or why it has none. */
export function cronSchedule(spec: string): { cron: string } | { why: string } {
  const s = spec.trim();
  if (DESCRIPTORS[s]) return { cron: DESCRIPTORS[s] };
  const every = /^@every\s+(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(s);
  if (every && (every[1] || every[2] || every[3])) {
    const sec = Number(every[1] ?? 0) * 3600 + Number(every[2] ?? 0) * 60 + Number(every[3] ?? 0);
    if (sec % 60)
      return { why: `@every ${sec}s is not a whole number of minutes (CronJobs run at most once a minute)` };
    const min = sec / 60;
    if (min === 1) return { cron: '* * * * *' };
    if (min < 60 && 60 % min === 0) return { cron: `*/${min} * * * *` };
    if (min % 60 === 0 && 24 % (min / 60) === 0) return { cron: min === 1440 ? '0 0 * * *' : `0 */${min / 60} * * *` };
    return { why: `every ${min} minutes does not divide an hour or a day evenly, so no cron expression repeats it` };
  }
  if (s.startsWith('@')) return { why: `${s} is not a schedule a CronJob knows` };
  const fields = s.split(/\s+/).map((f) => (f === '?' ? '*' : f));
  if (fields.length === 5) return { cron: fields.join(' ') };
  if (fields.length === 6) {
    if (fields[0] === '0') return { cron: fields.slice(1).join(' ') };
    return { why: `the seconds field ${fields[0]} cannot be kept: CronJobs start on whole minutes` };
  }
  return { why: `${s} has ${fields.length} fields (expected 6, with seconds, or 5)` };
}
