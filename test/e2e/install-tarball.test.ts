/**
 * The README's "Install in your n8n" route for today (the package is not on npm yet), run as it
 * is written: the shell blocks marked `<!-- e2e: install-home -->`, `<!-- e2e: install-docker -->`
 * and `<!-- e2e: install-docker-existing -->` are read from README.md and run with bash, then an n8n installed separately (a pinned line from
 * ~/.cache, not this repository's node_modules) is started with n8n's own defaults and runs the
 * stale-server cleanup with the installed package.
 * - Step 1 of the README (`npm ci && npm run build`, `TGZ=$PWD/$(npm pack …)`) is what
 *   packBuiltPackage() does (`npm pack` of the built repository): `npm ci` here would replace the
 *   node_modules this test runs from. TGZ is set to that tarball.
 * - npm route (n8n 2.8.4): the block runs with N8N_USER_FOLDER set to a fresh folder (and HOME
 *   elsewhere); n8n runs without N8N_USER_FOLDER, with HOME at that folder.
 * - Docker route (n8n 2.41.1, the image's current 2.x line), without a Docker engine: `docker` is
 *   a shell function standing in for it. `docker run -v SRC:/home/node/.n8n …` links
 *   <container home>/.n8n to SRC (the bind mount), `docker exec n8n sh -c CMD` runs CMD as uid 1000
 *   (the image's user "node") with HOME and the working folder at <container home> (/home/node),
 *   `docker cp SRC n8n:/home/node/DIR/` copies SRC into <container home>/DIR as root, `docker
 *   restart` starts nothing: the test starts n8n with HOME=<container home> afterwards. The
 *   existing container's volume is a folder <container home>/.n8n owned by uid 1000.
 *   Not covered: the image, its Alpine userland and Node, Docker itself, n8n running as uid 1000.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { FakeEcs, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET } from '../fake-ecs';
import { seedDemo } from '../fake-ecs/seed';
import {
	REPO_ROOT,
	cleanNpmEnv,
	fakeEcsCredentials,
	findLine,
	listNodeTypes,
	loadWorkflow,
	makeUserFolder,
	nodeItems,
	packBuiltPackage,
	removePackedPackage,
	removeUserFolder,
	runWorkflow,
	selectedLineIds,
	setupOwner,
	startN8n,
	type N8nLine,
} from './lib';

const PACKAGE = 'n8n-nodes-alibaba-ecs';
const NODE_TYPE = `${PACKAGE}.alibabaEcs`;
const NODE_USER = 1000; // the user "node" of n8n's Docker image

/** The sh block that follows `<!-- e2e: NAME -->` in README.md. */
function readmeBlock(name: string): string {
	const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
	const at = readme.indexOf(`<!-- e2e: ${name} -->`);
	if (at < 0) throw new Error(`README.md has no <!-- e2e: ${name} --> block`);
	const block = /```sh\n([\s\S]*?)\n\s*```/.exec(readme.slice(at));
	if (!block) throw new Error(`README.md: no sh block after <!-- e2e: ${name} -->`);
	return block[1].replace(/^ {3}/gm, ''); // the blocks are indented in a list item
}

/** bash -euo pipefail: the README's lines after a prelude, with the environment of a shell user. */
function runBash(prelude: string, block: string, cwd: string, env: Record<string, string>) {
	const r = spawnSync('bash', ['-euo', 'pipefail', '-c', `${prelude}\n${block}`], {
		cwd,
		encoding: 'utf8',
		timeout: 600_000,
		env: cleanNpmEnv({ npm_config_update_notifier: 'false', ...env }),
	});
	if (r.status !== 0) {
		throw new Error(
			`the README block failed (exit ${r.status}):\n${block}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`,
		);
	}
	return r;
}

/** n8n's own community-package settings: none of the e2e defaults (n8nEnv) for them. */
const N8N_DEFAULTS = {
	N8N_COMMUNITY_PACKAGES_ENABLED: undefined,
	N8N_UNVERIFIED_PACKAGES_ENABLED: undefined,
	N8N_VERIFIED_PACKAGES_ENABLED: undefined,
	N8N_REINSTALL_MISSING_PACKAGES: undefined,
};

