export declare function extractZipEntries(zipFile: string, wanted: string[], outDir: string): string[];
