export declare const repoRoot: string;
export declare const toolsBin: string;
export declare function toolPath(
  name: 'helm' | 'kubectl' | 'docker-compose' | 'chromium' | 'unzip' | (string & {}),
): string;
export declare function hasTool(name: string): boolean;
