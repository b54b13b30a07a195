/** Messages between the page (app.ts) and the conversion worker (worker.ts), and the page state. */
import type { ConvertOptions, Diagnostic, Report } from '../src/browser.js';
import type { Graph } from './graph.js';

export interface SourceFile {
  name: string;
  content: string;
}

/** Everything a share link carries: the files and the options. */
export interface State {
  /** Compose files in `-f` order. */
  files: SourceFile[];
  env: string;
  /** The sample whose side files (env_file, configs, secrets) are in the project directory. */
  sample?: string;
  options: Pick<ConvertOptions, 'secrets' | 'networkPolicies'> & { namespace?: string; ingressHost?: string };
}

export type Layout = 'files' | 'helm' | 'kustomize';

export type Request =
  | { id: number; kind: 'convert'; state: State; format: 'yaml' | 'json' }
  | { id: number; kind: 'zip'; state: State; layout: Layout };

export interface ObjectView {
  id: string;
  kind: string;
  name: string;
  service?: string;
  text: string;
}

export interface ConvertReply {
  id: number;
  kind: 'convert';
  ms: number;
  project: string;
  objects: ObjectView[];
  all: string;
  report?: Report;
  diagnostics: Diagnostic[];
  graph: Graph;
}

export interface ZipReply {
  id: number;
  kind: 'zip';
  name: string;
  files: string[];
  bytes: Uint8Array;
}

/** A zip could not be made (offline, the renderers chunk did not load; or the renderers failed). */
export interface ZipFailedReply {
  id: number;
  kind: 'zip-failed';
  error: string;
}

/** The report's fix texts and the dialects have loaded in the worker: a conversion now would show and read them. */
export interface TextsReply {
  kind: 'texts';
}

export type Reply = ConvertReply | ZipReply | ZipFailedReply | TextsReply;

export const DIR = '/project';
