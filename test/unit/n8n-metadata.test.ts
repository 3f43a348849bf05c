/**
 * The metadata n8n's lazy loader reads (dist/known/*.json, dist/types/*.json, written by the build
 * through scripts/n8n-metadata.js): it matches the built classes, it covers every node and
 * credential of the package, nothing in a description is lost by writing it as JSON, and n8n-core's
 * LazyPackageDirectoryLoader takes the package from it without requiring any of its code.
 * The same in a real n8n: test/e2e/lazy-loading.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

import { PackageDirectoryLoader } from 'n8n-core';

import { computeMetadata, METADATA_FILES } from '../../scripts/n8n-metadata';

const root = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials: string[] };
};

function readDist<T>(file: string): T {
	return JSON.parse(readFileSync(join(root, 'dist', file), 'utf8')) as T;
}

/** Source files under `dir` whose name ends with `suffix`, as the dist/ paths tsc compiles them to. */
function compiledPaths(dir: string, suffix: string): string[] {
	const found: string[] = [];
	const walk = (folder: string) => {
		for (const entry of readdirSync(folder, { withFileTypes: true })) {
			const full = join(folder, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.name.endsWith(suffix))
				found.push(`dist/${relative(root, full).split(sep).join('/').replace(/\.ts$/, '.js')}`);
		}
	};
	walk(join(root, dir));
	return found.sort();
}

/**
 * Where `value` holds something JSON cannot carry (a function, a class instance such as a RegExp
 * or Date, a non-finite number, undefined in an array…): n8n's lazy path would silently lose it.
 */
function nonJsonPaths(value: unknown, path: string, skipKeys: string[] = []): string[] {
	if (value === null || typeof value === 'string' || typeof value === 'boolean') return [];
	if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
	if (typeof value !== 'object') return [`${path} (${typeof value})`];
	if (Array.isArray(value)) {
		return value.flatMap((entry, i) =>
			entry === undefined ? [`${path}[${i}] (undefined)`] : nonJsonPaths(entry, `${path}[${i}]`),
		);
	}
	const proto = Object.getPrototypeOf(value) as object | null;
	const isRoot = skipKeys.length > 0; // the credential itself is a class instance, by design
	if (!isRoot && proto !== Object.prototype && proto !== null) {
		return [`${path} (${(value as object).constructor?.name ?? 'object'})`];
	}
	return Object.entries(value)
		.filter(([key, entry]) => !skipKeys.includes(key) && entry !== undefined)
		.flatMap(([key, entry]) => nonJsonPaths(entry, `${path}.${key}`));
}

describe('the lazy-loading metadata in dist/', () => {
	it('is what n8n-core’s loader computes from the built classes (npm run build writes it)', async () => {
		const expected = await computeMetadata(root);
		for (const file of METADATA_FILES) {
			const actual = existsSync(join(root, 'dist', file))
				? readFileSync(join(root, 'dist', file), 'utf8')
				: `dist/${file} is missing`;
			expect({ file, text: actual }).toEqual({ file, text: expected[file] });
		}
	});

	it('covers every node and credential of the package, as package.json lists them', () => {
		// a node or credential not in package.json would be missing from n8n on both paths
		expect([...pkg.n8n.nodes].sort()).toEqual(compiledPaths('nodes', '.node.ts'));
		expect([...pkg.n8n.credentials].sort()).toEqual(
			compiledPaths('credentials', '.credentials.ts'),
		);
		const knownNodes =
			readDist<Record<string, { sourcePath: string; className: string }>>('known/nodes.json');
		const knownCredentials =
			readDist<Record<string, { sourcePath: string }>>('known/credentials.json');
		expect(
			Object.values(knownNodes)
				.map((n) => n.sourcePath)
				.sort(),
		).toEqual([...pkg.n8n.nodes].sort());
		expect(
			Object.values(knownCredentials)
				.map((c) => c.sourcePath)
				.sort(),
		).toEqual([...pkg.n8n.credentials].sort());
		const typeNames = readDist<Array<{ name: string }>>('types/nodes.json').map((t) => t.name);
		expect([...new Set(typeNames)].sort()).toEqual(Object.keys(knownNodes).sort());
	});

	it('gives each credential the nodes that use it (n8n finds the credential test through them)', () => {
		const knownCredentials =
			readDist<Record<string, { supportedNodes?: string[] }>>('known/credentials.json');
		const users: Record<string, string[]> = {};
		for (const type of readDist<
			Array<{ name: string; credentials?: Array<{ name: string; testedBy?: string }> }>
		>('types/nodes.json')) {
			for (const credential of type.credentials ?? []) {
				users[credential.name] = [...new Set([...(users[credential.name] ?? []), type.name])];
			}
		}
		expect(users.alibabaCloudAccessKeyApi).toEqual(['alibabaEcs', 'alibabaEcsTrigger']);
		for (const [name, known] of Object.entries(knownCredentials)) {
			expect({ name, supportedNodes: [...(known.supportedNodes ?? [])].sort() }).toEqual({
				name,
				supportedNodes: (users[name] ?? []).sort(),
			});
		}
	});

	it('loses nothing: every description is plain JSON', async () => {
		const loader = new PackageDirectoryLoader(root);
		await loader.loadAll();
		const lost = [
			...loader.types.nodes.flatMap((d) => nonJsonPaths(d, d.name)),
			// n8n adds toJSON itself and turns an authenticate function into {} on both paths
			...loader.types.credentials.flatMap((c) =>
				nonJsonPaths(c, c.name, ['toJSON', 'authenticate']),
			),
		];
		expect(lost).toEqual([]);
	});

	it('finds a function in a description (so the check above can fail)', () => {
		expect(
			nonJsonPaths({ a: [{ b: () => 1 }, undefined], c: /x/, d: { e: Infinity } }, 'x'),
		).toEqual(['x.a[0].b (function)', 'x.a[1] (undefined)', 'x.c (RegExp)', 'x.d.e']);
	});
});

