/**
 * Healthchecks that call the service by its own name (probes.ts takes the test from here): in compose the name
 * reaches the container itself; converted it goes through the Service, which only routes to ready pods.
 */
import type { Service } from '../../model/types.js';
import { addHostAlias, type PodPlan } from '../plan/pod.js';
import type { ConvertContext } from '../context.js';
import { selfNames } from '../network/reach.js';
import { findHostReferences, replaceHosts, type HostRef } from '../network/hostrefs.js';
import { isDns1123Label } from '../../kube/naming.js';

/** A MongoDB replica set initiated by a check: the shell helper or the admin command. */
const REPLICA_SET_INIT = /\brs\.initiate\s*\(|\breplSetInitiate\b/;

/**
 * A healthcheck that calls the service by its own name (`curl http://elasticsearch:9200/...`,
 * `nc -z rocketchat 3000`) reaches the container itself in compose; converted it goes through the Service,
 * which only routes to ready pods, so it could never pass. Those names become `localhost` (issue 14). The pod's
 * own hostname (spec.hostname, from `hostname:`) resolves to the pod IP inside it and is kept. A script the
 * check runs from a mounted file that names the service cannot be rewritten: reported.
 * A check that initiates a MongoDB replica set (`rs.initiate({... members: [{host: 'mongodb:27017'}]})`) names the
 * member the set then hands to its clients, which could not reach `localhost`: the member becomes the pod's Service
 * name, which peers resolve, and the pod resolves that name to itself (hostAliases 127.0.0.1), as mongod requires of
 * the member it initiates with, while the pod is not ready yet.
 */
export function selfNamedTest(ctx: ConvertContext, svc: Service, plan: PodPlan, test: string[]): string[] {
  const own = svc === plan.main && svc.hostname && isDns1123Label(svc.hostname) ? svc.hostname.toLowerCase() : '';
  const names = new Set(selfNames(svc).filter((n) => n !== own));
  if (names.size === 0 || (test[0] !== 'CMD' && test[0] !== 'CMD-SHELL')) return test;
  const isSelf = (h: string): boolean => names.has(h);
  const found: string[] = [];
  const byWord = hostsByWord(test.slice(1), isSelf);
  const member = svc === plan.main && REPLICA_SET_INIT.test(test.slice(1).join(' ')) ? ctx.serviceName(svc) : undefined;
  const out = test.map((w, i) => {
    const refs = i === 0 ? [] : byWord[i - 1]!;
    for (const r of refs) if (!found.includes(r.host)) found.push(r.host);
    return refs.length ? replaceHosts(w, refs, member ?? 'localhost') : w;
  });
  if (found.length && member) {
    addHostAlias(plan.spec, '127.0.0.1', member);
    ctx.downgrade(svc.name, 'healthcheck.test', 'healthcheck.self-named-member', { names: found.join(', '), member });
    return out;
  }
  if (found.length) {
    ctx.downgrade(svc.name, 'healthcheck.test', 'healthcheck.self-named', { names: found.join(', ') });
    return out;
  }
  const scripts = scriptMentions(ctx, svc, test, isSelf);
  if (scripts.length)
    ctx.downgrade(svc.name, 'healthcheck.test', 'healthcheck.self-named-kept', {
      where: scripts.join('; '),
      name: svc.name,
    });
  return test;
}

/**
 * The host references in each word of a command (`[vault, status, -address=http://vault:8200]`), read as one
 * command line so a word is a host only where the line puts one (a URL, `host:port`, after `-h`/`--host`, `nc`...):
 * a word alone is not (`[imgproxy, health]` calls the program imgproxy, not a host), and the program (the first
 * word of the line) never is. Offsets are relative to their word.
 */
function hostsByWord(words: readonly string[], isName: (h: string) => boolean): HostRef[][] {
  const line = words.join(' ');
  const program = /^\S*/.exec(line)![0].length;
  const refs = findHostReferences(line, isName, 'words').filter((r) => r.offset >= program);
  let start = 0;
  return words.map((w) => {
    const end = start + w.length;
    const mine = refs.filter((r) => r.offset >= start && r.offset + r.length <= end);
    const shifted = mine.map((r) => ({ ...r, offset: r.offset - start }));
    start = end + 1;
    return shifted;
  });
}

/** Files mounted into the container that the check runs and that name the service itself. */
function scriptMentions(ctx: ConvertContext, svc: Service, test: string[], isSelf: (h: string) => boolean): string[] {
  const words = test.slice(1).flatMap((w) => w.split(/\s+/));
  const out: string[] = [];
  const check = (target: string | undefined, file: string | undefined, content?: string): void => {
    if (!target || !words.includes(target)) return;
    const text = content ?? (file ? ctx.fs?.readFile(file) : undefined);
    if (text === undefined) return;
    const refs = findHostReferences(text, isSelf, 'words');
    if (refs.length) out.push(`${target} names ${refs[0]!.host}`);
  };
  for (const v of svc.volumes) if (v.type === 'bind') check(v.target, v.source);
  for (const r of svc.configs) {
    const cfg = ctx.project.configs[r.source];
    check(r.target ?? `/${r.source}`, cfg?.file, cfg?.content);
  }
  return out;
}
