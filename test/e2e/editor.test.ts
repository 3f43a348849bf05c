/**
 * The editor, in a real browser: `n8n start` (n8n 2.8.4) on 127.0.0.1 with the package installed
 * from its tarball, the owner created through the REST API, and Debian's chromium driven by
 * playwright-core: sign in, add "Alibaba Cloud ECS" from the node panel, open it, create an
 * "Alibaba Cloud AccessKey API" credential pointing at the fake ECS endpoint and test it (success,
 * a clock 20 minutes off, and a wrong secret), load the Region and Instance lists, run the step.
 * Screenshots: test-results/e2e/*.png, and docs/*.png with E2E_UPDATE_SCREENSHOTS=1.
 * Needs `npm run build` and chromium (bash scripts/ensure-chromium.sh).
 */
import * as crypto from 'crypto';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

import { MANAGED_INSTANCE_REGION_IDS } from '../../nodes/AlibabaEcs/transport/regions';
import { FakeEcs, SAMPLE_INSTANCE, TEST_ACCESS_KEY_ID } from '../fake-ecs';
import { seedDemo, type DemoAccount } from '../fake-ecs/seed';
import {
	CREDENTIAL_TYPE,
	DEFAULT_OWNER,
	findLine,
	launchChromium,
	loadWorkflow,
	packBuiltPackage,
	removePackedPackage,
	prepareUserFolder,
	removeUserFolder,
	request,
	saveScreenshot,
	selectedLineIds,
	setupOwner,
	startN8n,
	waitForStill,
	waitUntil,
	type RunningN8n,
} from './lib';

const LINE_ID = 'n8n2-node20'; // the browser test runs on n8n 2.8.4 only
const SECRET = crypto.randomBytes(22).toString('base64url').slice(0, 30);
const WRONG_SECRET = `wrong-${crypto.randomBytes(12).toString('hex')}`;

/**
 * In the node panel of an empty canvas ("Add first step"), n8n shows the package's two nodes as
 * one entry, "Alibaba Cloud ECS": its triggers (the trigger node's events, "On instance offline",
 * …) open and its actions collapsed under "Actions (13)". Opens the actions.
 */
async function showActions(page: Page): Promise<void> {
	const creator = page.locator('[data-test-id=node-creator]');
	await creator.getByText('On instance offline').waitFor();
	await creator.getByText(/^Actions \(\d+\)$/).click();
}

const describeEditor = selectedLineIds().includes(LINE_ID) ? describe : describe.skip;

