// The four files n8n's lazy loader reads instead of requiring a package's code at start-up:
//
//   dist/known/nodes.json        { <node name>: { className, sourcePath } }
//   dist/known/credentials.json  { <credential name>: { className, sourcePath, extends?, supportedNodes } }
//   dist/types/nodes.json        [ <node description, one per node version> ]
//   dist/types/credentials.json  [ <credential type> ]
//
// n8n (load-nodes-and-credentials.ts, loadNodesFromNodeModules) loads every package in
// ~/.n8n/nodes/node_modules with n8n-core's LazyPackageDirectoryLoader: when all four files parse,
// it registers the package from them and requires a node's or credential's file only when a
// workflow, the editor or a credential test needs that class; otherwise it falls back to
// PackageDirectoryLoader, which requires every file listed in package.json's "n8n" section.
//
// The content is computed by that fallback itself: n8n-core's PackageDirectoryLoader (the
// devDependency, the n8n-core of n8n 2.8.4) loads the built classes listed in package.json and
// we write down what it registered (descriptions with icon URLs, codex, package version and
// load-options method names; credentials with their supported nodes). So the lazy path hands n8n
// what the eager path would have computed, nodes added to package.json later are picked up, and
// nothing is kept by hand. n8n's own node packages get theirs from n8n-core's
// `n8n-generate-metadata` the same way (it also writes methods/*.json, which n8n does not read
// at run time, and drops __loadOptionsMethods, which the eager path keeps: we keep everything
// the eager path produces, so that both paths give the editor the same descriptions).
//
// Used by gulpfile.js (build) and test/unit/n8n-metadata.test.ts (the files match the classes).
// `node scripts/n8n-metadata.js [--check]` writes them, or exits 1 when dist/ differs.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const METADATA_FILES = [
	'known/nodes.json',
	'known/credentials.json',
	'types/nodes.json',
	'types/credentials.json',
];

/** n8n's layout for these files: an array one entry per line, an object indented. */
function formatJson(data) {
	return Array.isArray(data)
		? `[\n${data.map((entry) => JSON.stringify(entry)).join(',\n')}\n]\n`
		: `${JSON.stringify(data, null, 2)}\n`;
}

/**
 * Loads the built package at `packageDir` with n8n-core's eager PackageDirectoryLoader and
 * returns the text of each metadata file, keyed by its path under dist/ (METADATA_FILES).
 * Throws what the loader throws (a listed file missing, a class not named like its file).
 */
async function computeMetadata(packageDir) {
	// n8n-core is heavy and only a devDependency: load it on use, never from the package itself.
	const { PackageDirectoryLoader } = require('n8n-core');
	const loader = new PackageDirectoryLoader(packageDir);
	await loader.loadAll();
	const { known, types } = loader;
	const contents = {
		'known/nodes.json': known.nodes,
		'known/credentials.json': known.credentials,
		'types/nodes.json': types.nodes,
		'types/credentials.json': types.credentials,
	};
	return Object.fromEntries(METADATA_FILES.map((file) => [file, formatJson(contents[file])]));
}

/** Writes the metadata files into `packageDir`/dist; returns their paths. */
async function writeMetadata(packageDir) {
	const files = await computeMetadata(packageDir);
	return Object.entries(files).map(([file, text]) => {
		const target = path.join(packageDir, 'dist', file);
		fs.mkdirSync(path.dirname(target), { recursive: true });
		fs.writeFileSync(target, text);
		return target;
	});
}

/** The metadata files under `packageDir`/dist that are missing or differ from the classes. */
async function staleMetadata(packageDir) {
	const files = await computeMetadata(packageDir);
	return Object.entries(files)
		.filter(([file, text]) => {
			const target = path.join(packageDir, 'dist', file);
			return !fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== text;
		})
		.map(([file]) => `dist/${file}`);
}

module.exports = { METADATA_FILES, computeMetadata, writeMetadata, staleMetadata };

if (require.main === module) {
	const packageDir = path.resolve(__dirname, '..');
	const check = process.argv.includes('--check');
	(check ? staleMetadata(packageDir) : writeMetadata(packageDir)).then(
		(files) => {
			if (check && files.length > 0) {
				process.stderr.write(`stale (run npm run build): ${files.join(', ')}\n`);
				process.exit(1);
			}
		},
		(error) => {
			process.stderr.write(`${error.stack ?? error}\n`);
			process.exit(1);
		},
	);
}
