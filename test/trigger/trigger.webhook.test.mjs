// @ts-check
/**
 * IntellectMoney Trigger: real HTTP requests through n8n-core's WebhookContext (see
 * support/webhook-harness.mjs). Every case checks the HTTP answer AND whether an execution started.
 * Repeats, freshness and Confirm Invoice ID have their own files (trigger.repeats, trigger.confirm).
 */
import { beforeEach, describe, expect, test } from '@jest/globals';

import {
	formBody,
	moscowDate,
	notificationFields,
	notificationHash,
	pascalCase,
	SHOP,
	signed,
	VECTOR_8,
} from './support/notifications.mjs';
import { harnessForThisFile, OK_ANSWER as OK } from './support/webhook-harness.mjs';

/**
 * `paymentData` (`yyyy-MM-dd HH:mm:ss`, Moscow time, maybe with a fraction) as the item's `paidAt`.
 * @param {string} paymentData
 */
function asMoscowIso(paymentData) {
	return `${paymentData.slice(0, 19).replace(' ', 'T')}+03:00`;
}

const harness = harnessForThisFile();

/** The answer of a refused request, with the reason it names. @param {number} status */
const refused = (status) => ({
	status,
	contentType: 'text/plain; charset=utf-8',
	body: expect.stringMatching(/^Notification refused: /),
});

beforeEach(() => {
	harness.setParameters({ events: ['held', 'paid'] });
	harness.setCredential({});
	harness.resetStaticData();
	harness.executions.length = 0;
});

describe('the notification builder of these tests', () => {
	test('gives both digests of reference §3 vector 8', () => {
		expect(notificationHash(VECTOR_8.fields, 'SHOPSECRET')).toBe(VECTOR_8.utf8Hash);
		expect(notificationHash(VECTOR_8.fields, 'SHOPSECRET', 'windows-1251')).toBe(
			VECTOR_8.windows1251Hash,
		);
	});
});

