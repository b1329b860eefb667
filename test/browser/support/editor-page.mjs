// @ts-check
/**
 * Driving n8n 2.41.1's editor as an operator does, by the locators n8n's own editor gives
 * (`data-test-id` attributes in n8n-editor-ui/dist) and n8n's own English texts.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { RESULTS_DIR } from './editor-stack.mjs';

/**
 * n8n's own texts, as n8n-editor-ui 2.41.1 shows them (its en locale, key in the comment; "More
 * details" is the design system's banner).
 */
export const N8N = {
	signIn: 'Sign in', // auth.signin
	executeWorkflow: 'Execute workflow', // nodeView.runButtonText.executeWorkflow
	connectionOk: 'Connection tested successfully', // credentialEdit.credentialConfig.connectionTestedSuccessfully
	connectionFailed: 'Couldn’t connect with these settings', // …couldntConnectWithTheseSettings
	moreDetails: 'More details',
	saved: 'Saved', // saveButton.saved
	actions: 'Actions', // nodeCreator.actionsCategory.actions
	triggers: 'Triggers', // nodeCreator.actionsCategory.triggers
	webhookUrls: 'Webhook URLs', // nodeWebhooks.webhookUrls
	productionUrl: 'Production URL', // nodeWebhooks.productionUrl
	publish: 'Publish', // workflows.publish
	published: 'Published', // workflows.published
	workflowPublished: 'Workflow published', // activationModal.workflowPublished
	gotIt: 'Got it', // activationModal.gotIt
	succeeded: 'Succeeded', // executionsList.succeeded
	retry: 'Retry', // credentialEdit.credentialConfig.retry
	closeDialog: 'Close this dialog', // element-plus's dialog close button (aria-label)
	productionChecklist: 'Production Checklist',
};

/** @typedef {import('playwright-core').Page} Page @typedef {import('playwright-core').Locator} Locator */

/** A locator by n8n's data-test-id. @param {Page | Locator} scope @param {string} id */
export const byTestId = (scope, id) => scope.locator(`[data-test-id="${id}"]`);

/** The visible text of an element, whitespace collapsed. @param {Locator} locator */
export const textOf = async (locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();

/** n8n's notifications (element-plus toasts) cover the panels: hidden in screenshots only. */
const HIDE_TOASTS = '.el-notification { visibility: hidden !important; }';

/**
 * Saves a screenshot under browser-results/<theme>/: the page, or only an element (a panel), or
 * the page's `clip` rectangle.
 * @param {Page | Locator} target @param {string} theme @param {string} name
 * @param {{ x: number, y: number, width: number, height: number }} [clip]
 */
export async function snap(target, theme, name, clip) {
	const dir = path.join(RESULTS_DIR, theme);
	mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `${name}.png`);
	await target.screenshot({ path: file, animations: 'disabled', style: HIDE_TOASTS, clip });
}

/**
 * Saves the top of a panel (at most `maxHeight` pixels: n8n's panels run to the bottom of the
 * window, mostly empty), for the README's pictures.
 * @param {Page} page @param {Locator} panel @param {string} theme @param {string} name
 * @param {number} [maxHeight]
 */
export async function snapPanel(page, panel, theme, name, maxHeight = 560) {
	const box = await panel.boundingBox();
	if (!box) throw new Error(`${name}: the panel is not on the page`);
	await snap(page, theme, name, { ...box, height: Math.min(box.height, maxHeight) });
}

/**
 * Signs in on a fresh session, with n8n's theme set as n8n reads it (localStorage N8N_THEME,
 * n8n-editor-ui ui.store); lands on the workflow list.
 * @param {Page} page @param {string} url @param {{ email: string, password: string }} owner
 * @param {'light' | 'dark'} theme
 */
export async function signIn(page, url, owner, theme) {
	await page.context().clearCookies();
	await page.goto(`${url}/signin`);
	// In the page (no DOM types here: the checks run against Node's lib).
	await page.evaluate(
		(value) => /** @type {any} */ (globalThis).localStorage.setItem('N8N_THEME', value),
		theme,
	);
	await page.reload();
	const form = byTestId(page, 'signin-form');
	await form.locator('input[name="emailOrLdapLoginId"]').fill(owner.email);
	await form.locator('input[name="password"]').fill(owner.password);
	await byTestId(form, 'form-submit-button').click();
	await page.waitForURL(/\/home\/workflows/);
	await byTestId(page, 'workflow-card-name').first().waitFor();
}

