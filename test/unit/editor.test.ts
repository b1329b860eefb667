/**
 * What the n8n editor shows of the node, the trigger and the credential: the texts an operator reads
 * in lists and tooltips, and the settings that decide what the editor offers. What n8n itself does
 * with them (Custom API Call, the credential test) is checked in real n8n by test/e2e/n8n.e2e.mjs and
 * test/browser/.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { IntellectMoneyApi } from '../../credentials/IntellectMoneyApi.credentials';
import { IntellectMoney } from '../../nodes/IntellectMoney/IntellectMoney.node';
import { IntellectMoneyTrigger } from '../../nodes/IntellectMoneyTrigger/IntellectMoneyTrigger.node';

const node = new IntellectMoney().description;
const trigger = new IntellectMoneyTrigger().description;
const credential = new IntellectMoneyApi();

function options(property: INodeProperties | undefined): INodePropertyOptions[] {
	return (property?.options ?? []) as INodePropertyOptions[];
}

describe('the node', () => {
	test('is not taken by n8n as a latest version, so n8n adds no Custom API Call', () => {
		// n8n's injectCustomApiCallOptions: `defaultVersion === undefined || defaultVersion === version`.
		const latest = node.defaultVersion === undefined || node.defaultVersion === node.version;
		expect(latest).toBe(false);
		expect(node.version).toEqual([1]);
		expect(node.defaultVersion).toBe(1);
	});

	test('links its documentation without anything n8n would append to after the "#"', () => {
		for (const url of [node.documentationUrl, trigger.documentationUrl]) {
			expect(url).toMatch(/^https:\/\/github\.com\/[^?]+#[a-z-]+$/);
		}
	});

	test('operation descriptions fit the two lines of the Operation list, money first', () => {
		const lists = node.properties.filter((p) => p.name === 'operation');
		expect(lists).toHaveLength(3);
		const moving = new Set(['capture', 'refund', 'execute']);
		for (const option of lists.flatMap(options)) {
			expect((option.description ?? '').length).toBeLessThanOrEqual(75);
			if (moving.has(String(option.value))) {
				expect(option.description).toMatch(/^Moves money, never twice: /);
			}
		}
	});

	test('Wait Limit and Check Every show only with Wait Until Final', () => {
		const execute = node.properties.find(
			(p) => p.name === 'options' && p.displayOptions?.show?.operation?.includes('execute'),
		);
		const inside = (execute?.options ?? []) as INodeProperties[];
		for (const name of ['waitLimitSeconds', 'pollIntervalSeconds']) {
			expect(inside.find((p) => p.name === name)?.displayOptions).toEqual({
				show: { waitUntilFinal: [true] },
			});
		}
		expect(inside.find((p) => p.name === 'waitUntilFinal')?.displayOptions).toBeUndefined();
	});

	test('Merchant Receipt starts as valid JSON (no red editor), everywhere it is offered', () => {
		const receipts = node.properties
			.flatMap((p) => (p.options ?? []) as INodeProperties[])
			.filter((p) => p.name === 'merchantReceipt');
		expect(receipts.length).toBeGreaterThanOrEqual(2);
		for (const receipt of receipts) expect(JSON.parse(String(receipt.default))).toEqual({});
	});

	test('Order ID, Amount and Expire Date are required fields', () => {
		const required = node.properties.filter((p) => p.required).map((p) => p.displayName);
		expect(required).toEqual(expect.arrayContaining(['Order ID', 'Amount', 'Expire Date']));
	});
});

describe('the trigger', () => {
	test('event names are short (n8n lists them as "On <name>"), the status code is in the description', () => {
		const events = options(trigger.properties.find((p) => p.name === 'events'));
		expect(events.map((e) => e.name)).toEqual([
			'Any Status',
			'Cancelled',
			'Created',
			'Held',
			'Paid',
			'Partially Paid',
			'Refunded',
		]);
		for (const event of events.filter((e) => e.name !== 'Any Status')) {
			expect(event.description).toMatch(/^Status [3-8]: /);
		}
	});
});

describe('the credential', () => {
	const field = (name: string) => credential.properties.find((p) => p.name === name)?.description;

	test('Login and Password say what needs them, not "payouts only"', () => {
		for (const name of ['login', 'password']) {
			expect(field(name)).toEqual(expect.stringContaining('Get State'));
			expect(field(name)).toEqual(expect.stringContaining('Maximum Amount'));
			expect(field(name)).not.toMatch(/payouts only/);
		}
	});

	test('Shop Secret Key says the trigger cannot be published without it', () => {
		expect(field('shopSecretKey')).toEqual(
			expect.stringContaining('the trigger cannot be published without it'),
		);
	});

	test('only this package’s nodes may use it', () => {
		expect(credential.restrictToSupportedNodes).toBe(true);
	});
});