describe('a verified notification', () => {
	test('vector 8 (UTF-8, Cyrillic userName), paid now: OK as plain text, one execution with the typed item', async () => {
		const fields = notificationFields();
		const answer = await harness.post(formBody(signed(fields)));
		expect(answer).toEqual(OK);
		expect(harness.executions).toHaveLength(1);
		expect(harness.executions[0].status).toBe('success');
		expect(harness.executions[0].items).toEqual([
			{
				event: 'paid',
				status: { code: 5, name: 'Paid' },
				eshopId: '450000',
				orderId: 'order-42',
				invoiceId: null,
				amount: '10.00',
				currency: 'TST',
				testMode: true,
				serviceName: 'Test',
				eshopAccount: '1234567',
				payer: { name: 'Иван', email: 'buyer@example.com' },
				paidAt: asMoscowIso(fields.paymentData),
				duplicate: false,
				stale: false,
				encoding: 'utf-8',
				receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
				unverified: {
					invoiceId: '3000001042',
					originalAmount: '10.00',
					refundAmount: null,
					ipAddress: '198.51.100.7',
					country: 'RU',
					payment: { method: 'BankCard', cardMask: '220220******1234', bank: 'Test Bank' },
					recurringState: null,
					sourceInvoiceId: null,
					userFields: { UserField_1: 'crm-77', UserFieldName_1: 'CRM deal' },
				},
			},
		]);
	});

	test('the hash of reference §3 vector 8 itself is accepted (hex case ignored); its 2025 date is too old to start anything', async () => {
		const body = formBody({ ...VECTOR_8.fields, hash: VECTOR_8.utf8Hash.toUpperCase() });
		expect(await harness.post(body)).toEqual(OK);
		expect(harness.executions).toHaveLength(0);
		harness.setParameters({ events: ['paid'], options: { repeatedNotifications: 'passOnMarked' } });
		expect(await harness.post(body)).toEqual(OK);
		expect(harness.executions.map((e) => e.items[0])).toEqual([
			expect.objectContaining({ orderId: 'order-42', stale: true, duplicate: false }),
		]);
	});

	test('the amount is passed on exactly as sent; the date carries its Moscow offset', async () => {
		const fields = notificationFields({
			recipientAmount: '1500.5',
			recipientCurrency: 'RUB',
			paymentStatus: '6',
			paymentData: `${moscowDate()}.000`,
		});
		expect(await harness.post(formBody(signed(fields)))).toEqual(OK);
		expect(harness.executions[0].items[0]).toMatchObject({
			event: 'held',
			status: { code: 6, name: 'Held' },
			amount: '1500.5',
			currency: 'RUB',
			testMode: false,
			paidAt: asMoscowIso(fields.paymentData),
		});
	});

	test('field names in PascalCase are matched case-insensitively, same item', async () => {
		const fields = signed(notificationFields());
		expect(await harness.post(formBody(pascalCase(fields)))).toEqual(OK);
		const [pascal] = harness.executions[0].items;
		expect(pascal).toMatchObject({ eshopId: '450000', orderId: 'order-42', event: 'paid' });
		harness.resetStaticData();
		await harness.post(formBody(fields));
		const { receivedAt: _a, ...pascalItem } = pascal;
		const { receivedAt: _b, ...camelItem } = harness.executions[1].items[0];
		expect(pascalItem).toEqual(camelItem);
	});

	test('a windows-1251 body with a windows-1251 hash (older shops) verifies and reads as Cyrillic', async () => {
		const fields = notificationFields();
		const body = formBody(signed(fields, { encoding: 'windows-1251' }), 'windows-1251');
		expect(body).toContain('userName=%C8%E2%E0%ED');
		expect(await harness.post(body)).toEqual(OK);
		expect(harness.executions[0].items[0]).toMatchObject({
			payer: { name: 'Иван' },
			encoding: 'windows-1251',
		});
	});

	test('an absent optional hashed field counts as an empty segment', async () => {
		const { serviceName: _omitted, ...fields } = notificationFields();
		expect(await harness.post(formBody(signed(fields)))).toEqual(OK);
		expect(harness.executions[0].items[0].serviceName).toBe('');
	});

	test('a JSON body (no form) is read from n8n’s parsed body', async () => {
		const answer = await harness.post(JSON.stringify(signed(notificationFields())), {
			contentType: 'application/json',
		});
		expect(answer).toEqual(OK);
		expect(harness.executions[0].items[0]).toMatchObject({ orderId: 'order-42', event: 'paid' });
	});

	test('Include Raw Fields adds the received fields, never hash or secretKey', async () => {
		harness.setParameters({ events: ['paid'], options: { includeRawFields: true } });
		const fields = signed(notificationFields());
		// Shops in "send secret key" mode get the key in clear (reference §5); it must go nowhere.
		const answer = await harness.post(formBody({ ...fields, secretKey: SHOP.shopSecretKey }));
		expect(answer).toEqual(OK);
		const { raw } = harness.executions[0].items[0];
		const { hash: _hash, ...expected } = fields;
		expect(raw).toEqual(expected);
	});
});

