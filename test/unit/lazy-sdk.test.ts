import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials: string[] };
};

/** Runs code in a fresh Node process; the code calls report() to list the modules loaded so far. */
function modulesLoadedBy(code: string): string[] {
	const report =
		'const report = () => process.stdout.write(JSON.stringify(Object.keys(require.cache)));';
	const out = execFileSync(process.execPath, ['-e', `${report}\n${code}`], {
		cwd: root,
		encoding: 'utf8',
	});
	return JSON.parse(out) as string[];
}

describe('loading the package as n8n does at start-up', () => {
	const files = [...pkg.n8n.nodes, ...pkg.n8n.credentials].map((file) => join(root, file));

	it('loads no @alicloud or @darabonba module, nor the proxy agents, when requiring the built node and credential', () => {
		const loaded = modulesLoadedBy(
			`${files.map((file) => `require(${JSON.stringify(file)})`).join(';')}; report()`,
		);
		expect(loaded).toEqual(expect.arrayContaining(files));
		expect(loaded.filter((path) => /[\\/]@(alicloud|darabonba)[\\/]/.test(path))).toEqual([]);
		expect(
			loaded.filter((path) =>
				/[\\/](https?-proxy-agent|proxy-from-env|agent-base)[\\/]|transport[\\/]proxy\.js$/.test(
					path,
				),
			),
		).toEqual([]);
	});

	it('does load the SDK when the transport first needs it (so the check above can fail)', () => {
		const sdk = join(root, 'dist/nodes/AlibabaEcs/transport/sdk.js');
		const loaded = modulesLoadedBy(`require(${JSON.stringify(sdk)}).loadSdk().then(report)`);
		expect(loaded.some((path) => /[\\/]@alicloud[\\/]ecs20140526[\\/]/.test(path))).toBe(true);
		expect(loaded.some((path) => /[\\/]https-proxy-agent[\\/]/.test(path))).toBe(true);
	});
});
