// A require hook for bench/n8n-boot.ts: `NODE_OPTIONS=--require <this file>` with
// LOADER_TIMING_LOG=<file> times each call of n8n-core's LazyPackageDirectoryLoader.loadAll (the
// step in which n8n's loadNodesFromNodeModules takes one package, lazily or, falling back,
// eagerly) and appends one line per call:
//   <pid> <package name> <lazy|eager> <wall ms> <process CPU ms>
// CPU is the whole process's (process.cpuUsage) over the call, which awaits file reads: whatever
// else n8n runs meanwhile is counted too, so the figure is an upper bound. Plain JavaScript.
'use strict';

const fs = require('node:fs');
const Module = require('node:module');

const logFile = process.env.LOADER_TIMING_LOG;

if (logFile) {
	const load = Module._load;
	let patched = false;
	Module._load = function (request) {
		const exported = load.apply(this, arguments);
		if (!patched && request === 'n8n-core' && exported && exported.LazyPackageDirectoryLoader) {
			patched = true;
			const proto = exported.LazyPackageDirectoryLoader.prototype;
			const loadAll = proto.loadAll;
			proto.loadAll = async function () {
				const wall = performance.now();
				const cpu = process.cpuUsage();
				try {
					return await loadAll.apply(this, arguments);
				} finally {
					const used = process.cpuUsage(cpu);
					fs.appendFileSync(
						logFile,
						`${process.pid} ${this.packageName} ${this.isLazyLoaded ? 'lazy' : 'eager'} ${(performance.now() - wall).toFixed(3)} ${((used.user + used.system) / 1000).toFixed(3)}\n`,
					);
				}
			};
		}
		return exported;
	};
}
