/**
 * This package in a real n8n: its type names, the workflows under test/e2e/workflows, the
 * credentials those workflows reference, and a user folder prepared with all of them.
 */
import * as fs from 'fs';
import * as path from 'path';

import {
	importCredentials,
	importWorkflows,
	type CredentialInput,
	type WorkflowInput,
} from './cli';
import { installPackageInto, packPackage, type InstalledPackage } from './community-package';
import { makeUserFolder } from './env';
import { REPO_ROOT, type N8nLine } from './lines';

export const PACKAGE_NAME = 'n8n-nodes-alibaba-ecs';
export const NODE_TYPE = `${PACKAGE_NAME}.alibabaEcs`;
export const TRIGGER_NODE_TYPE = `${PACKAGE_NAME}.alibabaEcsTrigger`;
export const CREDENTIAL_TYPE = 'alibabaCloudAccessKeyApi';
export const WORKFLOWS_DIR = path.join(REPO_ROOT, 'test', 'e2e', 'workflows');

/**
 * This package as users get it: `npm pack` of the built repository into a temporary folder
 * (remove it with removePackedPackage). dist/ must exist: the tarball holds nothing else.
 */
export function packBuiltPackage(): string {
	assertBuilt();
	return packPackage(REPO_ROOT);
}

/** Fails unless `npm run build` has compiled the package into dist/. */
export function assertBuilt(): void {
	const built = path.join(REPO_ROOT, 'dist', 'nodes', 'AlibabaEcs', 'AlibabaEcs.node.js');
	if (!fs.existsSync(built)) throw new Error(`${built} is missing: run npm run build first`);
}

/** Removes a tarball made by packBuiltPackage, with its temporary folder. */
export function removePackedPackage(tarball: string | undefined): void {
	if (tarball) fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
}

/** The credential ids (and names) the workflows under test/e2e/workflows reference. */
export const CREDENTIALS = {
	accessKey: { id: 'e2eFakeEcsKey001', name: 'Alibaba Cloud (fake ECS)' },
	sts: { id: 'e2eFakeEcsSts001', name: 'Alibaba Cloud (fake ECS, STS token)' },
} as const;

export interface AccessKey {
	accessKeyId: string;
	accessKeySecret: string;
	securityToken?: string;
}

/**
 * The plaintext credentials for `n8n import:credentials`, pointing at a fake ECS endpoint
 * (`http://127.0.0.1:PORT`): the AccessKey one, and the STS one when a session is given.
 */
export function fakeEcsCredentials(
	endpoint: string,
	accessKey: AccessKey,
	sts?: AccessKey,
	defaultRegionId = 'cn-hangzhou',
): CredentialInput[] {
	const credential = (ref: { id: string; name: string }, key: AccessKey): CredentialInput => ({
		...ref,
		type: CREDENTIAL_TYPE,
		// only these fields: an STS session object also carries roleArn, which would make the
		// node assume that role through sts.aliyuncs.com
		data: {
			accessKeyId: key.accessKeyId,
			accessKeySecret: key.accessKeySecret,
			...(key.securityToken ? { securityToken: key.securityToken } : {}),
			endpoint,
			defaultRegionId,
		},
	});
	const list = [credential(CREDENTIALS.accessKey, accessKey)];
	if (sts) list.push(credential(CREDENTIALS.sts, sts));
	return list;
}

/** A workflow of test/e2e/workflows by file name (without .json). */
export function loadWorkflow(name: string): WorkflowInput & { id: string; name: string } {
	const file = path.join(WORKFLOWS_DIR, `${name}.json`);
	return JSON.parse(fs.readFileSync(file, 'utf8')) as WorkflowInput & { id: string; name: string };
}

export function workflowNames(): string[] {
	return fs
		.readdirSync(WORKFLOWS_DIR)
		.filter((f) => f.endsWith('.json'))
		.map((f) => f.slice(0, -'.json'.length))
		.sort();
}

export interface PreparedUserFolder {
	userFolder: string;
	pkg: InstalledPackage;
	/** the imported workflows, with the ids they got */
	workflows: Array<WorkflowInput & { id: string }>;
	seconds: { install: number; credentials: number; workflows: number };
}

/**
 * A user folder as a user would have it: the package installed from the tarball into
 * .n8n/nodes, the credentials imported (one n8n boot), the workflows imported (one n8n boot).
 */
export async function prepareUserFolder(o: {
	line: N8nLine;
	tarball: string;
	credentials: CredentialInput[];
	workflows: WorkflowInput[];
	userFolder?: string;
}): Promise<PreparedUserFolder> {
	const userFolder = o.userFolder ?? makeUserFolder(`e2e-${o.line.id}-`);
	let t = Date.now();
	const pkg = installPackageInto(userFolder, o.tarball, { line: o.line });
	const install = (Date.now() - t) / 1000;
	t = Date.now();
	if (o.credentials.length) await importCredentials(o.line, userFolder, o.credentials);
	const credentials = (Date.now() - t) / 1000;
	t = Date.now();
	const imported = o.workflows.length ? await importWorkflows(o.line, userFolder, o.workflows) : [];
	const workflows = (Date.now() - t) / 1000;
	return { userFolder, pkg, workflows: imported, seconds: { install, credentials, workflows } };
}