describe('refused: 4xx, never OK, no execution, nothing remembered', () => {
	test('a forged hash', async () => {
		const forged = { ...signed(notificationFields()), hash: 'f'.repeat(32) };
		expect(await harness.post(formBody(forged))).toEqual(refused(403));
		expect(harness.executions).toHaveLength(0);
		expect(harness.staticData()).toEqual({});
	});

	test('a field changed after signing (the amount)', async () => {
		const tampered = { ...signed(notificationFields()), recipientAmount: '1.00' };
		expect(await harness.post(formBody(tampered))).toEqual(refused(403));
		expect(harness.executions).toHaveLength(0);
	});

	test('a hash made with another key', async () => {
		const body = formBody(signed(notificationFields(), { secret: 'ANOTHER-KEY' }));
		expect(await harness.post(body)).toEqual(refused(403));
		expect(harness.executions).toHaveLength(0);
	});

	test('a notification for another shop, even with a valid hash', async () => {
		const body = formBody(signed(notificationFields({ eshopId: '450001' })));
		const answer = await harness.post(body);
		expect(answer).toEqual(refused(403));
		expect(answer.body).toContain('another shop');
		expect(harness.executions).toHaveLength(0);
	});

	test.each([['hash'], ['orderId'], ['eshopId'], ['paymentStatus']])(
		'a notification without %s',
		async (missing) => {
			const fields = /** @type {Record<string, string>} */ (signed(notificationFields()));
			delete fields[missing];
			const answer = await harness.post(formBody(fields));
			expect(answer).toEqual(refused(400));
			expect(answer.body).toContain(missing);
			expect(harness.executions).toHaveLength(0);
		},
	);

	test('an empty body and a body that is not a form', async () => {
		expect(await harness.post('')).toEqual(refused(400));
		expect(await harness.post('<xml/>', { contentType: 'text/xml' })).toEqual(refused(400));
		expect(harness.executions).toHaveLength(0);
	});

	test('a windows-1251 body whose hash does not match', async () => {
		const fields = notificationFields();
		const body = formBody(
			signed(fields, { encoding: 'windows-1251', secret: 'X' }),
			'windows-1251',
		);
		expect(await harness.post(body)).toEqual(refused(403));
		expect(harness.executions).toHaveLength(0);
	});

	test('a UTF-8 body signed as windows-1251 is not accepted (no cross-encoding guess)', async () => {
		const body = formBody(signed(notificationFields(), { encoding: 'windows-1251' }), 'utf-8');
		expect(await harness.post(body)).toEqual(refused(403));
		expect(harness.executions).toHaveLength(0);
	});

	test('an empty Shop Secret Key: a hash computed with the empty key is refused too', async () => {
		harness.setCredential({ shopSecretKey: '' });
		const body = formBody(signed(notificationFields(), { secret: '' }));
		expect(await harness.post(body)).toEqual(refused(403));
		expect(harness.executions).toHaveLength(0);
	});
});

describe('a hash that cannot be verified unambiguously: 403, nothing started', () => {
	test('a genuine notification for "order-7:" re-split as "order-7" + ":Test" (same hash): both refused', async () => {
		const genuine = signed(notificationFields({ orderId: 'order-7:', serviceName: 'Test' }));
		const resplit = { ...genuine, orderId: 'order-7', serviceName: ':Test' };
		for (const fields of [genuine, resplit]) {
			const answer = await harness.post(formBody(fields));
			expect(answer.status).toBe(403);
			expect(answer.body).toMatch(
				/^Notification refused: its (orderId|serviceName) starts or ends with ":"/,
			);
		}
		expect(harness.executions).toHaveLength(0);
		expect(harness.deduplicationEntries()).toEqual({});
	});

	test('"::" inside a hashed value, or ":" at the edge of another hashed field, is refused the same way', async () => {
		for (const overrides of /** @type {Record<string, string>[]} */ ([
			{ userName: 'a::b' },
			{ userEmail: ':x@example.com' },
		])) {
			const answer = await harness.post(formBody(signed(notificationFields(overrides))));
			expect(answer.status).toBe(403);
		}
		expect(harness.executions).toHaveLength(0);
	});
});

describe('failures inside the trigger', () => {
	test('a credential that cannot be read: 500, not OK, no execution, webhook() did not throw', async () => {
		harness.setCredential(null);
		const answer = await harness.post(formBody(signed(notificationFields())));
		expect(answer).toEqual({
			status: 500,
			contentType: 'text/plain; charset=utf-8',
			body: 'Notification refused: the trigger could not process it; it may be sent again',
		});
		expect(harness.executions).toHaveLength(0);
		expect(harness.thrown).toEqual([]);
	});
});