interface LazyRun {
	isLazyLoaded: boolean;
	typeNames: string[];
	/** package modules (relative to the package) required by loadAll() */
	atStart: string[];
	/** … after getNode('alibabaEcs'), getNode('alibabaEcsTrigger') and getCredential('alibabaCloudAccessKeyApi') */
	onDemand: string[];
	nodeDescription: Record<string, unknown>;
	typesDescription: Record<string, unknown>;
	triggerDescription: Record<string, unknown>;
	triggerTypesDescription: Record<string, unknown>;
	credentialName: string;
}

describe('n8n-core’s LazyPackageDirectoryLoader, in a fresh Node process as n8n runs it', () => {
	let run: LazyRun;

	beforeAll(() => {
		// not under jest: n8n-core then loads classes in a vm context, as in n8n
		const script = `
			const Module = require('node:module');
			const { join, relative } = require('node:path');
			const root = process.cwd();
			const loaded = [];
			const load = Module.prototype.load;
			Module.prototype.load = function (filename) {
				if (filename.startsWith(join(root, 'dist'))) loaded.push(relative(root, filename));
				return load.apply(this, arguments);
			};
			const { LazyPackageDirectoryLoader } = require('n8n-core');
			(async () => {
				const loader = new LazyPackageDirectoryLoader(root);
				await loader.loadAll();
				const atStart = [...loaded];
				const typeNames = loader.types.nodes.map((t) => t.name);
				const node = loader.getNode('alibabaEcs').type;
				const trigger = loader.getNode('alibabaEcsTrigger').type;
				const credential = loader.getCredential('alibabaCloudAccessKeyApi').type;
				process.stdout.write(JSON.stringify({
					isLazyLoaded: loader.isLazyLoaded,
					typeNames,
					atStart,
					onDemand: loaded,
					nodeDescription: node.description,
					typesDescription: loader.types.nodes.find((t) => t.name === 'alibabaEcs'),
					triggerDescription: trigger.description,
					triggerTypesDescription: loader.types.nodes.find((t) => t.name === 'alibabaEcsTrigger'),
					credentialName: credential.name,
				}));
			})().catch((e) => { console.error(e); process.exit(1); });`;
		const out = execFileSync(process.execPath, ['-e', script], {
			cwd: root,
			encoding: 'utf8',
			env: { ...process.env, NODE_ENV: 'production', NODE_OPTIONS: '' },
		});
		run = JSON.parse(out) as LazyRun;
	});

	it('registers the package from the metadata without requiring any of its modules', () => {
		expect(run.isLazyLoaded).toBe(true);
		expect(run.typeNames).toEqual(
			readDist<Array<{ name: string }>>('types/nodes.json').map((t) => t.name),
		);
		expect(run.typeNames).toContain('alibabaEcs');
		expect(run.typeNames).toContain('alibabaEcsTrigger');
		expect(run.atStart).toEqual([]);
	});

	it('requires a node’s and a credential’s code when asked for them (so the check above can fail)', () => {
		expect(run.onDemand).toEqual(
			expect.arrayContaining([
				'dist/nodes/AlibabaEcs/AlibabaEcs.node.js',
				'dist/nodes/AlibabaEcsTrigger/AlibabaEcsTrigger.node.js',
				'dist/credentials/AlibabaCloudAccessKeyApi.credentials.js',
			]),
		);
		expect(run.credentialName).toBe('alibabaCloudAccessKeyApi');
	});

	it('the class it loads describes the node exactly as the metadata does', () => {
		// n8n sets communityNodePackageVersion only while loading a package eagerly (it is in the
		// metadata, which the editor reads); the class loaded on demand goes without it
		const { communityNodePackageVersion, ...fromTypes } = run.typesDescription;
		expect(communityNodePackageVersion).toBe(
			(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version,
		);
		expect(run.nodeDescription).toEqual(fromTypes);
	});

	it('the trigger too: Poll Times added once, its codex (AlibabaEcsTrigger.node.json) in the metadata', () => {
		const { communityNodePackageVersion, ...fromTypes } = run.triggerTypesDescription;
		expect(communityNodePackageVersion).toBeDefined();
		expect(run.triggerDescription).toEqual(fromTypes);
		const names = (fromTypes.properties as Array<{ name: string }>).map((p) => p.name);
		expect(names.filter((name) => name === 'pollTimes')).toHaveLength(1);
		expect(fromTypes).toMatchObject({
			polling: true,
			codex: {
				categories: ['Development'],
				alias: expect.arrayContaining(['server offline']),
				resources: { primaryDocumentation: [{ url: expect.stringMatching(/^https:/) }] },
			},
		});
	});
});
