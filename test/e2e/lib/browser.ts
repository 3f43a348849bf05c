/**
 * A real browser for the editor tests: Debian's chromium driven by playwright-core (never
 * `playwright install`: browser downloads do not work here). `scripts/ensure-chromium.sh`
 * installs chromium with apt when it is missing.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Locator, Page } from 'playwright-core';

import { REPO_ROOT } from './lines';

/** CHROMIUM_PATH, or Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
	return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-dev-shm-usage',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--lang=en-US',
];

/** Launches chromium headless; throws with the fix when it is not installed. */
export async function launchChromium(): Promise<Browser> {
	const executablePath = chromiumPath();
	if (!fs.existsSync(executablePath)) {
		throw new Error(
			`${executablePath} is missing: run bash scripts/ensure-chromium.sh (apt-get install chromium), or set CHROMIUM_PATH`,
		);
	}
	// loaded here, so that the rest of the library works without playwright-core
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { chromium } = require('playwright-core') as typeof import('playwright-core');
	return await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}

/** Where the browser tests always write their screenshots (gitignored). */
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-results', 'e2e');

/**
 * Saves a screenshot to test-results/e2e/<name>.png; also to docs/<name>.png (the ones the README
 * shows) when E2E_UPDATE_SCREENSHOTS=1 or when docs/ has none yet. Returns the paths written.
 */
export async function saveScreenshot(
	page: Page,
	name: string,
	{ keepToasts = false } = {},
): Promise<string[]> {
	if (!keepToasts) await dismissToasts(page);
	fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
	const file = path.join(SCREENSHOT_DIR, `${name}.png`);
	await page.screenshot({ path: file });
	const written = [file];
	const doc = path.join(REPO_ROOT, 'docs', `${name}.png`);
	if (process.env.E2E_UPDATE_SCREENSHOTS === '1' || !fs.existsSync(doc)) {
		fs.mkdirSync(path.dirname(doc), { recursive: true });
		fs.copyFileSync(file, doc);
		written.push(doc);
	}
	return written;
}

/** Waits until the element stops moving (slide-in panels), at most timeoutMs. */
export async function waitForStill(locator: Locator, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let last = '';
	let same = 0;
	while (Date.now() < deadline && same < 3) {
		const box = JSON.stringify(await locator.boundingBox().catch(() => null));
		same = box === last ? same + 1 : 0;
		last = box;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

/** Closes n8n's notification toasts ("Credential successfully created" …). */
export async function dismissToasts(page: Page): Promise<void> {
	const close = page.locator('.el-notification .el-notification__closeBtn:visible');
	for (let i = (await close.count()) - 1; i >= 0; i--) {
		await close
			.nth(i)
			.click({ timeout: 2000 })
			.catch(() => undefined);
	}
	await page
		.locator('.el-notification:visible')
		.first()
		.waitFor({ state: 'hidden', timeout: 3000 })
		.catch(() => undefined);
}

/**
 * Polls `probe` until `accept(value)` holds (default: truthy); returns that value, or throws
 * with the last value after timeoutMs. For state outside the page (the fake's requests).
 */
export async function waitUntil<T>(
	probe: () => T | Promise<T>,
	accept: (value: T) => boolean = Boolean,
	{ timeoutMs = 30_000, intervalMs = 200, what = 'condition' } = {},
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (accept(value)) return value;
		if (Date.now() > deadline) {
			throw new Error(
				`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(value)}`,
			);
		}
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}
