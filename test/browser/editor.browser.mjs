// @ts-check
/**
 * The operator's path in n8n 2.41.1's real editor (`npm run test:browser`), in Debian's Chromium on
 * the instance `npm start` gives (n8n with the package, the seeded sandbox, the credential and the
 * example workflows), once in n8n's light theme and once in its dark one. Each step asserts on the
 * page's text and saves screenshots under browser-results/<theme>/ (git-ignored; a chosen few go to
 * docs/images/ with `node dev/browser/docs-images.mjs`).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

import {
	byTestId,
	closeNode,
	closeProductionChecklist,
	images,
	N8N,
	openNode,
	openWorkflow,
	parameterLabels,
	parameterValue,
	signIn,
	snap,
	snapPanel,
	tableRows,
	textOf,
	waitUntil,
} from './support/editor-page.mjs';
import { payAsBuyer, startEditorStack, tokenRequestsOf } from './support/editor-stack.mjs';

/**
 * Every text of THIS package (nodes/, credentials/) the walk asserts, in one place: change it here
 * when the package's texts change. n8n's own texts are N8N in support/editor-page.mjs.
 */
const EXPECTED = {
	nodeName: 'IntellectMoney',
	captureFields: ['Credential', 'Resource', 'Operation', 'Identify By', 'Order ID', 'Options'],
	captureValues: { resource: 'Purchase', operation: 'Capture', identifyBy: 'Order ID' },
	captureNotice: /This moves money/,
	credentialTestFails:
		/IntellectMoney refused the Login \(its answer names Login\): check Login and Password/,
	// A second run finds the first run's record in n8n and sends nothing (atMostOnce/memory.ts).
	repeatCaptureRefused: /^Not captured again: an earlier run may already have captured /,
	repeatCaptureExplained: /Nothing was sent/,
	badInvoiceId: /Invoice ID/,
	badInvoiceIdFix: /10 digits/,
	actions: [
		'Capture a held purchase',
		'Create an invoice',
		'Get many invoices',
		'Get the state of an invoice',
		'Release or refund a purchase',
		'Create a payout',
		'Execute a payout',
		'Get the state of a payout',
		'Check the setup read only',
		'Get the balance of an account',
	],
	triggerEvents: ['On held', 'On paid', 'On refunded'],
	/** n8n lists events as "On <name>" with brackets dropped: no codes in the names. */
	triggerEventsNot: /On [a-z ]+ status \d|also unknown codes/i,
	triggerSetup: /Production URL/,
};

const THEMES = /** @type {const} */ (['light', 'dark']);
/** The held order each pass's buyer pays: the demo's, and one added for the second pass. */
const BUYER_ORDER = { light: 'order-1004', dark: 'order-1104' };
const CAPTURE_EXAMPLE = { id: 'imExampleCapture1', name: 'Capture purchase when an order ships' };
const CHECK_EXAMPLE = 'imExampleCheck01';

/** @type {import('./support/editor-stack.mjs').EditorStack} */
let stack;
/** @type {import('playwright-core').Page} */
let page;

beforeAll(async () => {
	stack = await startEditorStack();
	stack.instance.sandbox.addInvoice({
		orderId: BUYER_ORDER.dark,
		state: 'Created',
		holdMode: true,
	});
	page = stack.browser.context.pages()[0] ?? (await stack.browser.context.newPage());
	page.setDefaultTimeout(60_000);
}, 30 * 60_000);

afterAll(() => stack?.stop());

