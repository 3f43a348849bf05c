/** The machine a benchmark ran on, for the report header. */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

export interface Machine {
	/** Share of time in which some runnable task waited for a CPU, last 60 s (Linux PSI). */
	cpuPressure: string;
	cpus: number;
	cpuModel: string;
	node: string;
	date: string;
	load: string;
}

function cpuModel(): string {
	try {
		const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
		if (match) return match[1].trim();
	} catch {
		// not Linux: fall through
	}
	return 'unknown';
}

function cpuPressure(): string {
	try {
		const match = /^some .*avg60=([\d.]+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
		if (match) return `${match[1]}%`;
	} catch {
		// no PSI
	}
	return 'n/a';
}

export function machine(): Machine {
	return {
		cpuPressure: cpuPressure(),
		cpus: availableParallelism(),
		cpuModel: cpuModel(),
		node: process.version,
		date: new Date().toISOString(),
		load: loadavg()
			.map((l) => l.toFixed(2))
			.join(' '),
	};
}

export function machineLine(): string {
	const m = machine();
	return `${m.cpus} CPUs (${m.cpuModel}), Node ${m.node}, ${m.date}, load average ${m.load}, CPU pressure (some, avg60) ${m.cpuPressure}`;
}
