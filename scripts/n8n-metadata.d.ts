/** Types of scripts/n8n-metadata.js (plain JavaScript, so that the gulp build can run it). */

/** The metadata files n8n's lazy loader reads, as paths under dist/. */
export declare const METADATA_FILES: readonly string[];

/**
 * The text of each metadata file (keyed by its path under dist/), as n8n-core's eager
 * PackageDirectoryLoader describes the built package at `packageDir`.
 */
export declare function computeMetadata(packageDir: string): Promise<Record<string, string>>;

/** Writes the metadata files into `packageDir`/dist; resolves to their paths. */
export declare function writeMetadata(packageDir: string): Promise<string[]>;

/** The metadata files (`dist/…`) that are missing or differ from what the classes describe. */
export declare function staleMetadata(packageDir: string): Promise<string[]>;