describe('repeated notifications', () => {
	test('Drop (default): the repeat is answered OK and starts nothing', async () => {
		const body = formBody(signed(notificationFields({ paymentStatus: '6' })));
		expect(await harness.post(body)).toEqual(OK);
		expect(await harness.post(body)).toEqual(OK);
		expect(await harness.post(body)).toEqual(OK);
		expect(harness.executions).toHaveLength(1);
	});

	test('Pass On Marked: the repeat starts the workflow with duplicate: true', async () => {
		harness.setParameters({ events: ['held'], options: { repeatedNotifications: 'passOnMarked' } });
		const body = formBody(signed(notificationFields({ paymentStatus: '6' })));
		await harness.post(body);
		expect(await harness.post(body)).toEqual(OK);
		expect(harness.executions.map((e) => e.items[0].duplicate)).toEqual([false, true]);
	});

	test('a replay with only the unsigned paymentId changed is still a repeat (same hash)', async () => {
		const original = signed(notificationFields({ paymentStatus: '6' }));
		await harness.post(formBody(original));
		expect(await harness.post(formBody({ ...original, paymentId: '3000009999' }))).toEqual(OK);
		expect(harness.executions).toHaveLength(1);
	});

	test('a retry with another payment date is a repeat (same order, status and payment number)', async () => {
		await harness.post(formBody(signed(notificationFields({ paymentStatus: '6' }))));
		const retry = signed(
			notificationFields({ paymentStatus: '6', paymentData: moscowDate(-60_000) }),
		);
		expect(await harness.post(formBody(retry))).toEqual(OK);
		expect(harness.executions).toHaveLength(1);
	});

	test('the next status of the same order is not a repeat (held, then paid)', async () => {
		await harness.post(formBody(signed(notificationFields({ paymentStatus: '6' }))));
		await harness.post(formBody(signed(notificationFields({ paymentStatus: '5' }))));
		expect(harness.executions.map((e) => e.items[0].event)).toEqual(['held', 'paid']);
	});

	test('the store holds digests only: no order number, hash or key', async () => {
		const fields = signed(notificationFields());
		await harness.post(formBody(fields));
		const stored = JSON.stringify(harness.deduplicationEntries());
		expect(Object.values(harness.deduplicationEntries()).flat()).toHaveLength(2);
		expect(harness.staticData()).toEqual({});
		for (const value of ['order-42', fields.hash, SHOP.shopSecretKey, '3000001042'])
			expect(stored).not.toContain(value);
	});
});

describe('events and statuses', () => {
	test('a verified notification for an event not chosen: OK, no execution, not remembered', async () => {
		harness.setParameters({ events: ['held'] });
		const before = JSON.stringify(harness.staticData());
		expect(
			await harness.post(formBody(signed(notificationFields({ paymentStatus: '3' })))),
		).toEqual(OK);
		expect(harness.executions).toHaveLength(0);
		// Writing static data for it could overwrite what a running execution saves (n8n 1.x).
		expect(JSON.stringify(harness.staticData())).toBe(before);
	});

	test.each([
		['3', 'created', 'Created'],
		['4', 'cancelled', 'Cancelled'],
		['5', 'paid', 'Paid'],
		['6', 'held', 'Held'],
		['7', 'partiallyPaid', 'Partially Paid'],
		['8', 'refunded', 'Refunded'],
	])('paymentStatus %s is the event %s', async (code, event, name) => {
		harness.setParameters({ events: [event] });
		await harness.post(formBody(signed(notificationFields({ paymentStatus: code }))));
		expect(harness.executions.map((e) => [e.items[0].event, e.items[0].status])).toEqual([
			[event, { code: Number(code), name }],
		]);
	});

	test.each([['__proto__'], ['constructor'], ['toString']])(
		'a signed paymentStatus %s is the event "unknown": nothing for Held, an "unknown" item for Any Status',
		async (status) => {
			harness.setParameters({ events: ['held', 'paid'] });
			const body = formBody(signed(notificationFields({ paymentStatus: status })));
			expect(await harness.post(body)).toEqual(OK);
			expect(harness.executions).toHaveLength(0);
			harness.setParameters({ events: ['*'] });
			expect(await harness.post(body)).toEqual(OK);
			expect(harness.executions.map((e) => [e.items[0].event, e.items[0].status])).toEqual([
				['unknown', { code: null, name: 'Unknown' }],
			]);
			expect(harness.thrown).toEqual([]);
		},
	);

	test('an unknown status code: OK and nothing, unless "Any Status" is chosen', async () => {
		const body = formBody(signed(notificationFields({ paymentStatus: '9' })));
		expect(await harness.post(body)).toEqual(OK);
		expect(harness.executions).toHaveLength(0);

		harness.resetStaticData();
		harness.setParameters({ events: ['*'] });
		expect(await harness.post(body)).toEqual(OK);
		expect(harness.executions[0].items[0]).toMatchObject({
			event: 'unknown',
			status: { code: 9, name: 'Unknown' },
		});
	});
});