/** Opens a node's panel (NDV) by a double click on the canvas. @param {Page} page @param {string} name */
export async function openNode(page, name) {
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
	const ndv = byTestId(page, 'ndv');
	await ndv.waitFor();
	return ndv;
}

/** Closes the open node panel. @param {Page} page */
export async function closeNode(page) {
	await byTestId(page, 'ndv-close-button').click();
	await byTestId(page, 'ndv').waitFor({ state: 'hidden' });
}

/** Opens a workflow and waits for its canvas. @param {Page} page @param {string} url @param {string} id */
export async function openWorkflow(page, url, id) {
	await page.goto(`${url}/workflow/${id}`);
	await byTestId(page, 'canvas-node').first().waitFor();
}

/**
 * Closes n8n's "Production Checklist" popover, which n8n opens over the page of a published
 * workflow (MainHeader), when it is there.
 * @param {Page} page
 */
export async function closeProductionChecklist(page) {
	const heading = page.getByText(N8N.productionChecklist, { exact: true });
	if (await heading.isVisible()) {
		await page.keyboard.press('Escape');
		await heading.waitFor({ state: 'hidden' });
	}
}

/** A parameter's value as its input shows it. @param {Locator} ndv @param {string} name */
export async function parameterValue(ndv, name) {
	return await byTestId(ndv, `parameter-input-${name}`).locator('input').first().inputValue();
}

/**
 * The labels of the parameters the panel shows (the credential first), in order, without the
 * Fixed / Expression toggle n8n puts in a label.
 * @param {Locator} ndv
 */
export async function parameterLabels(ndv) {
	return await byTestId(ndv, 'node-parameters')
		.locator('[data-test-id="credentials-label"] label, [data-test-id="input-label"] label')
		.evaluateAll((labels) =>
			labels
				.filter((label) => label.getBoundingClientRect().height > 0)
				.map((label) => {
					const copy = /** @type {any} */ (label).cloneNode(true);
					for (const toggle of copy.querySelectorAll('[data-test-id$="options-container"]'))
						toggle.remove();
					return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
				}),
		);
}

/**
 * Every image in a scope with whether it loaded (an <img> with naturalWidth > 0).
 * @param {Locator} scope
 */
export async function images(scope) {
	return await scope.locator('img').evaluateAll((imgs) =>
		imgs.map((element) => {
			const img = /** @type {any} */ (element);
			return {
				src: String(img.getAttribute('src') ?? ''),
				loaded: img.complete && img.naturalWidth > 0,
			};
		}),
	);
}

/**
 * The rows of the run-data table in a panel, each as { column header: cell text }.
 * @param {Locator} panel
 * @returns {Promise<Array<Record<string, string>>>}
 */
export async function tableRows(panel) {
	const table = byTestId(panel, 'ndv-data-container').locator('table').first();
	await table.waitFor();
	return await table.evaluate((element) => {
		const clean = (/** @type {any} */ cell) => String(cell.innerText).replace(/\s+/g, ' ').trim();
		const rows = [.../** @type {any} */ (element).querySelectorAll('tr')];
		const headers = [...rows[0].querySelectorAll('th')].map(clean);
		return rows.slice(1).map((row) => {
			const cells = [...row.querySelectorAll('td')].map(clean);
			return Object.fromEntries(headers.map((header, i) => [header, cells[i] ?? '']));
		});
	});
}

/**
 * Polls until `probe` returns a truthy value; returns it, or throws after `timeoutMs`.
 * @template T @param {() => T | Promise<T>} probe @param {string} what @param {number} [timeoutMs]
 * @returns {Promise<NonNullable<T>>}
 */
export async function waitUntil(probe, what, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return /** @type {NonNullable<T>} */ (value);
		if (Date.now() > deadline)
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}