/** What the README promises after a restart: the editor lists the node; a workflow runs with it. */
async function expectN8nRunsThePackage(
	line: N8nLine,
	home: string,
	checkStartOutput: (output: string) => void = () => undefined,
): Promise<void> {
	const n8n = await startN8n({
		line,
		userFolder: home,
		env: { ...N8N_DEFAULTS, HOME: home, N8N_USER_FOLDER: undefined }, // n8n's default: ~/.n8n
	});
	try {
		const { cookie } = await setupOwner(n8n.url);
		expect(await listNodeTypes(n8n.url, cookie)).toContain(NODE_TYPE);
		checkStartOutput(n8n.output());
	} finally {
		await n8n.stop();
	}

	const fake = await FakeEcs.start();
	try {
		// offline for more than 30 days: here nothing brings the demo's lab-nuc-03 back, so it goes too
		const account = seedDemo(fake.state);
		const stale = [...account.offlineOver30Days, account.comesBack].sort();
		expect(stale.length).toBeGreaterThan(0);
		// $HOME/.n8n is the folder the README installed into (N8N_USER_FOLDER=$HOME is the same place)
		const r = await runWorkflow({
			line,
			userFolder: home,
			credentials: fakeEcsCredentials(fake.url, {
				accessKeyId: TEST_ACCESS_KEY_ID,
				accessKeySecret: TEST_ACCESS_KEY_SECRET,
			}),
			workflow: loadWorkflow('stale-cleanup'),
			env: N8N_DEFAULTS,
		});
		if (r.exitCode !== 0)
			throw new Error(`n8n execute exited ${r.exitCode}\n${r.stdout.slice(-3000)}`);
		const removed = nodeItems(r.run, 'Deregister if still offline')
			.filter((i) => i.Deregistered === true)
			.map((i) => i.InstanceId as string);
		expect(removed.sort()).toEqual(stale);
		expect(fake.requests.length).toBeGreaterThan(stale.length);
		expect(fake.requests.every((q) => q.signatureValid)).toBe(true);
	} finally {
		await fake.close();
	}
}

function expectInstalled(nodesDir: string): void {
	const pkg = JSON.parse(
		fs.readFileSync(path.join(nodesDir, 'node_modules', PACKAGE, 'package.json'), 'utf8'),
	) as { version: string };
	const repo = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
		version: string;
	};
	expect(pkg.version).toBe(repo.version);
	// its runtime dependencies came along; n8n-workflow (a peer) did not: n8n provides it
	expect(fs.existsSync(path.join(nodesDir, 'node_modules', '@alicloud', 'ecs20140526'))).toBe(true);
	expect(fs.existsSync(path.join(nodesDir, 'node_modules', 'n8n-workflow'))).toBe(false);
}

/** The `docker` stand-in (see the file's comment): the commands the README's Docker blocks use. */
const DOCKER = `
docker() {
	case "$1" in
	run)
		local mount=""
		while [ $# -gt 0 ]; do
			if [ "$1" = -v ]; then mount="$2"; shift; fi
			shift
		done
		case "$mount" in
		*:/home/node/.n8n) ln -s "\${mount%:/home/node/.n8n}" "$CONTAINER_HOME/.n8n" ;;
		*) echo "docker run: expected -v <folder>:/home/node/.n8n, got '$mount'" >&2; return 1 ;;
		esac ;;
	exec)
		[ "$2" = n8n ] || { echo "docker exec: expected the container n8n" >&2; return 1; }
		shift 2
		# the container's npm has its own cache and user config (a parent npm exports root's)
		(cd "$CONTAINER_HOME" && HOME="$CONTAINER_HOME" env -u npm_config_cache -u npm_config_userconfig \\
			setpriv --reuid=${NODE_USER} --regid=${NODE_USER} --clear-groups "$@") ;;
	cp)
		# docker cp SRC n8n:DIR/: DIR must exist. The copy's owner is root (Docker's docs) or the host
		# user (docker/for-mac#5329): here root, the case where only reading it is possible for uid 1000
		case "$3" in
		n8n:/home/node/*) cp "$2" "$CONTAINER_HOME/\${3#n8n:/home/node/}" ;;
		*) echo "docker cp: expected n8n:/home/node/<path>, got '$3'" >&2; return 1 ;;
		esac ;;
	restart) [ "$2" = n8n ] ;;
	*) echo "docker $1: not expected in the README" >&2; return 1 ;;
	esac
}`;

const lines = selectedLineIds();
const describeHome = lines.includes('n8n2-node20') ? describe : describe.skip;
const describeDocker = lines.includes('n8n2-node24') ? describe : describe.skip;

function installedLine(id: string): N8nLine {
	const line = findLine(id);
	if (!line) throw new Error(`line ${id} is not installed`);
	return line;
}

let tarball: string;
beforeAll(() => {
	tarball = packBuiltPackage(); // README step 1
});
afterAll(() => removePackedPackage(tarball));

