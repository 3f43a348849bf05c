/**
 * Publishing (RELEASING.md): the GitHub Actions workflow that n8n's node tooling generates, checked
 * by actionlint (npm run lint:workflows), and scripts/release.mjs (`npm run release`), which it runs.
 * Neither can run here for real (no GitHub, no npm account): these tests pin what they can.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const WORKFLOW = path.join(ROOT, '.github', 'workflows', 'publish.yml');
const ACTIONLINT = path.join(
	ROOT,
	'node_modules',
	'@tktco',
	'node-actionlint',
	'bin',
	'node-actionlint.js',
);
const RELEASE = path.join(ROOT, 'scripts', 'release.mjs');

function actionlint(file: string): { status: number | null; output: string } {
	const r = spawnSync(process.execPath, [ACTIONLINT, file], {
		encoding: 'utf8',
		env: { ...process.env, FORCE_COLOR: '0' },
	});
	return { status: r.status, output: r.stdout + r.stderr };
}

function release(env: Record<string, string>, args: string[] = []) {
	const clean = Object.fromEntries(
		Object.entries(process.env).filter(([k]) => !k.startsWith('GITHUB_')),
	);
	const r = spawnSync(process.execPath, [RELEASE, ...args], {
		encoding: 'utf8',
		env: { ...clean, ...env },
		timeout: 30_000,
	});
	return { status: r.status, stderr: r.stderr };
}

describe('the publish workflow (.github/workflows/publish.yml)', () => {
	const text = fs.readFileSync(WORKFLOW, 'utf8');

	it('passes actionlint', () => {
		const r = actionlint(WORKFLOW);
		expect(r.output).toContain('All workflow files passed lint checks');
		expect(r.status).toBe(0);
	});

	it('is checked for real: actionlint reports a broken copy', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-alibaba-ecs-workflow-'));
		try {
			const broken = path.join(dir, 'publish.yml');
			fs.writeFileSync(
				broken,
				text
					.replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest')
					.replace('id-token: write', 'id-token: writ'),
			);
			const r = actionlint(broken);
			expect(r.status).toBe(1);
			expect(r.output).toContain('"runs-on" section is missing in job "publish"');
			expect(r.output).toContain('"writ" is invalid for permission of scope "id-token"');
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('publishes from a version tag with an OIDC token for npm provenance, through npm run release', () => {
		expect(text).toMatch(/^on:\n {2}push:\n {4}tags:\n(?: {6}#.*\n)* {6}- '\*\.\*\.\*'$/m);
		expect(text).toMatch(/^ {6}id-token: write$/m);
		expect(text).toMatch(/^ {6}contents: read$/m);
		expect(text).toMatch(/^ {10}npm run release$/m);
		// n8n-node 0.48.3 renders this line as `NPM_TOKEN: $` (n8n-io/n8n issue 37932)
		expect(text).toMatch(/^ {10}NPM_TOKEN: \$\{\{ secrets\.NPM_TOKEN \}\}$/m);
		expect(
			JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.release,
		).toBe('node scripts/release.mjs');
	});
});

describe('npm run release (scripts/release.mjs)', () => {
	it('publishes nothing outside GitHub Actions, and says where releases come from', () => {
		const r = release({});
		expect(r.status).toBe(1);
		expect(r.stderr).toContain(
			'[release] Releases are published by GitHub Actions (.github/workflows/publish.yml) when a version tag is pushed',
		);
	});

	it('in GitHub Actions: refuses a tag that is not the package version, before anything else', () => {
		const r = release({
			GITHUB_ACTIONS: 'true',
			GITHUB_REF_TYPE: 'tag',
			GITHUB_REF_NAME: '99.0.0',
		});
		expect(r.status).toBe(1);
		expect(r.stderr).toMatch(/The tag is "99\.0\.0" but package\.json says version \d+\.\d+\.\d+/);
		expect(r.stderr).not.toContain('npm test');
	});

	it('in GitHub Actions: refuses a repository.url that is not the building repository (npm would reject the provenance)', () => {
		const { version, repository } = JSON.parse(
			fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'),
		) as { version: string; repository?: { url?: string } };
		const r = release({
			GITHUB_ACTIONS: 'true',
			GITHUB_REF_TYPE: 'tag',
			GITHUB_REF_NAME: version,
			GITHUB_SERVER_URL: 'https://github.com',
			GITHUB_REPOSITORY: 'someone-else/a-fork',
		});
		expect(r.status).toBe(1);
		expect(r.stderr).toContain(
			`package.json's repository.url is "${repository?.url ?? ''}", and npm accepts a provenance statement only when it names the repository that builds the package: set it to "git+https://github.com/someone-else/a-fork.git"`,
		);
	});
});
