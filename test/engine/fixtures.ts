/** Loads fixture workflows and expected outputs from test/fixtures. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import type { WorkflowJson } from './harness';

const FIXTURES = join(__dirname, '../fixtures');

export function workflowFixture(name: string): WorkflowJson {
	return JSON.parse(
		readFileSync(join(FIXTURES, 'workflows', `${name}.json`), 'utf8'),
	) as WorkflowJson;
}

export function expectedFixture(name: string): IDataObject {
	return JSON.parse(
		readFileSync(join(FIXTURES, 'expected', `${name}.json`), 'utf8'),
	) as IDataObject;
}

/** The stored credential id every fixture workflow references. */
export const FIXTURE_CREDENTIAL_ID = 'cred-1';
