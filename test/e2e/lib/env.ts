/**
 * Environment, ports and temp folders for running a real n8n.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

import registrySettings from '../../../scripts/n8n/npm-registry-settings.json';
import type { N8nLine } from './lines';

/** A fixed key: every test's user folder is fresh, so it only has to be stable within one folder. */
export const DEFAULT_ENCRYPTION_KEY = 'n8n-nodes-alibaba-ecs-e2e-key-0123456789';

/** A new, empty folder to use as N8N_USER_FOLDER (n8n writes <folder>/.n8n). */
export function makeUserFolder(prefix = 'n8n-e2e-'): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Removes a user folder made by makeUserFolder (ignores errors). */
export function removeUserFolder(userFolder: string): void {
	fs.rmSync(userFolder, { recursive: true, force: true, maxRetries: 3 });
}

/** A TCP port that was free on 127.0.0.1 a moment ago (the kernel picks it). */
export function getFreePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = typeof addr === 'object' && addr ? addr.port : 0;
			srv.close(() => (port ? resolve(port) : reject(new Error('no port'))));
		});
	});
}

/** npm settings a parent npm (npm run, npx) exports that are about reaching the registry. */
const REGISTRY_NPM_CONFIG = new Set<string>(registrySettings);

/**
 * process.env for an npm child that works on another folder (a user folder's .n8n/nodes):
 * without what a parent `npm run`/`npx` exported about this repo (npm_config_ignore_scripts from
 * its .npmrc, npm_package_*, npm_lifecycle_*), keeping the registry/proxy/cache settings.
 */
export function cleanNpmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		const k = key.toLowerCase();
		if (!k.startsWith('npm_') || REGISTRY_NPM_CONFIG.has(k)) env[key] = value;
	}
	return { ...env, ...extra };
}

export interface N8nEnvOptions {
	line: N8nLine;
	userFolder: string;
	/** main HTTP port (n8n start) */
	port?: number;
	/** task broker port; always set it, the default 5679 collides between parallel instances */
	brokerPort: number;
	encryptionKey?: string;
	logLevel?: 'error' | 'warn' | 'info' | 'debug';
	/** extra variables, applied last (undefined removes a variable) */
	extra?: Record<string, string | undefined>;
}

/**
 * The environment for any n8n process of the e2e tests: own user folder, sqlite, nothing that
 * phones home, loopback only, a private broker port, and the line's node first in PATH (so the
 * task runners n8n spawns use the same node).
 */
export function n8nEnv(o: N8nEnvOptions): NodeJS.ProcessEnv {
	const base: NodeJS.ProcessEnv = {};
	// Keep only what a child needs from the parent: never leak the test runner's N8N_* / DB_* / NODE_OPTIONS.
	for (const k of [
		'HOME',
		'LANG',
		'LC_ALL',
		'TMPDIR',
		'TZ',
		'USER',
		'LOGNAME',
		'SHELL',
		'TERM',
		'npm_config_cache',
	]) {
		if (process.env[k] !== undefined) base[k] = process.env[k];
	}
	const nodeBinDir = path.dirname(o.line.nodeBin);
	const env: NodeJS.ProcessEnv = {
		...base,
		PATH: `${nodeBinDir}${path.delimiter}${process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'}`,
		N8N_USER_FOLDER: o.userFolder,
		N8N_ENCRYPTION_KEY: o.encryptionKey ?? DEFAULT_ENCRYPTION_KEY,
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_LOG_LEVEL: o.logLevel ?? 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_RUNNERS_BROKER_PORT: String(o.brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		NODE_ENV: 'production',
		// The fake ECS endpoint may use a self-signed certificate; tests opt in explicitly.
		NODE_TLS_REJECT_UNAUTHORIZED: undefined,
	};
	Object.assign(env, o.line.env ?? {});
	if (o.port !== undefined) {
		env.N8N_PORT = String(o.port);
		env.WEBHOOK_URL = `http://127.0.0.1:${o.port}/`;
	}
	for (const [k, v] of Object.entries(o.extra ?? {})) {
		if (v === undefined) delete env[k];
		else env[k] = v;
	}
	for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
	return env;
}