describe('Allowed Sender IPs', () => {
	test('a sender on the list is accepted', async () => {
		harness.setParameters({
			events: ['paid'],
			options: { allowedSenderIps: '91.212.151.242, 127.0.0.1' },
		});
		expect(await harness.post(formBody(signed(notificationFields())))).toEqual(OK);
		expect(harness.executions).toHaveLength(1);
	});

	test('a sender not on the list is refused before anything else, even with a valid hash', async () => {
		harness.setParameters({
			events: ['paid'],
			options: { allowedSenderIps: '91.212.151.242 62.122.184.254' },
		});
		const answer = await harness.post(formBody(signed(notificationFields())));
		expect(answer).toEqual(refused(403));
		expect(answer.body).toContain('sender address');
		expect(harness.executions).toHaveLength(0);
		expect(harness.staticData()).toEqual({});
	});
});

describe('activation', () => {
	test('succeeds with a Shop Secret Key and events', async () => {
		await expect(harness.activate()).resolves.toBe(true);
	});

	test('fails with a clear message when the credential has no Shop Secret Key', async () => {
		harness.setCredential({ shopSecretKey: '' });
		await expect(harness.activate()).rejects.toMatchObject({
			name: 'NodeOperationError',
			message:
				'The IntellectMoney credential has no Shop Secret Key, so notifications cannot be verified',
		});
		harness.setCredential({ shopSecretKey: '   ' });
		await expect(harness.activate()).rejects.toThrow(/no Shop Secret Key/);
	});

	test.each([
		[{ rememberDays: 6 }, /Remember For \(Days\) is out of range/],
		[{ rememberDays: 91 }, /Remember For \(Days\) is out of range/],
		[{ rememberedNotifications: 99 }, /Remembered Notifications is out of range/],
		[{ rememberedNotifications: 50_001 }, /Remembered Notifications is out of range/],
		[{ confirmInvoiceId: true }, /Confirm Invoice ID needs Login and Password/],
	])('fails for the option %j', async (options, message) => {
		harness.setParameters({ events: ['held'], options });
		await expect(harness.activate()).rejects.toThrow(message);
	});

	test('fails for a bad Eshop ID, no events, or an allow-list entry that is not an address', async () => {
		harness.setCredential({ eshopId: 'shop-1' });
		await expect(harness.activate()).rejects.toThrow(/Eshop ID .* 1 to 6 digits/);
		harness.setCredential({});
		harness.setParameters({ events: [] });
		await expect(harness.activate()).rejects.toThrow('Choose at least one event');
		harness.setParameters({
			events: ['paid'],
			options: { allowedSenderIps: '91.212.151.242, lk' },
		});
		await expect(harness.activate()).rejects.toThrow(/not IP addresses: lk/);
	});
});

describe('secrets', () => {
	test('no key, hash or password in any answer or item, webhook() never threw', async () => {
		harness.setParameters({ events: ['*'], options: { includeRawFields: true } });
		const fields = signed(notificationFields());
		await harness.post(formBody({ ...fields, secretKey: SHOP.shopSecretKey }));
		await harness.post(formBody({ ...fields, hash: 'a'.repeat(32) }));
		await harness.post(formBody(signed(notificationFields({ eshopId: '1' }))));
		const seen = [...harness.seen, ...harness.logs].join('\n');
		expect(harness.executions.length).toBeGreaterThan(0);
		for (const secret of [
			SHOP.shopSecretKey,
			fields.hash,
			'BEARER-TOKEN-not-used-by-the-trigger',
			'SIGN-SECRET-not-used-by-the-trigger',
		])
			expect(seen).not.toContain(secret);
		expect(seen).not.toMatch(/"hash"|"secretKey"/i);
		expect(harness.thrown).toEqual([]);
	});
});
