// A require hook for an n8n process under test: `NODE_OPTIONS=--require <this file>` with
// MODULE_LOAD_LOG=<file> and MODULE_LOAD_LOG_MATCH=<folder> appends one line per CommonJS module
// the process loads from under that folder (a community package and its dependencies):
//   <ms since the process started> <pid> <depth> <ms spent loading it, nested loads included> <path>
// depth 0 = required by code outside the folder (n8n), so the depth-0 times add up to what the
// folder cost the process. Plain JavaScript, loaded by whichever Node the n8n line runs on.
'use strict';

const fs = require('node:fs');
const Module = require('node:module');

const logFile = process.env.MODULE_LOAD_LOG;
const match = process.env.MODULE_LOAD_LOG_MATCH;

if (logFile && match) {
	const load = Module.prototype.load;
	let depth = 0;
	Module.prototype.load = function (filename) {
		if (typeof filename !== 'string' || !filename.startsWith(match)) {
			return load.apply(this, arguments);
		}
		const start = performance.now();
		const myDepth = depth++;
		try {
			return load.apply(this, arguments);
		} finally {
			depth--;
			const spent = performance.now() - start;
			fs.appendFileSync(
				logFile,
				`${start.toFixed(1)} ${process.pid} ${myDepth} ${spent.toFixed(3)} ${filename}\n`,
			);
		}
	};
}
