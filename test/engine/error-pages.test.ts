/**
 * Error pages keep their HTTP status: a gateway's or proxy's 502/503/504 page, or an empty or
 * non-JSON 4xx/5xx, is reported as "HTTP 502 Bad Gateway from <host>" (the error table's rows
 * "HTTP 4xx page" and "HTTP 5xx page") with the request ID from x-acs-request-id and the status
 * on the n8n error, never "HTTP error status". The SDK drops the status of such answers (it
 * throws a bare SyntaxError); the node's HTTP layer notes it (transport/http.ts).
 */
import type { Fault } from '../fake-ecs';
import { SAMPLE_INSTANCE } from '../fake-ecs';
import { workflowFixture } from './fixtures';
import { useEngine } from './setup';

const t = useEngine();
const sample = { region: 'cn-hangzhou', instanceId: SAMPLE_INSTANCE.InstanceId, maxAttempts: 1 };

it.each<[Fault, string]>([
	[{ kind: 'html', status: 502 }, '502 Bad Gateway'],
	[{ kind: 'html', status: 503 }, '503 Service Unavailable'],
	[{ kind: 'html', status: 504 }, '504 Gateway Timeout'],
	[{ kind: 'empty', status: 503 }, '503 Service Unavailable'],
	[{ kind: 'empty', status: 404 }, '404 Not Found'],
	[{ kind: 'html', status: 403 }, '403 Forbidden'],
	[{ kind: 'malformedJson', status: 500 }, '500 Internal Server Error'],
])('%j is reported as HTTP %s from the host', async (fault, status) => {
	t.fake.inject({ ...fault, action: 'DescribeManagedInstances' });
	const result = await t.harness.run(workflowFixture('instance-get-fast-timeout'), [sample]);
	const [item] = result.items('ECS');
	expect(item.json.error).toMatch(
		new RegExp(
			`^DescribeManagedInstances failed: HTTP ${status} from 127\\.0\\.0\\.1:\\d+ \\(request [0-9A-F-]{36}\\)$`,
		),
	);
	expect(item.error).toMatchObject({ httpCode: status.split(' ')[0] });
	expect(item.error?.description).toMatch(/not an ECS API response/);
});
