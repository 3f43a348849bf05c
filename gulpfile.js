// Copies the non-TypeScript assets of nodes and credentials (icons, codex
// JSON) next to the compiled files in dist/, where n8n looks for them.
const path = require('node:path');
const { src, dest, task } = require('gulp');

function copyAssets() {
	return src(['nodes/**/*.{svg,png,json}', 'credentials/**/*.{svg,png,json}'], {
		base: '.',
		encoding: false,
	}).pipe(dest(path.resolve(__dirname, 'dist')));
}

task('build:assets', copyAssets);
