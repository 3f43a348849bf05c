/**
 * One temporary folder per jest run, removed when the run ends. Each test file makes its own
 * N8N_USER_FOLDER inside it (env.ts), so nothing is left in the system temp folder afterwards.
 * globalSetup runs in jest's parent process before any worker starts, so the workers inherit
 * the variable; globalTeardown runs after every test file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const RUN_FOLDER_VARIABLE = 'N8N_ALIBABA_ECS_JEST_RUN_FOLDER';

export function createRunFolder(): void {
	process.env[RUN_FOLDER_VARIABLE] = mkdtempSync(join(tmpdir(), 'n8n-alibaba-ecs-jest-'));
}

export function removeRunFolder(): void {
	const folder = process.env[RUN_FOLDER_VARIABLE];
	if (folder) rmSync(folder, { recursive: true, force: true, maxRetries: 3 });
	delete process.env[RUN_FOLDER_VARIABLE];
}
