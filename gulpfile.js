// Copies the non-TypeScript assets of nodes and credentials (icons, codex
// JSON) next to the compiled files in dist/, where n8n looks for them, then
// writes the metadata n8n's lazy loader reads (scripts/n8n-metadata.js), which
// needs the compiled classes and the copied codex files.
const path = require('node:path');
const { src, dest, series, task } = require('gulp');

const { writeMetadata } = require('./scripts/n8n-metadata');

function copyAssets() {
	return src(['nodes/**/*.{svg,png,json}', 'credentials/**/*.{svg,png,json}'], {
		base: '.',
		encoding: false,
	}).pipe(dest(path.resolve(__dirname, 'dist')));
}

async function lazyLoadingMetadata() {
	await writeMetadata(__dirname);
}

task('build:assets', copyAssets);
task('build:metadata', lazyLoadingMetadata);
task('build', series(copyAssets, lazyLoadingMetadata));
