/**
 * The project Secret of shared credentials (plan/credentials.ts): one key per secret-looking variable that
 * several services' values were interpolated from, or per secret value several services hold, and one report
 * entry per key naming its users and where the real value is. `--secrets embed` puts the values in, `external` emits nothing (the user creates the Secret).
 */
import type { Secret } from 'kubernetes-types/core/v1.js';
import type { ConvertContext } from '../context.js';
import type { KubeObject } from '../../kube/object.js';
import { sharedCredentials, dotenvLine } from '../plan/credentials.js';
import { effectiveOptions } from '../intent/overrides.js';
import { kindRef, placeholder } from '../storage/files.js';

export function buildSharedCredentials(ctx: ConvertContext): void {
  const { secret, keys } = sharedCredentials(ctx);
  if (!keys.size) return;
  const mode = effectiveOptions(ctx).secrets;
  const ref = kindRef('Secret', secret);
  if (mode !== 'external') {
    const obj: Secret & KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: ctx.meta(secret, ctx.projectLabels()),
      type: 'Opaque',
      stringData: Object.fromEntries(
        [...keys.values()].map((k) => [k.name, mode === 'embed' || k.value === '' ? k.value : placeholder(k.name)]),
      ),
    };
    ctx.emit(obj);
  }
  const literals = [...keys.keys()].map((k) => `--from-literal=${k}=...`).join(' ');
  for (const k of keys.values()) {
    if (k.literal) {
      ctx.outcome(
        undefined,
        `shared-values.${k.name}`,
        mode === 'embed'
          ? 'top.shared-values.shared-embedded'
          : mode === 'external'
            ? 'top.shared-values.shared-external'
            : k.value === ''
              ? 'top.shared-values.shared-empty'
              : 'top.shared-values.shared',
        { name: k.name, services: k.services.join(', '), vars: k.literal.join(', '), secret, literals },
        { objects: [ref] },
      );
      continue;
    }
    const place = dotenvLine(ctx, k.name);
    const pos = place ? { file: `${ctx.project.workingDir}/.env`, line: Number(place.slice(5)), col: 1 } : undefined;
    ctx.outcome(
      undefined,
      `interpolation.${k.name}`,
      mode === 'embed'
        ? 'top.interpolation.shared-embedded'
        : mode === 'external'
          ? 'top.interpolation.shared-external'
          : k.value === ''
            ? 'top.interpolation.shared-empty'
            : 'top.interpolation.shared',
      {
        name: k.name,
        services: k.services.join(', '),
        secret,
        place: place ?? 'the environment compose2k8s ran in',
        literals,
      },
      { objects: [ref], pos },
    );
  }
}