describeHome('README: install the tarball into ~/.n8n/nodes (n8n installed with npm)', () => {
	let home: string;
	afterAll(() => home && removeUserFolder(home));

	it('installs as written, and n8n 2.8.4 with its default settings lists the node and runs a workflow with it', async () => {
		const line = installedLine('n8n2-node20');
		home = makeUserFolder('e2e-readme-home-');
		// The block honours N8N_USER_FOLDER: set here, with the shell's HOME elsewhere; n8n then
		// runs with its default (HOME=<that folder>, no N8N_USER_FOLDER), the same user folder.
		const shellHome = path.join(home, 'shell-home');
		fs.mkdirSync(shellHome);
		runBash('', readmeBlock('install-home'), REPO_ROOT, {
			HOME: shellHome,
			N8N_USER_FOLDER: home,
			TGZ: tarball,
		});
		expect(fs.existsSync(path.join(shellHome, '.n8n'))).toBe(false);
		expectInstalled(path.join(home, '.n8n', 'nodes'));
		await expectN8nRunsThePackage(line, home);
	});
});

describeDocker(
	'README: the Docker route (mounted n8n-data, npm in the container), without Docker',
	() => {
		let root: string;
		afterAll(() => root && removeUserFolder(root));

		it('installs as written, as uid 1000 into the mounted folder, and n8n 2.41.1 lists the node and runs a workflow with it', async () => {
			const line = installedLine('n8n2-node24');
			root = makeUserFolder('e2e-readme-docker-');
			fs.chmodSync(root, 0o755); // (mkdtemp makes it 0700: uid 1000 must get through)
			const workdir = path.join(root, 'project'); // where the person runs the commands
			const containerHome = path.join(root, 'home-node'); // stands in for /home/node
			fs.mkdirSync(workdir);
			fs.mkdirSync(containerHome);
			fs.chownSync(containerHome, NODE_USER, NODE_USER);
			const block = readmeBlock('install-docker');
			expect(block).toMatch(/^docker run .*-v "\$PWD\/n8n-data:\/home\/node\/\.n8n" /m);
			runBash(DOCKER, block, workdir, { HOME: root, TGZ: tarball, CONTAINER_HOME: containerHome });

			// the block works in ~/n8n, a data folder of its own, not where it was started
			const dataDir = path.join(root, 'n8n');
			const nodesDir = path.join(dataDir, 'n8n-data', 'nodes');
			expectInstalled(nodesDir);
			// written by the container's user, so that n8n (uid 1000) can update it later
			expect(fs.statSync(path.join(nodesDir, 'node_modules', PACKAGE)).uid).toBe(NODE_USER);
			expect(fs.realpathSync(path.join(containerHome, '.n8n'))).toBe(
				fs.realpathSync(path.join(dataDir, 'n8n-data')),
			);
			// the README's n8n 3.0 paragraph: 2.41 warns that this default changes
			await expectN8nRunsThePackage(line, containerHome, (output) =>
				expect(output).toContain(
					'N8N_UNVERIFIED_PACKAGES_ENABLED -> The default for this variable will change to `false` in a future version. Set it to `true` explicitly to keep installing unverified community packages.',
				),
			);
		});

		it('an existing container: installs as written into its user folder (a volume), as uid 1000, and n8n 2.41.1 lists the node and runs a workflow with it', async () => {
			const line = installedLine('n8n2-node24');
			const existing = makeUserFolder('e2e-readme-docker-existing-');
			try {
				fs.chmodSync(existing, 0o755);
				const containerHome = path.join(existing, 'home-node');
				const volume = path.join(containerHome, '.n8n'); // the volume n8n_data, as n8n left it
				fs.mkdirSync(volume, { recursive: true });
				fs.chownSync(containerHome, NODE_USER, NODE_USER);
				fs.chownSync(volume, NODE_USER, NODE_USER);
				const block = readmeBlock('install-docker-existing');
				expect(block).toMatch(/^docker cp "\$TGZ" n8n:\/home\/node\/\.n8n\/nodes\/$/m);
				runBash(DOCKER, block, existing, {
					HOME: existing,
					TGZ: tarball,
					CONTAINER_HOME: containerHome,
				});

				const nodesDir = path.join(volume, 'nodes');
				expectInstalled(nodesDir);
				expect(fs.statSync(nodesDir).uid).toBe(NODE_USER);
				expect(fs.statSync(path.join(nodesDir, 'node_modules', PACKAGE)).uid).toBe(NODE_USER);
				await expectN8nRunsThePackage(line, containerHome);
			} finally {
				removeUserFolder(existing);
			}
		});
	},
);
