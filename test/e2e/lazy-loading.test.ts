/**
 * n8n lazy-loads the package: installed from its tarball into $N8N_USER_FOLDER/.n8n/nodes (the
 * route every e2e suite uses), n8n registers it from dist/known and dist/types at boot without
 * requiring its code, and everything still works once something needs the code.
 *
 * Per n8n line, `n8n start` with a require hook (NODE_OPTIONS=--require module-load-log.js, which
 * logs every module loaded from .n8n/nodes/node_modules) and the debug log:
 * - n8n says "Lazy-loading nodes and credentials from n8n-nodes-alibaba-ecs"; the hook saw no
 *   module of the package or its dependencies during boot (n8n 2.41 requires credential classes
 *   itself: there, exactly the credential file);
 * - the editor's /types/nodes.json and /types/credentials.json describe the node, its AI tool
 *   variant alibabaEcsTool and the credential exactly as the same n8n does with the package
 *   loaded eagerly (the same tarball without the metadata: what every release before had), and
 *   the icons are served; still nothing required;
 * - the credential test works as the first thing the package does (the credential class loads
 *   before the node's: n8n's supportedNodes bookkeeping, n8n-io/n8n#30529), then the Region list
 *   (loadOptions) and the Instance list (listSearch); now the hook sees the node's code and the
 *   SDK being loaded (so the boot check can fail).
 * Then `n8n execute` runs the AI tool variant through n8n's Tool Executor (what the editor does
 * when a tool node is executed on its own), without an AI model.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import { FakeEcs, SAMPLE_INSTANCE, TEST_ACCESS_KEY_ID } from '../fake-ecs';
import {
	CREDENTIAL_TYPE,
	NODE_TYPE,
	PACKAGE_NAME,
	REPO_ROOT,
	TRIGGER_NODE_TYPE,
	findLine,
	installPackageInto,
	makeUserFolder,
	nodeItems,
	packBuiltPackage,
	removePackedPackage,
	removeUserFolder,
	request,
	runWorkflow,
	selectedLineIds,
	setupOwner,
	startN8n,
	type N8nLine,
	type RunningN8n,
	type WorkflowInput,
} from './lib';

const SECRET = crypto.randomBytes(22).toString('base64url').slice(0, 30);
const TOOL_TYPE = `${NODE_TYPE}Tool`;
const HOOK = path.join(REPO_ROOT, 'test', 'e2e', 'lib', 'module-load-log.js');
const METADATA = ['dist/known', 'dist/types'];
const pkgJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials: string[] };
};
/** The node the credential test goes through (its testedBy method) */
const ECS_NODE_FILE = 'dist/nodes/AlibabaEcs/AlibabaEcs.node.js';
/** Descriptions in the metadata (one per node version): the count n8n's debug line gives */
const typesInMetadata = (
	JSON.parse(
		fs.readFileSync(path.join(REPO_ROOT, 'dist', 'types', 'nodes.json'), 'utf8'),
	) as unknown[]
).length;

interface ModuleLoad {
	/** ms since the n8n process started */
	at: number;
	pid: number;
	depth: number;
	/** relative to .n8n/nodes/node_modules */
	file: string;
}

/** A user folder with the package installed, watched by the require hook. */
interface Instance {
	userFolder: string;
	nodeModules: string;
	loadLog: string;
	n8n?: RunningN8n;
}

function install(line: N8nLine, tarball: string, withMetadata: boolean): Instance {
	const userFolder = makeUserFolder(`e2e-lazy-${line.id}-`);
	const pkg = installPackageInto(userFolder, tarball, { line });
	for (const dir of METADATA) {
		expect(fs.existsSync(path.join(pkg.dir, dir))).toBe(true); // shipped in the tarball
		if (!withMetadata) fs.rmSync(path.join(pkg.dir, dir), { recursive: true });
	}
	const nodeModules = fs.realpathSync(path.join(userFolder, '.n8n', 'nodes', 'node_modules'));
	return { userFolder, nodeModules, loadLog: path.join(userFolder, 'module-loads.log') };
}

async function start(line: N8nLine, instance: Instance): Promise<RunningN8n> {
	instance.n8n = await startN8n({
		line,
		userFolder: instance.userFolder,
		env: {
			N8N_LOG_LEVEL: 'debug',
			NODE_OPTIONS: `--require ${HOOK}`,
			MODULE_LOAD_LOG: instance.loadLog,
			MODULE_LOAD_LOG_MATCH: instance.nodeModules + path.sep,
		},
	});
	return instance.n8n;
}

