/**
 * docs/ERRORS.md and the README's error advice are generated from the one error table
 * (transport/errorCodes.ts): this fails when either has drifted from it. The check runs as its
 * own process (`tsx scripts/error-table.ts --check`): it formats with prettier, whose ESM
 * loading jest's module system does not support.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

it('docs/ERRORS.md and the README say what the error table says (npm run docs:errors)', () => {
	const check = spawnSync(
		process.execPath,
		[join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/error-table.ts', '--check'],
		{ cwd: ROOT, encoding: 'utf8' },
	);
	expect(check.stderr).toBe('');
	expect(check.status).toBe(0);
}, 30_000);
