/**
 * The fake ECS endpoint in a process of its own (started by ./fake.ts), so that
 * its work (signature verification, JSON) is not counted against the client
 * being measured, as with a real remote endpoint. Commands arrive over IPC.
 */
import { FakeEcs, type FakeEcsOptions } from '../../test/fake-ecs';
import type { FakeCommand, FakeReply, FakeStats } from './fake';

let cpuMark = process.cpuUsage();

/** Fresh counters; the CPU time the fake's process used is counted from here. */
function emptyStats(): FakeStats {
	cpuMark = process.cpuUsage();
	return {
		requests: 0,
		ok: 0,
		invalidSignatures: 0,
		byAccessKey: {},
		byCode: {},
		byAction: {},
		cpuMs: 0,
	};
}

async function main(): Promise<void> {
	const options = JSON.parse(process.argv[2] ?? '{}') as FakeEcsOptions;
	let stats = emptyStats();
	const fake = await FakeEcs.start({
		...options,
		maxRecordedRequests: 20,
		onRequest: (request) => {
			const now = performance.timeOrigin + performance.now();
			stats.firstAnswerAt ??= now;
			stats.lastAnswerAt = now;
			stats.requests++;
			if (request.status === 200) stats.ok++;
			if (!request.signatureValid) stats.invalidSignatures++;
			const key = request.accessKeyId ?? '-';
			stats.byAccessKey[key] = (stats.byAccessKey[key] ?? 0) + 1;
			if (request.code) stats.byCode[request.code] = (stats.byCode[request.code] ?? 0) + 1;
			stats.byAction[request.action] = (stats.byAction[request.action] ?? 0) + 1;
		},
	});

	const reply = (message: FakeReply) => {
		if (process.connected) process.send?.(message);
	};
	// The parent went away (finished or crashed): nothing left to serve.
	process.on('disconnect', () => void fake.close().then(() => process.exit(0)));
	process.on('message', (command: FakeCommand) => {
		try {
			switch (command.cmd) {
				case 'prepare': {
					if (command.reset) fake.reset();
					const ids: string[] = [];
					for (const [regionId, count] of Object.entries(command.instances)) {
						for (const instance of fake.state.addInstances(count, { RegionId: regionId }))
							ids.push(instance.InstanceId);
					}
					stats = emptyStats();
					reply({ id: command.id, ids });
					break;
				}
				case 'stats': {
					const cpu = process.cpuUsage(cpuMark);
					stats.cpuMs = (cpu.user + cpu.system) / 1000;
					reply({ id: command.id, stats });
					stats = emptyStats();
					break;
				}
				case 'close': {
					void fake.close().then(() => {
						reply({ id: command.id });
						process.exit(0);
					});
					break;
				}
			}
		} catch (error) {
			reply({ id: command.id, error: (error as Error).stack ?? String(error) });
		}
	});
	reply({ id: 0, url: fake.url, host: fake.host });
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