/** What the hook logged for the n8n main process so far. */
function moduleLoads(instance: Instance): ModuleLoad[] {
	if (!fs.existsSync(instance.loadLog)) return [];
	return fs
		.readFileSync(instance.loadLog, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((line) => {
			const [at, pid, depth, , ...file] = line.split(' ');
			return {
				at: Number(at),
				pid: Number(pid),
				depth: Number(depth),
				file: path.relative(instance.nodeModules, file.join(' ')).split(path.sep).join('/'),
			};
		})
		.filter((load) => load.pid === instance.n8n?.pid);
}

const inPackage = (rel: string) => `${PACKAGE_NAME}/${rel}`;

/**
 * The package's modules this n8n requires at boot although it lazy-loads the package: n8n 2.41.1
 * requires every credential class while it starts (postProcessLoaders loads each known credential
 * to add the HTTP Request domain restriction fields; n8n-nodes-base's too); 2.8.4 and 1.123.81
 * none. The n8n version in between that started it is not pinned here.
 */
function requiredByN8nAtBoot(line: N8nLine): string[] {
	const [major, minor] = line.n8n.split('.').map(Number);
	return major > 2 || (major === 2 && minor >= 41) ? pkgJson.n8n.credentials.map(inPackage) : [];
}

interface Types {
	nodes: Array<{ name: string; iconUrl?: { light: string; dark: string }; [k: string]: unknown }>;
	credentials: Array<{ name: string; [k: string]: unknown }>;
}

/** The package's entries of the editor's /types files. */
async function packageTypes(n8n: RunningN8n, cookie: string): Promise<Types> {
	const get = async <T>(file: string) => {
		const r = await request('GET', `${n8n.url}/types/${file}`, {
			headers: { cookie },
			timeoutMs: 60_000,
		});
		expect(r.status).toBe(200);
		return r.json<T>();
	};
	const nodes = await get<Types['nodes']>('nodes.json');
	const credentials = await get<Types['credentials']>('credentials.json');
	return {
		nodes: nodes.filter((n) => n.name.startsWith(`${PACKAGE_NAME}.`)),
		credentials: credentials.filter((c) => c.name === CREDENTIAL_TYPE),
	};
}

/**
 * Sets aside the wording n8n gives the Poll Times parameter. n8n adds that parameter to every
 * polling node itself (n8n-core's DirectoryLoader.applySpecialNodeParameters): on the eager path
 * the running n8n adds its own; on the lazy path the editor gets what the build's n8n-core
 * (devDependency, n8n 2.8's; scripts/n8n-metadata.js) added, as n8n's own packages carry the
 * wording of the n8n-core they were built with. The lines word some of its fields differently
 * (n8n 2.41.1: "The minute past the hour to trigger (0-59)" where 2.8.4 says "The minute of the
 * day to trigger"). Returns a copy of the types with each `description` text inside a
 * `pollTimes` parameter replaced by a marker, and those texts by their path.
 */
function pollTimesWordingAside(types: Types): { types: Types; wording: Record<string, string> } {
	const copy = JSON.parse(JSON.stringify(types)) as Types;
	const wording: Record<string, string> = {};
	const walk = (value: unknown, at: string) => {
		if (!value || typeof value !== 'object') return;
		for (const [key, child] of Object.entries(value)) {
			if (key === 'description' && typeof child === 'string') {
				wording[`${at}.description`] = child;
				(value as Record<string, unknown>)[key] = '<the wording of the n8n that added it>';
			} else walk(child, `${at}.${key}`);
		}
	};
	for (const node of copy.nodes) {
		const properties = (node.properties ?? []) as Array<{ name?: string }>;
		properties.forEach((property, i) => {
			if (property.name === 'pollTimes') walk(property, `${node.name}.properties[${i}]`);
		});
	}
	return { types: copy, wording };
}

/** Whether this line runs the n8n-core version the package was built with: then the wording is the same. */
function runsBuildsN8nCore(line: N8nLine): boolean {
	const version = (file: string) =>
		(JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
	return (
		version(path.join(line.dir, 'node_modules', 'n8n-core', 'package.json')) ===
		version(require.resolve('n8n-core/package.json'))
	);
}

let tarball: string;

beforeAll(() => {
	tarball = packBuiltPackage();
});

afterAll(() => {
	removePackedPackage(tarball);
});

describe.each(selectedLineIds())('n8n line %s lazy-loads the package', (lineId) => {
	let line: N8nLine;
	let fake: FakeEcs;
	let lazy: Instance;
	let eagerTypes: Types;
	let cookie: string;
	let credential: { id: string; name: string };

	beforeAll(async () => {
		const found = findLine(lineId); // globalSetup installed it
		if (!found) throw new Error(`line ${lineId} is not installed`);
		line = found;
		fake = await FakeEcs.start({ accessKeys: { [TEST_ACCESS_KEY_ID]: SECRET } });
		fake.state.addSampleInstance(); // mi-hz01axdfas0001 in cn-hangzhou

		// the reference: the same tarball without the metadata, loaded eagerly by the same n8n
		const eager = install(line, tarball, false);
		try {
			const n8n = await start(line, eager);
			expect(n8n.output()).toContain(`Loaded all credentials and nodes from ${PACKAGE_NAME}`);
			// the eager path requires the node's code at boot: the hook sees it
			expect(moduleLoads(eager).map((l) => l.file)).toEqual(
				expect.arrayContaining([...pkgJson.n8n.nodes, ...pkgJson.n8n.credentials].map(inPackage)),
			);
			eagerTypes = await packageTypes(n8n, (await setupOwner(n8n.url)).cookie);
		} finally {
			await eager.n8n?.stop();
			removeUserFolder(eager.userFolder);
		}

		lazy = install(line, tarball, true);
		const n8n = await start(line, lazy);
		({ cookie } = await setupOwner(n8n.url));
	});

	afterAll(async () => {
		const log = lazy?.n8n?.output() ?? '';
		await lazy?.n8n?.stop();
		if (lazy) removeUserFolder(lazy.userFolder);
		await fake?.close();
		expect(log).not.toContain(SECRET);
		expect(fake.requests.filter((r) => !r.signatureValid)).toEqual([]);
	});

	it('n8n says it lazy-loads the package, and requires none of its code (nor the SDK) at boot', () => {
		const output = lazy.n8n!.output();
		const said = new RegExp(
			`Lazy-loading nodes and credentials from ${PACKAGE_NAME} \\{"nodes":${typesInMetadata},"credentials":${pkgJson.n8n.credentials.length}`,
		);
		expect(output).toMatch(said);
		expect(output).not.toContain(`Loaded all credentials and nodes from ${PACKAGE_NAME}`);
		expect(moduleLoads(lazy).map((l) => l.file)).toEqual(requiredByN8nAtBoot(line));
	});

	it('the editor gets the node, its AI tool variant, the trigger and the credential as on the eager path, icons included; still no code required', async () => {
		const types = await packageTypes(lazy.n8n!, cookie);
		expect(types.nodes.map((n) => n.name)).toEqual(
			expect.arrayContaining([NODE_TYPE, TOOL_TYPE, TRIGGER_NODE_TYPE]),
		);
		const tool = types.nodes.find((n) => n.name === TOOL_TYPE)!;
		expect(tool).toMatchObject({ inputs: [], outputs: ['ai_tool'] });
		expect(types.nodes.find((n) => n.name === NODE_TYPE)).toMatchObject({
			codex: { categories: ['Development'] },
		});
		// identical, apart from the wording of Poll Times on lines whose n8n-core is not the build's
		const lazySide = pollTimesWordingAside(types);
		const eagerSide = pollTimesWordingAside(eagerTypes);
		expect(lazySide.types).toEqual(eagerSide.types);
		expect(Object.keys(lazySide.wording).sort()).toEqual(Object.keys(eagerSide.wording).sort());
		expect(Object.keys(lazySide.wording).length).toBeGreaterThan(0); // the trigger has Poll Times
		if (runsBuildsN8nCore(line)) expect(lazySide.wording).toEqual(eagerSide.wording);

		for (const node of types.nodes) {
			for (const url of Object.values(node.iconUrl ?? {})) {
				const icon = await request('GET', `${lazy.n8n!.url}/${url}`, { headers: { cookie } });
				expect({ url, status: icon.status, type: icon.headers['content-type'] }).toEqual({
					url,
					status: 200,
					type: expect.stringContaining('image/svg+xml'),
				});
			}
		}
		expect(moduleLoads(lazy).map((l) => l.file)).toEqual(requiredByN8nAtBoot(line));
	});

	it('the credential test works as the first use of the package (credential class before the node’s)', async () => {
		const data = {
			accessKeyId: TEST_ACCESS_KEY_ID,
			accessKeySecret: SECRET,
			endpoint: fake.url,
			defaultRegionId: 'cn-hangzhou',
		};
		const created = await request('POST', `${lazy.n8n!.url}/rest/credentials`, {
			headers: { cookie },
			body: { name: 'Alibaba Cloud (fake ECS)', type: CREDENTIAL_TYPE, data },
		});
		expect(created.status).toBe(200);
		const { id, name } = created.json<{ data: { id: string; name: string } }>().data;
		credential = { id, name };

		const before = fake.requests.length;
		const tested = await request('POST', `${lazy.n8n!.url}/rest/credentials/test`, {
			headers: { cookie },
			body: { credentials: { id, name, type: CREDENTIAL_TYPE, data } },
		});
		expect(tested.status).toBe(200);
		expect(tested.json<{ data: { status: string; message: string } }>().data).toEqual({
			status: 'OK',
			message: expect.stringMatching(/^Connection successful/),
		});
		expect(fake.requests.slice(before).map((r) => r.action)).toEqual(['DescribeRegions']);

		// now the code is loaded: the hook sees it, so the boot checks above can fail
		const files = moduleLoads(lazy).map((l) => l.file);
		expect(files).toEqual(
			expect.arrayContaining([ECS_NODE_FILE, ...pkgJson.n8n.credentials].map(inPackage)),
		);
		expect(files.some((f) => f.startsWith('@alicloud/ecs20140526/'))).toBe(true);
	});

	it('lists regions (loadOptions, with the credential’s default) and managed instances (listSearch, from the account)', async () => {
		const body = (extra: Record<string, unknown>) => ({
			nodeTypeAndVersion: { name: NODE_TYPE, version: 1 },
			currentNodeParameters: {
				resource: 'managedInstance',
				operation: 'deregister',
				regionId: 'cn-hangzhou',
			},
			credentials: { [CREDENTIAL_TYPE]: credential },
			...extra,
		});
		const regions = await request('POST', `${lazy.n8n!.url}/rest/dynamic-node-parameters/options`, {
			headers: { cookie },
			body: body({ path: 'parameters.regionId', methodName: 'getRegions' }),
		});
		expect(regions.status).toBe(200);
		const options = regions.json<{ data: Array<{ name: string; value: string }> }>().data;
		expect(options.map((o) => o.value)).toEqual(expect.arrayContaining(['cn-hangzhou']));
		// the method read the credential: its default region heads the list
		expect(options[0]).toMatchObject({ value: '', name: expect.stringContaining('(cn-hangzhou)') });

		const instances = await request(
			'POST',
			`${lazy.n8n!.url}/rest/dynamic-node-parameters/resource-locator-results`,
			{
				headers: { cookie },
				body: body({ path: 'parameters.instanceId', methodName: 'searchManagedInstances' }),
			},
		);
		expect(instances.status).toBe(200);
		const results = instances.json<{ data: { results: Array<{ value: string }> } }>().data.results;
		expect(results.map((r) => r.value)).toEqual([SAMPLE_INSTANCE.InstanceId]);
	});

	// n8n execute loads community packages with the same loader as n8n start (its debug log says
	// so too, but debug output breaks the parsing of the run it prints)
	it('n8n execute runs the AI tool variant through n8n’s Tool Executor', async () => {
		await lazy.n8n!.stop(); // the CLI uses the same user folder
		const before = fake.requests.length;
		const workflow: WorkflowInput = {
			name: 'e2e lazy: the tool variant',
			nodes: [
				{
					name: 'Manual',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					name: 'Tool Executor',
					type: '@n8n/n8n-nodes-langchain.toolExecutor',
					typeVersion: 1,
					position: [220, 0],
					// as n8n wires a tool executed on its own: the tool's name is the node's, spaces as _
					parameters: { query: '{}', toolName: 'Get_managed_instance' },
				},
				{
					name: 'Get managed instance',
					type: TOOL_TYPE,
					typeVersion: 1,
					position: [220, 200],
					parameters: {
						resource: 'managedInstance',
						operation: 'get',
						regionId: 'cn-hangzhou',
						instanceId: { __rl: true, mode: 'id', value: SAMPLE_INSTANCE.InstanceId },
					},
					credentials: { [CREDENTIAL_TYPE]: credential },
				},
			],
			connections: {
				Manual: { main: [[{ node: 'Tool Executor', type: 'main', index: 0 }]] },
				'Get managed instance': {
					ai_tool: [[{ node: 'Tool Executor', type: 'ai_tool', index: 0 }]],
				},
			},
		};
		const r = await runWorkflow({ line, userFolder: lazy.userFolder, workflow });
		expect(r.exitCode).toBe(0);
		// the tool's answer to the model: the node's output items (n8n hands them over as JSON text)
		const answers = nodeItems(r.run, 'Tool Executor').map((json: unknown) =>
			typeof json === 'string' ? (JSON.parse(json) as unknown) : json,
		);
		expect(answers).toEqual([
			[expect.objectContaining({ InstanceId: SAMPLE_INSTANCE.InstanceId, Connected: true })],
		]);
		expect(
			fake.requests
				.slice(before)
				.map((q) => [q.action, q.params.RegionId, q.params['InstanceId.1']]),
		).toEqual([['DescribeManagedInstances', 'cn-hangzhou', SAMPLE_INSTANCE.InstanceId]]);
		expect(r.stdout).not.toContain(SECRET);
	});
});
