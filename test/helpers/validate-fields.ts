/**
 * Strict unknown-field check. kubernetes-models' schemas accept extra properties, so the field sets are
 * derived from the `kubernetes-types` declarations (generated from the Kubernetes OpenAPI spec) with the
 * TypeScript compiler API: every object key in a manifest must be a property of the declared type. Gateway API
 * kinds (gateway.networking.k8s.io) come from the `I<Kind>` declarations of @kubernetes-models/gateway-api,
 * generated from the Gateway API CRDs.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';

export interface FieldIssue {
  path: string;
  message: string;
}

const require = createRequire(import.meta.url);
const typesDir = dirname(require.resolve('kubernetes-types/package.json'));
const gatewayDir = dirname(require.resolve('@kubernetes-models/gateway-api/package.json'));
const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** API group (the part of apiVersion before `/`) → directory in kubernetes-types. */
function groupDir(group: string): string {
  if (group === '') return 'core';
  return group.replace(/\.k8s\.io$/, '').split('.')[0] ?? group;
}

let program: ts.Program | undefined;
const fileCache = new Map<string, ts.SourceFile | null>();

function getProgram(): ts.Program {
  if (!program) {
    const files = [
      ...ts.sys.readDirectory(typesDir, ['.d.ts']),
      ...ts.sys.readDirectory(join(gatewayDir, GATEWAY_GROUP, 'v1'), ['.d.ts']),
    ];
    program = ts.createProgram(files, {
      noEmit: true,
      lib: ['lib.es5.d.ts'],
      types: [],
      skipLibCheck: true,
      strict: true,
    });
  }
  return program;
}

function sourceFor(apiVersion: string): ts.SourceFile | null {
  const cached = fileCache.get(apiVersion);
  if (cached !== undefined) return cached;
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  const file =
    group === GATEWAY_GROUP
      ? join(gatewayDir, GATEWAY_GROUP, version ?? '', 'index.d.ts')
      : join(typesDir, groupDir(group ?? ''), `${version}.d.ts`);
  const sf = getProgram().getSourceFile(file) ?? null;
  fileCache.set(apiVersion, sf);
  return sf;
}

/** The declared type of a top-level kind, or undefined when kubernetes-types has no such kind. */
export function kindType(apiVersion: string, kind: string): ts.Type | undefined {
  const sf = sourceFor(apiVersion);
  if (!sf) return undefined;
  const checker = getProgram().getTypeChecker();
  const moduleSym = checker.getSymbolAtLocation(sf);
  if (!moduleSym) return undefined;
  // The Gateway API models declare each kind's fields as the interface `I<Kind>`.
  const wanted = apiVersion.startsWith(`${GATEWAY_GROUP}/`) ? `I${kind}` : kind;
  const found = checker.getExportsOfModule(moduleSym).find((s) => s.name === wanted);
  // `export * from "./HTTPRoute"` re-exports: follow the alias to the declaration.
  const sym = found && found.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(found) : found;
  if (!sym || !(sym.flags & ts.SymbolFlags.Interface)) return undefined;
  return checker.getDeclaredTypeOfSymbol(sym);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Walks `value` against `type` and reports every key the type does not declare. */
export function unknownFields(value: unknown, type: ts.Type, path = ''): FieldIssue[] {
  const checker = getProgram().getTypeChecker();
  const issues: FieldIssue[] = [];

  const walk = (v: unknown, t: ts.Type, p: string): void => {
    if (v === null || v === undefined) return;
    // Drop null/undefined from unions; pick the members that fit the value's shape.
    const members = (t.isUnion() ? t.types : [t]).filter(
      (m) => !(m.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)),
    );
    if (Array.isArray(v)) {
      const arr = members.find((m) => checker.isArrayType(m) || checker.isTupleType(m));
      if (!arr) return; // type errors are the schema check's job
      const elem = checker.getTypeArguments(arr as ts.TypeReference)[0];
      if (elem) v.forEach((item, i) => walk(item, elem, `${p}/${i}`));
      return;
    }
    if (!isObject(v)) return;
    const obj = members.find(
      (m) => m.flags & ts.TypeFlags.Object && !checker.isArrayType(m) && !checker.isTupleType(m),
    );
    if (!obj) return;
    const index = checker.getIndexTypeOfType(obj, ts.IndexKind.String);
    const props = checker.getPropertiesOfType(obj);
    if (index) {
      for (const [k, child] of Object.entries(v)) walk(child, index, `${p}/${k}`);
      return;
    }
    if (props.length === 0) return; // opaque (RawExtension, JSON): anything goes
    const byName = new Map(props.map((s) => [s.name, s]));
    for (const [k, child] of Object.entries(v)) {
      const sym = byName.get(k);
      if (!sym) {
        issues.push({ path: `${p}/${k}`, message: `unknown field "${k}"` });
        continue;
      }
      walk(child, checker.getTypeOfSymbol(sym), `${p}/${k}`);
    }
  };

  walk(value, type, path);
  return issues;
}