describeEditor(`the editor of n8n ${LINE_ID}, in chromium`, () => {
	let fake: FakeEcs;
	let n8n: RunningN8n;
	let userFolder: string;
	let tarball: string | undefined;
	let browser: Browser;
	let context: BrowserContext;
	let page: Page;
	let credentialModal: Locator;
	let cookie: string;
	let account: DemoAccount;
	/** Set for the cleanup run: the demo's server that comes back after the listing (seed.ts). */
	let comeBack: DemoAccount['reconnectAfterListing'] | undefined;
	/** fake.requests before the wrong-secret test: up to here every signature must be valid */
	let validUntil = Infinity;

	beforeAll(async () => {
		const line = findLine(LINE_ID);
		if (!line) throw new Error(`line ${LINE_ID} is not installed`);
		fake = await FakeEcs.start({
			seed: 7,
			accessKeys: { [TEST_ACCESS_KEY_ID]: SECRET },
			onRequest: (request) => comeBack?.(request),
		});
		account = seedDemo(fake.state);
		tarball = packBuiltPackage();
		({ userFolder } = await prepareUserFolder({ line, tarball, credentials: [], workflows: [] }));
		n8n = await startN8n({ line, userFolder });
		({ cookie } = await setupOwner(n8n.url)); // the owner account, through the REST API
		browser = await launchChromium();
		context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
		page = await context.newPage();
		page.setDefaultTimeout(60_000);
		credentialModal = page.locator('[data-test-id=editCredential-modal]');
	});

	afterAll(async () => {
		await browser?.close();
		const log = n8n?.output() ?? '';
		await n8n?.stop();
		await fake?.close();
		if (userFolder) removeUserFolder(userFolder);
		removePackedPackage(tarball);
		// n8n's own output never shows a secret
		expect(log).not.toContain(SECRET);
		expect(log).not.toContain(WRONG_SECRET);
	});

	afterAll(() => {
		// every request signed with the real secret verified; the rest are the wrong-secret test's
		expect(fake.requests.length).toBeGreaterThan(0);
		fake.requests.forEach((r, i) => {
			if (i < validUntil) expect(r).toMatchObject({ signatureValid: true });
			else if (!r.signatureValid) expect(r).toMatchObject({ code: 'SignatureDoesNotMatch' });
		});
	});

	const field = (name: string) =>
		credentialModal.locator(`[data-test-id=parameter-input-${name}] input`);
	/**
	 * Clicks the credential's Save once it is a button. While n8n counts the credential as
	 * saved, the same place shows a "Saved" label whose click does nothing; a typed change
	 * reaches n8n's state a moment after `fill` returns (the parameter input debounces), so a
	 * click before that is lost and n8n tests nothing (seen in CI on a loaded machine).
	 */
	const saveCredential = async () => {
		await credentialModal.locator('[data-test-id=credential-save-button] button').click();
	};

	it('signs in with the owner account', async () => {
		await page.goto(`${n8n.url}/signin`);
		await page.locator('input[name=emailOrLdapLoginId]').fill(DEFAULT_OWNER.email);
		await page.locator('input[name=password]').fill(DEFAULT_OWNER.password);
		await page.locator('[data-test-id=form-submit-button]').click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
		expect(new URL(page.url()).pathname).not.toMatch(/signin|setup/);
	});

	it('finds "Alibaba Cloud ECS" in the node panel, with the trigger’s events and its actions', async () => {
		await page.goto(`${n8n.url}/workflow/new`);
		await page.locator('[data-test-id=canvas-add-button]').click();
		await page.locator('[data-test-id=node-creator-search-bar]').fill('Alibaba Cloud ECS');
		const item = page
			.locator('[data-test-id=node-creator-item-name]')
			.filter({ hasText: /^Alibaba Cloud ECS$/ });
		await item.waitFor();
		await page.keyboard.press('Enter'); // community node: its "Node details" panel
		await showActions(page);
		const deregister = page
			.locator('[data-test-id=node-creator]')
			.getByText('Deregister a managed instance');
		await deregister.waitFor();
		const creator = page.locator('[data-test-id=node-creator]');
		for (const action of [
			'Get a managed instance',
			'Get many managed instances',
			'Rename a managed instance',
			'Create an activation code',
		]) {
			await expect(creator.getByText(action).count()).resolves.toBe(1);
		}
		await waitForStill(page.locator('[data-test-id=node-creator]').getByText('Node details'));
		await saveScreenshot(page, 'editor-node-panel');
	});

	it('opens the node: the Deregister operation, the Region field and the Instance field are shown', async () => {
		await page
			.locator('[data-test-id=node-creator]')
			.getByText('Deregister a managed instance')
			.click();
		const ndv = page.locator('[data-test-id=ndv]');
		await ndv.waitFor();
		await expect(
			ndv.locator('[data-test-id=parameter-input-resource] input').inputValue(),
		).resolves.toBe('Managed Instance');
		await expect(
			ndv.locator('[data-test-id=parameter-input-operation] input').inputValue(),
		).resolves.toBe('Deregister');
		await ndv.getByText('Region Name or ID', { exact: true }).waitFor();
		await ndv.locator('[data-test-id=parameter-input-regionId]').waitFor();
		await ndv.getByText('Instance', { exact: true }).waitFor();
		await ndv.locator('[data-test-id=resource-locator-instanceId]').waitFor();
		await expect(
			ndv.locator('[data-test-id=rlc-mode-selector] input').inputValue(),
		).resolves.toMatch(/^From list$/i);
	});

	it('creates an "Alibaba Cloud AccessKey API" credential for the fake endpoint: its test reports success', async () => {
		await page.locator('[data-test-id=node-credentials-select]').click();
		await page.locator('[data-test-id=node-credentials-select-item-new]').click();
		await credentialModal.getByText('Alibaba Cloud AccessKey API', { exact: true }).waitFor();
		await field('accessKeyId').fill(TEST_ACCESS_KEY_ID);
		await field('accessKeySecret').fill(SECRET);
		await field('endpoint').fill(fake.url);
		await field('defaultRegionId').fill('cn-hangzhou');

		let before = fake.requests.length;
		await saveCredential();
		const success = credentialModal.getByText('Connection tested successfully');
		await success.waitFor(); // n8n tests a credential when it is saved
		expect(fake.requests.slice(before).map((r) => r.action)).toContain('DescribeRegions');

		// the test button ("Retry" next to the result) runs the test again
		before = fake.requests.length;
		await credentialModal.locator('button[title="Retry credential test"]:visible').click();
		await waitUntil(
			() =>
				fake.requests
					.slice(before)
					.filter((r) => r.action === 'DescribeRegions' && r.status === 200 && r.signatureValid)
					.length,
			(n) => n > 0,
			{ what: 'the test button’s DescribeRegions call, answered' },
		);
		await success.waitFor();
		await expect(credentialModal.getByText('Couldn’t connect').count()).resolves.toBe(0);
		await saveScreenshot(page, 'editor-credential-test');
		await credentialModal.locator('button[aria-label="Close this dialog"]').click();
		await credentialModal.waitFor({ state: 'hidden' });
	});

	it('lists the credential’s default and the 16 managed-instance regions in the Region dropdown, and the fake’s instances in From List', async () => {
		const ndv = page.locator('[data-test-id=ndv]');
		// Region left empty is the credential's default: a valid choice, no red field
		const region = ndv.locator('[data-test-id=parameter-input-regionId]');
		await waitUntil(
			() => region.locator('input').inputValue(),
			(value) => value.startsWith('Credential'),
			{ what: "the empty Region shown as the credential's default" },
		);
		await expect(region.locator('input').inputValue()).resolves.toBe(
			"Credential's Default Region: China (Hangzhou) (cn-hangzhou)",
		);
		// n8n marks a value missing from the loaded options with parameter issues ('The value "" is
		// not supported!'): the Region's item has none
		const regionItem = ndv.locator('.parameter-item', { has: region }).last();
		await expect(regionItem.locator('[data-test-id=parameter-issues]').count()).resolves.toBe(0);
		await region.click();
		const options = page.locator('[data-test-id=parameter-input-item]:visible');
		await waitUntil(
			() => options.count(),
			(n) => n === 17,
			{ what: 'the default entry and the 16 regions in the dropdown' },
		);
		const labels = await options.allInnerTexts();
		expect(labels[0]).toContain("Credential's Default Region");
		for (const id of MANAGED_INSTANCE_REGION_IDS) {
			expect(labels.some((l) => l.includes(`(${id})`))).toBe(true);
		}
		expect(labels.some((l) => l.includes('(eu-central-1)'))).toBe(false); // no managed instances there
		expect(labels).toContain('China (Hangzhou) (cn-hangzhou)'); // English names, as n8n's UI is
		await options.filter({ hasText: /^China \(Hangzhou\) \(cn-hangzhou\)$/ }).click();

		await ndv.locator('[data-test-id=rlc-input]').click();
		const items = page.locator('[data-test-id=rlc-item]:visible');
		const inHangzhou = fake.state.listInstances('cn-hangzhou');
		await waitUntil(
			() => items.count(),
			(n) => n === inHangzhou.length,
			{ what: 'every cn-hangzhou instance in the list' },
		);
		const shown = await items.allInnerTexts();
		for (const instance of inHangzhou) {
			expect(shown.some((s) => s.includes(instance.InstanceId))).toBe(true);
		}
		await saveScreenshot(page, 'editor-node-deregister');
		await items.filter({ hasText: SAMPLE_INSTANCE.InstanceId }).click();
	});

	it('runs the step from the editor: the instance is deregistered at the fake endpoint', async () => {
		await page.locator('[data-test-id=node-execute-button]').click();
		const output = page.locator('[data-test-id=output-panel]');
		await output.getByText(SAMPLE_INSTANCE.Hostname).first().waitFor();
		expect(fake.state.getInstance(SAMPLE_INSTANCE.InstanceId)).toBeUndefined();
		const call = fake.requests.filter((r) => r.action === 'DeregisterManagedInstance');
		expect(call).toHaveLength(1);
		expect(call[0]).toMatchObject({
			signatureValid: true,
			status: 200,
			params: { RegionId: 'cn-hangzhou', InstanceId: SAMPLE_INSTANCE.InstanceId },
		});
		await output.getByText(call[0].requestId).first().waitFor();
		// the output's columns in the node's field order (not alphabetical): the instance, then its region
		const columns = (await output.locator('th').allInnerTexts())
			.map((t) => t.trim())
			.filter(Boolean);
		expect(columns).toEqual([
			'InstanceId',
			'InstanceName',
			'RegionId',
			'Hostname',
			'IntranetIp',
			'InternetIp',
			'OsType',
			'OsVersion',
			'AgentVersion',
			'LastInvokedTime',
			'InvocationCount',
			'RegistrationTime',
			'ActivationId',
			'MachineId',
			'Deregistered',
			'RequestId',
		]);
	});

	it('runs a whole imported workflow from the editor (Get Many offline 30 days -> Deregister if still offline)', async () => {
		// the stale-server cleanup, saved through the REST API with the credential made above
		const credentials = await request('GET', `${n8n.url}/rest/credentials`, {
			headers: { cookie },
		});
		const [credential] = credentials.json<{ data: Array<{ id: string; name: string }> }>().data;
		const workflow = loadWorkflow('stale-cleanup');
		for (const node of workflow.nodes) {
			if (node.credentials) node.credentials = { [CREDENTIAL_TYPE]: credential };
		}
		const created = await request('POST', `${n8n.url}/rest/workflows`, {
			headers: { cookie },
			body: {
				name: workflow.name,
				nodes: workflow.nodes,
				connections: workflow.connections,
				settings: workflow.settings,
				active: false,
			},
		});
		expect(created.status).toBe(200);
		const id = created.json<{ data: { id: string } }>().data.id;
		const stale = account.offlineOver30Days;
		for (const id of stale) expect(fake.state.getInstance(id)).toBeDefined();
		comeBack = account.reconnectAfterListing;

		const tab = await context.newPage(); // (the first tab holds an unsaved workflow)
		tab.setDefaultTimeout(60_000);
		await tab.goto(`${n8n.url}/workflow/${id}`);
		await tab.locator('[data-test-id=execute-workflow-button]').click();
		await tab.getByText('Workflow executed successfully').waitFor();
		for (const id of stale) expect(fake.state.getInstance(id)).toBeUndefined();
		// kept: back online at the re-check, offline for 12 days only, connected
		expect(fake.state.getInstance(account.comesBack)?.Connected).toBe(true);
		expect(fake.state.getInstance(account.offline12Days)?.Connected).toBe(false);
		for (const id of account.connected) expect(fake.state.getInstance(id)).toBeDefined();
		await saveScreenshot(tab, 'editor-workflow-run', { keepToasts: true });
		await tab.close();
	});

	it('a clock more than 15 minutes off: the credential test says so, with Alibaba Cloud’s message once', async () => {
		await page.locator('[data-test-id=credential-edit-button]').click();
		await credentialModal.waitFor();
		fake.skewClock(20 * 60_000); // the server's clock: as if n8n's host were 20 minutes slow
		const before = fake.requests.length;
		await field('defaultRegionId').fill('cn-beijing'); // a change, so that Save tests again
		await saveCredential();
		await credentialModal.getByText('Couldn’t connect with these settings').waitFor();
		await credentialModal.getByText('More details').click();
		const details = credentialModal.getByText(/InvalidTimeStamp\.Expired, request /);
		await details.waitFor();
		const text = await details.innerText();
		expect(text).toContain("the n8n host's clock is more than 15 minutes off");
		expect(text.match(/Specified time stamp or date value is expired/g)).toHaveLength(1);
		const refused = fake.requests.slice(before).filter((r) => r.action === 'DescribeRegions');
		expect(refused.length).toBeGreaterThan(0);
		expect(refused.every((r) => r.code === 'InvalidTimeStamp.Expired' && r.signatureValid)).toBe(
			true,
		);
		// the clock set right again: the same credential tests successfully
		fake.skewClock(0);
		await field('defaultRegionId').fill('cn-hangzhou');
		await saveCredential();
		await credentialModal.getByText('Connection tested successfully').waitFor();
		await credentialModal.locator('button[aria-label="Close this dialog"]').click();
		await credentialModal.waitFor({ state: 'hidden' });
	});

	it('a wrong secret: the credential test reports failure with the Alibaba code and RequestId, never a secret', async () => {
		validUntil = fake.requests.length;
		await page.locator('[data-test-id=credential-edit-button]').click();
		await credentialModal.waitFor();
		// the browser never gets the stored secret back, only a placeholder
		expect((await page.content()).includes(SECRET)).toBe(false);
		await field('accessKeySecret').fill(WRONG_SECRET);
		await saveCredential();
		await credentialModal.getByText('Couldn’t connect with these settings').waitFor();
		await credentialModal.getByText('More details').click();
		const rejected = fake.requests
			.slice(validUntil)
			.filter((r) => r.action === 'DescribeRegions' && r.code === 'SignatureDoesNotMatch');
		expect(rejected.length).toBeGreaterThan(0);
		const details = credentialModal.getByText(/SignatureDoesNotMatch, request /);
		await details.waitFor();
		const text = await details.innerText();
		expect(text).toContain('Alibaba Cloud rejected the request signature');
		expect(rejected.map((r) => r.requestId)).toContain(/request ([0-9A-F-]{36})/.exec(text)?.[1]);
		await saveScreenshot(page, 'editor-credential-error');
		// (what was typed stays in the input; the stored secret never reached the page)
		expect((await page.content()).includes(SECRET)).toBe(false);
	});
	it('By ID: a typed ECS instance ID (i-…) gets the explanation, not the pattern message; Docs opens Alibaba’s managed-instance guide', async () => {
		const ECS_ID = 'i-bp1h6ntgnhykgtyd1rmw';
		const tab = await context.newPage(); // (a fresh canvas, whatever the other tests left open)
		tab.setDefaultTimeout(60_000);
		try {
			await tab.goto(`${n8n.url}/workflow/new`);
			await tab.locator('[data-test-id=canvas-add-button]').click();
			await tab.locator('[data-test-id=node-creator-search-bar]').fill('Alibaba Cloud ECS');
			await tab
				.locator('[data-test-id=node-creator-item-name]')
				.filter({ hasText: /^Alibaba Cloud ECS$/ })
				.waitFor();
			await tab.keyboard.press('Enter');
			await showActions(tab);
			await tab
				.locator('[data-test-id=node-creator]')
				.getByText('Deregister a managed instance')
				.click();
			const ndv = tab.locator('[data-test-id=ndv]');
			await ndv.waitFor();

			// the Docs link: the node's documentationUrl, not n8n's fallback (the npm page)
			const docs = ndv.locator('a[href*="alibabacloud.com"]');
			await docs.first().waitFor({ state: 'attached' });
			await expect(docs.first().getAttribute('href')).resolves.toBe(
				'https://www.alibabacloud.com/help/en/ecs/user-guide/manage-servers-that-are-not-provided-by-alibaba-cloud',
			);
			await expect(ndv.locator('a[href*="npmjs.com"]').count()).resolves.toBe(0);

			const instance = ndv.locator('[data-test-id=resource-locator-instanceId]');
			await instance.locator('[data-test-id=rlc-mode-selector]').click();
			await tab.locator('[data-test-id=mode-id]:visible').click();
			const input = instance
				.locator('input[data-test-id=rlc-input], [data-test-id=rlc-input] input')
				.first();
			await input.fill(ECS_ID);
			await input.blur(); // n8n shows a field's issues once it loses focus
			const issues = instance.locator('[data-test-id=parameter-issues]');
			await issues.waitFor();
			await issues.hover();
			const explanation = tab.getByText(
				'An ECS instance ID (i-…), not a managed instance ID. This operation works on servers registered with Cloud Assistant outside Alibaba Cloud, whose IDs start with "mi-" (ECS console: Cloud Assistant > Managed Instances).',
			);
			await explanation.first().waitFor();
			// (and not the pattern rule's message, which other wrong values get)
			await expect(
				tab.getByText(/Not a managed instance ID: it starts with/).count(),
			).resolves.toBe(0);
			await saveScreenshot(tab, 'editor-instance-ecs-id');
		} finally {
			await tab.close();
		}
	});
});
