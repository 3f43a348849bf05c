import { resolve } from 'node:path';

/** The package root (where package.json and dist/ are). */
export const PACKAGE_ROOT = resolve(__dirname, '../..');
