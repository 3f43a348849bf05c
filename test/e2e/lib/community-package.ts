/**
 * Loading a community package into n8n the way users get it:
 * $N8N_USER_FOLDER/.n8n/nodes/node_modules/<package-name>, installed by npm from the tarball.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { cleanNpmEnv } from './env';
import { REPO_ROOT, type N8nLine } from './lines';

export interface InstalledPackage {
	name: string;
	version: string;
	/** $N8N_USER_FOLDER/.n8n/nodes/node_modules/<name> */
	dir: string;
	/** the tarball that was installed */
	tarball: string;
	/** node types the package declares, e.g. ['n8n-nodes-alibaba-ecs.alibabaEcs'] */
	nodeTypes: string[];
	/** credential type names the package declares */
	credentialTypes: string[];
	/** seconds npm took */
	seconds: number;
}

export interface InstallPackageOptions {
	/** 'prefer-offline' (default): npm's cache first, the registry only for what is missing; 'offline': cache only; 'online': revalidate. */
	network?: 'prefer-offline' | 'offline' | 'online';
	/** run `npm pack` with --ignore-scripts when given a folder (default false: prepack etc. run) */
	packIgnoreScripts?: boolean;
	timeoutMs?: number;
	/**
	 * Load the package's nodes under this line's node with its n8n-workflow (as n8n does) to
	 * read their type names; default: this process's node with the repo's devDependency.
	 */
	line?: N8nLine;
}

function run(cmd: string, args: string[], cwd: string, timeoutMs: number): string {
	const r = spawnSync(cmd, args, {
		cwd,
		encoding: 'utf8',
		timeout: timeoutMs,
		env: cleanNpmEnv({
			npm_config_update_notifier: 'false',
			npm_config_fund: 'false',
			npm_config_audit: 'false',
		}),
	});
	if (r.status !== 0) {
		throw new Error(
			`${cmd} ${args.join(' ')} (in ${cwd}) failed: ${r.error ?? ''}\n${r.stdout}\n${r.stderr}`,
		);
	}
	return r.stdout;
}

/**
 * `npm pack` a package folder into destDir (default: a new temp folder); returns the tarball path.
 * The folder must already be built (its `files` / dist/ are what gets packed).
 */
export function packPackage(packageDir: string, destDir?: string, ignoreScripts = false): string {
	const dest = destDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-pack-'));
	const args = ['pack', '--json', '--pack-destination', dest];
	if (ignoreScripts) args.push('--ignore-scripts');
	const out = run('npm', args, packageDir, 300000);
	const parsed = JSON.parse(out.slice(out.indexOf('['))) as Array<{ filename: string }>;
	const file = path.join(dest, parsed[0].filename);
	if (!fs.existsSync(file)) throw new Error(`npm pack did not produce ${file}`);
	return file;
}

function readTarballPackageJson(tarball: string): { name: string; version: string } {
	const out = run('tar', ['-xzOf', tarball, 'package/package.json'], path.dirname(tarball), 60000);
	return JSON.parse(out) as { name: string; version: string };
}

/**
 * Installs a community package (a tarball from `npm pack`, or a package folder that gets packed
 * first) into $N8N_USER_FOLDER/.n8n/nodes, as n8n's own community-package installer does:
 * a package.json in .n8n/nodes and `npm install <tarball>` there, so its runtime dependencies
 * come along. Peer dependencies are NOT installed (--legacy-peer-deps): n8n-workflow must come
 * from the host n8n, and a second copy in .n8n/nodes/node_modules is treated as an error.
 * npm's cache makes the second run fast and offline-capable (network: 'prefer-offline').
 */
