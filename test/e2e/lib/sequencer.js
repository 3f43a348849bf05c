/**
 * The e2e test order: jest's own (failed files first, then the slowest), with the queue-mode
 * suite last: it needs Redis, PostgreSQL and three n8n processes, and the issue asks for it to
 * run after the other end-to-end suites (.ci/run).
 */
const Sequencer = require('@jest/test-sequencer').default;

const LAST = /queue-mode\.test\.ts$/;

class E2eSequencer extends Sequencer {
	async sort(tests) {
		const sorted = await super.sort(tests);
		return [
			...sorted.filter((t) => !LAST.test(t.path)),
			...sorted.filter((t) => LAST.test(t.path)),
		];
	}
}

module.exports = E2eSequencer;
