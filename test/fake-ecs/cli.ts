/**
 * Standalone fake ECS endpoint for `npm run dev` / `npm run demo` and manual testing:
 *   npx tsx test/fake-ecs/cli.ts [--port N] [--seed N] [--latency ms] [--https]
 * Prints one JSON line (endpoint and test keys) on stdout when ready, one line per request on
 * stderr (never a secret, token or activation code), and stops on SIGINT/SIGTERM.
 */
import { seedDemo } from './seed';
import {
	FakeEcs,
	TEST_ACCESS_KEY_ID,
	TEST_ACCESS_KEY_SECRET,
	TEST_ROLE_ARN,
	type RecordedRequest,
} from './server';

function parseArgs(argv: string[]): {
	port?: number;
	seed?: number;
	latency?: number;
	https: boolean;
} {
	const args: { port?: number; seed?: number; latency?: number; https: boolean } = { https: false };
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		if (flag === '--https') {
			args.https = true;
			continue;
		}
		const key = ({ '--port': 'port', '--seed': 'seed', '--latency': 'latency' } as const)[
			flag as '--port'
		];
		const value = Number(argv[++i]);
		if (!key || !Number.isInteger(value) || value < 0) {
			process.stderr.write(
				`usage: cli.ts [--port N] [--seed N] [--latency ms] [--https] (bad: ${flag})\n`,
			);
			process.exit(2);
		}
		args[key] = value;
	}
	return args;
}

function logLine(r: RecordedRequest): string {
	const signature = `${r.signatureScheme}:${r.signatureValid ? 'valid' : 'INVALID'}`;
	const outcome = r.status === 0 ? 'no-answer' : String(r.status);
	const extras = [r.code, r.fault && `fault=${r.fault}`, r.replayed && 'replayed']
		.filter(Boolean)
		.join(' ');
	return `${new Date().toISOString()} ${r.action || '-'} ${outcome} ${extras || 'OK'} sig=${signature} key=${r.accessKeyId ?? '-'} id=${r.requestId}\n`;
}

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	const fake = await FakeEcs.start({
		port: args.port,
		seed: args.seed,
		latencyMs: args.latency,
		https: args.https,
		maxRecordedRequests: 1000,
		onRequest: (r) => process.stderr.write(logLine(r)),
	});
	seedDemo(fake.state);
	const ready = {
		endpoint: fake.url,
		host: fake.host,
		accessKeyId: TEST_ACCESS_KEY_ID,
		accessKeySecret: TEST_ACCESS_KEY_SECRET,
		region: 'cn-hangzhou',
		...(args.https
			? {
					httpsEndpoint: fake.httpsUrl,
					httpsHost: fake.httpsHost,
					caCertPath: FakeEcs.caCertPath,
					roleArn: TEST_ROLE_ARN,
				}
			: {}),
	};
	process.stdout.write(`${JSON.stringify(ready)}\n`);

	const stop = (signal: string) => {
		process.stderr.write(`${signal}: stopping fake ECS\n`);
		fake.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.once('SIGINT', () => stop('SIGINT'));
	process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
	process.stderr.write(`fake ECS failed to start: ${(err as Error).stack ?? String(err)}\n`);
	process.exit(1);
});