export function installPackageInto(
	userFolder: string,
	tarballOrDir: string,
	opts: InstallPackageOptions = {},
): InstalledPackage {
	const started = Date.now();
	let tarball = path.resolve(tarballOrDir);
	if (fs.statSync(tarball).isDirectory())
		tarball = packPackage(tarball, undefined, opts.packIgnoreScripts);
	const meta = readTarballPackageJson(tarball);

	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const pkgJson = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(pkgJson)) {
		// the same file n8n writes when it installs a community package itself
		fs.writeFileSync(
			pkgJson,
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2) + '\n',
		);
	}
	const network = opts.network ?? 'prefer-offline';
	const args = [
		'install',
		tarball,
		'--no-audit',
		'--no-fund',
		'--no-package-lock',
		'--legacy-peer-deps',
		'--omit=dev',
		'--loglevel=error',
	];
	if (network === 'prefer-offline') args.push('--prefer-offline');
	if (network === 'offline') args.push('--offline');
	run('npm', args, nodesDir, opts.timeoutMs ?? 300000);

	const dir = path.join(nodesDir, 'node_modules', meta.name);
	const installed = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
		name: string;
		version: string;
		n8n?: { nodes?: string[]; credentials?: string[] };
	};
	if (installed.version !== meta.version) {
		throw new Error(`installed ${meta.name}@${installed.version}, expected ${meta.version}`);
	}
	const dupe = path.join(nodesDir, 'node_modules', 'n8n-workflow');
	if (fs.existsSync(dupe)) {
		throw new Error(
			`npm installed a second n8n-workflow into ${dupe}; it must come from the host n8n`,
		);
	}
	const described = describePackage(
		dir,
		installed.n8n?.nodes ?? [],
		installed.n8n?.credentials ?? [],
		opts.line,
	);
	const nodeTypes = described.nodes.map((n) => `${meta.name}.${n}`);
	const credentialTypes = described.credentials;
	return {
		name: meta.name,
		version: meta.version,
		dir,
		tarball,
		nodeTypes,
		credentialTypes,
		seconds: Math.round((Date.now() - started) / 100) / 10,
	};
}

/**
 * Loads the compiled node and credential files in a child process (the line's node, NODE_PATH
 * to the host n8n's node_modules, which is how n8n itself makes n8n-workflow resolvable for
 * community packages) and returns the description names. Throws if a file does not load.
 */
export function describePackage(
	packageDir: string,
	nodeFiles: string[],
	credentialFiles: string[],
	line?: N8nLine,
): { nodes: string[]; credentials: string[] } {
	for (const rel of [...nodeFiles, ...credentialFiles]) {
		if (!fs.existsSync(path.join(packageDir, rel))) {
			throw new Error(
				`${packageDir}: n8n entry ${rel} does not exist (was the package built before packing?)`,
			);
		}
	}
	const script = `
		const path = require('path');
		const dir = process.argv[1];
		const read = (files, pick) => JSON.parse(files).map((rel) => {
			const mod = require(path.join(dir, rel));
			const names = Object.values(mod).filter((v) => typeof v === 'function').map((C) => pick(new C())).filter(Boolean);
			if (names.length !== 1) throw new Error(rel + ': expected one exported class, found ' + names.length);
			return names[0];
		});
		const out = {
			nodes: read(process.argv[2], (o) => o.description && o.description.name),
			credentials: read(process.argv[3], (o) => o.name),
		};
		process.stdout.write(JSON.stringify(out));
	`;
	const nodeModules = line
		? path.join(line.dir, 'node_modules')
		: path.join(REPO_ROOT, 'node_modules');
	const r = spawnSync(
		line ? line.nodeBin : process.execPath,
		['-e', script, packageDir, JSON.stringify(nodeFiles), JSON.stringify(credentialFiles)],
		{
			encoding: 'utf8',
			env: { ...process.env, NODE_PATH: nodeModules, NODE_OPTIONS: '' },
			timeout: 60000,
		},
	);
	if (r.status !== 0) throw new Error(`loading the nodes of ${packageDir} failed:\n${r.stderr}`);
	return JSON.parse(r.stdout) as { nodes: string[]; credentials: string[] };
}
