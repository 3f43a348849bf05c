/** Starts bench/lib/fake-process.ts (the fake ECS endpoint in its own process) and talks to it. */
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

import type { FakeEcsOptions } from '../../test/fake-ecs';
import { PACKAGE_ROOT } from './paths';

export interface FakeStats {
	requests: number;
	ok: number;
	invalidSignatures: number;
	byAccessKey: Record<string, number>;
	byCode: Record<string, number>;
	/** Requests per API action. */
	byAction: Record<string, number>;
	/** CPU time of the fake's process over the same span (it does nothing else). */
	cpuMs: number;
	/** When the first and the last answer were sent (performance.timeOrigin + now(), ms). */
	firstAnswerAt?: number;
	lastAnswerAt?: number;
}

/** The current time on the clock of FakeStats' timestamps. */
export function clock(): number {
	return performance.timeOrigin + performance.now();
}

export type FakeCommand =
	| { id: number; cmd: 'prepare'; reset: boolean; instances: Record<string, number> }
	| { id: number; cmd: 'stats' }
	| { id: number; cmd: 'close' };

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export interface FakeReply {
	id: number;
	error?: string;
	url?: string;
	host?: string;
	ids?: string[];
	stats?: FakeStats;
}

/** Options that can cross a process boundary (no functions). */
export type RemoteFakeOptions = Pick<
	FakeEcsOptions,
	'latencyMs' | 'seed' | 'accessKeys' | 'seedSample'
>;

export class RemoteFake {
	private nextId = 1;
	private readonly pending = new Map<number, (reply: FakeReply) => void>();

	private constructor(
		private readonly child: ChildProcess,
		readonly url: string,
		readonly host: string,
	) {
		child.on('message', (reply: FakeReply) => {
			const resolve = this.pending.get(reply.id);
			this.pending.delete(reply.id);
			resolve?.(reply);
		});
	}

	static async start(options: RemoteFakeOptions = {}): Promise<RemoteFake> {
		const child = fork(join(__dirname, 'fake-process.ts'), [JSON.stringify(options)], {
			cwd: PACKAGE_ROOT,
			execArgv: ['--import', 'tsx'],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		const ready = await new Promise<FakeReply>((resolve, reject) => {
			child.once('message', resolve);
			child.once('exit', (code) => reject(new Error(`fake ECS process exited with ${code}`)));
		});
		return new RemoteFake(child, ready.url as string, ready.host as string);
	}

	private async send(command: WithoutId<FakeCommand>): Promise<FakeReply> {
		const id = this.nextId++;
		const reply = await new Promise<FakeReply>((resolve) => {
			this.pending.set(id, resolve);
			this.child.send({ ...command, id });
		});
		if (reply.error) throw new Error(`fake ECS: ${reply.error}`);
		return reply;
	}

	/** Optionally resets the account, then adds generated instances per region; returns their IDs. */
	async prepare(instances: Record<string, number>, reset = true): Promise<string[]> {
		return (await this.send({ cmd: 'prepare', reset, instances })).ids ?? [];
	}

	/** Counts since the last prepare() or stats() call. */
	async stats(): Promise<FakeStats> {
		return (await this.send({ cmd: 'stats' })).stats as FakeStats;
	}

	/** Throws unless exactly `expected` requests were answered 200 with valid signatures. */
	async expectAllOk(expected: number, what: string): Promise<FakeStats> {
		const stats = await this.stats();
		if (stats.requests !== expected || stats.ok !== expected || stats.invalidSignatures !== 0) {
			throw new Error(`${what}: fake saw ${JSON.stringify(stats)}, expected ${expected} OK`);
		}
		return stats;
	}

	async close(): Promise<void> {
		await this.send({ cmd: 'close' });
		await new Promise<void>((resolve) => {
			if (this.child.exitCode !== null) resolve();
			else this.child.once('exit', () => resolve());
		});
	}
}