describe.each(THEMES)('the operator’s path in the %s theme', (theme) => {
	const firstPass = theme === THEMES[0];
	const url = () => stack.instance.server.url;

	test('log in: the workflow list shows every example workflow', async () => {
		await signIn(page, url(), stack.instance.owner, theme);
		expect(await page.locator('body').getAttribute('data-theme')).toBe(theme);
		const expected = stack.instance.examples.map((workflow) => workflow.name).sort();
		const cards = byTestId(page, 'workflow-card-name');
		// The list renders in steps: read it once it has them all.
		const names = await waitUntil(async () => {
			const shown = (await cards.allInnerTexts()).map((name) => name.trim()).sort();
			return shown.length === expected.length && shown;
		}, 'the workflow list');
		expect(names).toEqual(expected);
		await snap(page, theme, '01-workflows');
	});

	test('open an example: its nodes on the canvas', async () => {
		await byTestId(page, 'workflow-card-name')
			.getByText(CAPTURE_EXAMPLE.name, { exact: true })
			.click();
		await page.waitForURL(new RegExp(`/workflow/${CAPTURE_EXAMPLE.id}`));
		const canvasNodes = byTestId(page, 'canvas-node');
		await canvasNodes.first().waitFor();
		const example = stack.instance.examples.find((w) => w.id === CAPTURE_EXAMPLE.id);
		const shown = await canvasNodes.evaluateAll((nodes) =>
			nodes.map((n) => n.getAttribute('data-node-name')),
		);
		expect(shown.sort()).toEqual(example.nodes.map((/** @type {any} */ n) => n.name).sort());
		expect(await textOf(byTestId(page, 'execute-workflow-button'))).toBe(N8N.executeWorkflow);
		await snap(page, theme, '02-workflow');
	});

	test('the IntellectMoney node’s panel: Resource, Operation and the operation’s fields', async () => {
		const ndv = await openNode(page, 'Capture purchase');
		expect(await parameterLabels(ndv)).toEqual(EXPECTED.captureFields);
		for (const [name, value] of Object.entries(EXPECTED.captureValues))
			expect(await parameterValue(ndv, name)).toBe(value);
		expect(await textOf(byTestId(ndv, 'parameter-input-orderId'))).toBe('{{ $json.orderId }}');
		expect(await textOf(byTestId(ndv, 'node-parameters'))).toMatch(EXPECTED.captureNotice);
		await snapPanel(page, ndv.locator('.node-settings'), theme, '03-node-panel');
		await closeNode(page);
	});

	test('Execute workflow: the output table shows the captured items; a second run captures nothing twice', async () => {
		await byTestId(page, 'execute-workflow-button').click();
		const node = page.locator('[data-test-id="canvas-node"][data-node-name="Capture purchase"]');
		if (firstPass) await byTestId(node, 'canvas-node-status-success').waitFor();
		const ndv = await openNode(page, 'Capture purchase');
		const output = byTestId(ndv, 'output-panel');
		if (firstPass) {
			expect(await tableRows(output)).toEqual(
				['order-1001', 'order-1002'].map((orderId, i) =>
					expect.objectContaining({
						orderId,
						invoiceId: `300000100${i + 1}`,
						captured: 'true',
						status: 'captured',
						alreadyDone: 'false',
					}),
				),
			);
			expect(await textOf(byTestId(output, 'ndv-items-count'))).toMatch(/^2 items/);
		} else {
			// The same orders again: IntellectMoney refuses, and by Order ID the node cannot read the
			// invoice to call it alreadyDone (README, Reliability), so it says what the refusal means.
			const message = byTestId(output, 'node-error-message');
			await message.waitFor();
			expect(await textOf(message)).toMatch(EXPECTED.repeatCaptureRefused);
			expect(await textOf(byTestId(output, 'node-error-description'))).toMatch(
				EXPECTED.repeatCaptureExplained,
			);
		}
		const { captures } = stack.instance.sandbox.ledger();
		expect([captures['3000001001'], captures['3000001002']]).toEqual([1, 1]);
		await snap(output, theme, '04-output');
	});

	test('the credential: its test passes, fails with a wrong password naming the field, passes again', async () => {
		const ndv = byTestId(page, 'ndv');
		await byTestId(ndv, 'credential-edit-button').click();
		const modal = byTestId(page, 'editCredential-modal');
		const passed = byTestId(modal, 'credentials-config-container-test-success');
		await passed.waitFor();
		expect(await textOf(passed)).toContain(N8N.connectionOk);

		const before = tokenRequestsOf(stack.instance.sandbox);
		await passed.getByRole('button', { name: N8N.retry }).click();
		await waitUntil(
			() => tokenRequestsOf(stack.instance.sandbox).accepted > before.accepted,
			'the retested credential',
		);
		await passed.waitFor();

		const password = byTestId(modal, 'parameter-input-password').locator('input');
		await password.fill('wrong-password-7319');
		await byTestId(modal, 'credential-save-button').click();
		const failed = modal.locator('.el-tag', { hasText: N8N.connectionFailed });
		await failed.waitFor();
		await failed.getByText(N8N.moreDetails).click();
		const failure = await textOf(failed);
		expect(failure).toMatch(EXPECTED.credentialTestFails);
		expect(tokenRequestsOf(stack.instance.sandbox).refused).toBe(before.refused + 1);
		await snap(modal, theme, '05-credential-refused');

		await password.fill(stack.instance.sandbox.shop.password);
		await byTestId(modal, 'credential-save-button').click();
		await passed.waitFor();
		expect(await textOf(passed)).toContain(N8N.connectionOk);
		expect(tokenRequestsOf(stack.instance.sandbox).accepted).toBeGreaterThan(before.accepted + 1);
		await page.getByRole('button', { name: N8N.closeDialog }).click();
		await modal.waitFor({ state: 'hidden' });
		await closeNode(page);
	});

	test('the node panel search: the node and its trigger, with their icons loaded', async () => {
		// A toast left by an earlier step (n8n's error notice of the stopped second run) would cover the
		// node panel's tabs: close every one first.
		for (const close of await page.locator('.el-notification .el-notification__closeBtn').all()) {
			await close.click().catch(() => undefined);
		}
		await byTestId(page, 'node-creator-plus-button').click();
		const creator = byTestId(page, 'node-creator');
		await creator.locator('input[data-test-id="node-creator-search-bar"]').fill(EXPECTED.nodeName);
		const found = byTestId(creator, 'item-iterator-item').filter({ hasText: EXPECTED.nodeName });
		await found.first().waitFor();
		expect(await textOf(byTestId(found.first(), 'node-creator-item-name'))).toBe(EXPECTED.nodeName);
		await found.first().click();
		await creator.getByText(new RegExp(`^${N8N.triggers} \\(\\d+\\)`)).click();
		const listed = await textOf(creator);
		expect(listed).toContain(`${N8N.actions} (${EXPECTED.actions.length})`);
		for (const text of [...EXPECTED.actions, ...EXPECTED.triggerEvents])
			expect(listed).toContain(text);
		expect(listed).not.toMatch(EXPECTED.triggerEventsNot);
		const icon = theme === 'dark' ? /\/intellectMoney\.dark\.svg$/ : /\/intellectMoney\.svg$/;
		const icons = await images(creator);
		expect(icons.length).toBeGreaterThan(EXPECTED.actions.length);
		expect(icons.filter((i) => !i.loaded || !icon.test(i.src))).toEqual([]);
		await snap(creator, theme, '06-node-search');
		await page.keyboard.press('Escape');
		await creator.waitFor({ state: 'hidden' });
	});

	test('a bad Invoice ID: the node’s clear error naming the field, nothing sent', async () => {
		await openWorkflow(page, url(), CHECK_EXAMPLE);
		const ndv = await openNode(page, 'Get invoice state');
		const item = byTestId(ndv, 'parameter-item').filter({
			has: byTestId(page, 'parameter-input-invoiceId'),
		});
		await item.hover();
		await byTestId(item, 'radio-button-fixed').click();
		await byTestId(ndv, 'parameter-input-invoiceId').locator('input').fill('abc');
		const sent = stack.instance.sandbox.log.length;
		await byTestId(ndv, 'node-execute-button').click();
		const message = byTestId(ndv, 'node-error-message');
		await message.waitFor();
		expect(await textOf(message)).toMatch(EXPECTED.badInvoiceId);
		expect(await textOf(message)).toContain('"abc"');
		expect(await textOf(byTestId(ndv, 'node-error-description'))).toMatch(EXPECTED.badInvoiceIdFix);
		expect(stack.instance.sandbox.log.length).toBe(sent);
		await snapPanel(page, byTestId(ndv, 'output-panel'), theme, '07-error', 360);
		await closeNode(page);
	});

	test('the trigger’s setup: its production webhook URL is the shop’s Result URL', async () => {
		const held = stack.instance.heldExample;
		await openWorkflow(page, url(), held.id);
		const ndv = await openNode(page, 'IntellectMoney Trigger');
		const production = byTestId(ndv, 'radio-button-production');
		if (!(await production.isVisible()))
			await ndv.getByText(N8N.webhookUrls, { exact: true }).click();
		await production.click();
		const expectedUrl = `${url()}/webhook/${held.nodes[0].webhookId}/webhook`;
		const settings = byTestId(ndv, 'node-parameters');
		await settings.getByText(expectedUrl, { exact: true }).waitFor();
		expect(stack.instance.sandbox.shop.resultUrl).toBe(expectedUrl);
		expect(await textOf(settings)).toMatch(EXPECTED.triggerSetup);
		await snapPanel(page, ndv.locator('.node-settings'), theme, '08-trigger', 520);
		await closeNode(page);
	});

	test('published, the buyer’s payment starts a successful execution, in the Executions list', async () => {
		const publishButton = byTestId(page, 'workflow-open-publish-modal-button');
		if (firstPass) {
			expect(await textOf(publishButton)).toBe(N8N.publish);
			await publishButton.click();
			await byTestId(page, 'workflow-publish-button').click();
			await page.getByText(N8N.workflowPublished, { exact: true }).waitFor();
			await page.getByRole('button', { name: N8N.gotIt }).click();
		}
		await waitUntil(async () => (await textOf(publishButton)) === N8N.published, 'Published');

		const { sandbox } = stack.instance;
		const orderId = BUYER_ORDER[theme];
		const { invoice, held } = await payAsBuyer(sandbox, orderId);
		expect(invoice).toMatchObject({ orderId, state: 'Held' });
		expect({ status: held.status, body: held.responseBody }).toEqual({ status: 200, body: 'OK' });

		await byTestId(page, 'radio-button-executions').click();
		const list = byTestId(page, 'current-executions-list');
		const successes = list.locator('a[data-test-execution-status="success"]');
		await waitUntil(async () => (await successes.count()) === (firstPass ? 1 : 2), 'the execution');
		const newest = list.locator('[data-test-id^="execution-details-"]').first();
		expect(await textOf(newest)).toContain(N8N.succeeded);
		expect(sandbox.ledger().captures[invoice.invoiceId]).toBe(1);
		await closeProductionChecklist(page);
		await snap(page, theme, '09-executions');

		await newest.click();
		const ndv = await openNode(page, 'Capture held payment');
		const output = byTestId(ndv, 'output-panel');
		expect(await tableRows(output)).toEqual([
			expect.objectContaining({
				orderId,
				invoiceId: invoice.invoiceId,
				captured: 'true',
				status: 'captured',
				alreadyDone: 'false',
			}),
		]);
		await snap(output, theme, '10-execution-table');
		// For the README: the whole item, as JSON (the table's columns run off the panel).
		await byTestId(output, 'radio-button-json').click();
		await snapPanel(page, output, theme, '10-execution-output', 520);
		await byTestId(output, 'radio-button-table').click();
		await closeNode(page);
	});
});

test('afterwards: Chromium, n8n and the sandbox stopped, their folders removed, nothing left behind', async () => {
	await stack.stop();
	expect(await stack.leftovers()).toEqual({ folder: false, processes: [], listening: [] });
});
