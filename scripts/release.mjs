// `npm run release`: what .github/workflows/publish.yml runs on a version tag (see RELEASING.md).
//
// In GitHub Actions (GITHUB_ACTIONS=true) it does what n8n's own `n8n-node release` does there
// (@n8n/node-cli 0.48.3, dist/commands/release.js: lint, build, `npm publish` with
// RELEASE_MODE=true and NPM_CONFIG_PROVENANCE=true), with this package's checks first:
//  1. the tag is the package.json version (tag 0.2.0 publishes version 0.2.0, nothing else);
//  2. package.json's repository.url is this GitHub repository: npm refuses a provenance
//     statement otherwise (and n8n's verification compares the two);
//  3. `npm test`: build, type-check, lint, unit and engine tests;
//  4. `npm publish` with a provenance statement (needs the workflow's `id-token: write`).
// Anywhere else it publishes nothing: packages published from a laptop carry no provenance, which
// n8n requires. `npm run release -- --dry-run` runs steps 3 and 4 with `npm publish --dry-run`
// (no provenance), to see what would be published.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dryRun = process.argv.includes('--dry-run');
const inActions = process.env.GITHUB_ACTIONS === 'true';

function stop(sentence) {
	process.stderr.write(`[release] ${sentence}\n`);
	process.exit(1);
}

/** "git+https://github.com/o/r.git" and "https://github.com/o/r" → "github.com/o/r" */
function normalizeRepositoryUrl(url) {
	return String(url ?? '')
		.trim()
		.replace(/^git\+/, '')
		.replace(/^(https?|ssh|git):\/\/(git@)?/, '')
		.replace(/^git@([^:]+):/, '$1/')
		.replace(/\.git$/, '')
		.replace(/\/$/, '')
		.toLowerCase();
}

function run(command, args, env = {}) {
	process.stderr.write(`[release] ${command} ${args.join(' ')}\n`);
	const result = spawnSync(command, args, {
		cwd: root,
		stdio: 'inherit',
		env: { ...process.env, ...env },
	});
	if (result.status !== 0) stop(`${command} ${args.join(' ')} failed (exit ${result.status}).`);
}

if (!inActions && !dryRun) {
	stop(
		'Releases are published by GitHub Actions (.github/workflows/publish.yml) when a version tag is pushed, so that npm records a provenance statement, which n8n requires: see RELEASING.md. `npm run release -- --dry-run` shows what would be published.',
	);
}

if (inActions) {
	const tag = process.env.GITHUB_REF_TYPE === 'tag' ? process.env.GITHUB_REF_NAME : undefined;
	if (tag !== pkg.version) {
		stop(
			`The tag is "${tag ?? '(none)'}" but package.json says version ${pkg.version}: tag the commit that sets the version, with exactly that version (RELEASING.md).`,
		);
	}
	const repository = `${process.env.GITHUB_SERVER_URL}/${process.env.GITHUB_REPOSITORY}`;
	const declared = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
	if (normalizeRepositoryUrl(declared) !== normalizeRepositoryUrl(repository)) {
		stop(
			`package.json's repository.url is "${declared ?? ''}", and npm accepts a provenance statement only when it names the repository that builds the package: set it to "git+${repository}.git" (RELEASING.md).`,
		);
	}
}

run('npm', ['test']);
run('npm', dryRun ? ['publish', '--dry-run'] : ['publish'], {
	RELEASE_MODE: 'true',
	...(inActions ? { NPM_CONFIG_PROVENANCE: 'true' } : {}),
});
process.stderr.write(
	`[release] ${dryRun ? 'dry run of' : 'published'} ${pkg.name}@${pkg.version}\n`,
);
