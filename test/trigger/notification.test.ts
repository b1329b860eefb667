/**
 * The trigger's pure parts: form reading, hash verification (docs/intellectmoney-api.md §3 vector 8, both digests),
 * the output item's statuses, and the sender allow-list. The repeat store is in repeats.test.ts.
 */
import { eventOf } from '../../nodes/IntellectMoneyTrigger/output';
import {
	parseFormBody,
	pairsFromParsedBody,
	verifyNotification,
} from '../../nodes/IntellectMoneyTrigger/notification';
import {
	isAllowedSender,
	normalizeAddress,
	parseAllowList,
} from '../../nodes/IntellectMoneyTrigger/senderAddress';

const VECTOR_8_FIELDS: Record<string, string> = {
	eshopId: '450000',
	orderId: 'order-42',
	serviceName: 'Test',
	eshopAccount: '1234567',
	recipientAmount: '10.00',
	recipientCurrency: 'TST',
	paymentStatus: '5',
	userName: 'Иван',
	userEmail: 'buyer@example.com',
	paymentData: '2025-07-15 18:23:32',
};
const UTF8_HASH = 'e4e6230059afbf67020344f1d97249bd';
const WINDOWS_1251_HASH = 'b7b328777d25892bdcac1dd6e641652a';
const encoder = new TextEncoder();

function form(fields: Record<string, string>): Uint8Array {
	return encoder.encode(new URLSearchParams(fields).toString());
}

describe('parseFormBody', () => {
	test('reads what URLSearchParams reads, keeping order and repeated names', () => {
		const text = 'a=1&b=x+y%20z&c=%D0%98%D0%B2%D0%B0%D0%BD&empty=&flag&a=2&bad=%zz%4';
		const expected = [...new URLSearchParams(text)].map(([name, value]) => ({ name, value }));
		expect(parseFormBody(encoder.encode(text)).map(({ name, value }) => ({ name, value }))).toEqual(
			expected,
		);
	});

	test('keeps the percent-decoded bytes of each value', () => {
		const [pair] = parseFormBody(encoder.encode('userName=%C8%E2%E0%ED'));
		expect([...(pair.bytes ?? [])]).toEqual([0xc8, 0xe2, 0xe0, 0xed]);
		expect(pair.value).toBe('\ufffd'.repeat(4));
	});

	test('stops at 1000 pairs, like n8n’s own form parser', () => {
		const body = encoder.encode(Array.from({ length: 1500 }, (_, i) => `f${i}=${i}`).join('&'));
		expect(parseFormBody(body)).toHaveLength(1000);
	});
});

describe('verifyNotification', () => {
	test('docs/intellectmoney-api.md §3 vector 8, UTF-8 digest', () => {
		const result = verifyNotification(
			parseFormBody(form({ ...VECTOR_8_FIELDS, hash: UTF8_HASH })),
			'SHOPSECRET',
		);
		expect(result).toMatchObject({ verified: true, encoding: 'utf-8' });
	});

	test('docs/intellectmoney-api.md §3 vector 8, windows-1251 digest over a windows-1251 body', () => {
		const body = new URLSearchParams({ ...VECTOR_8_FIELDS, hash: WINDOWS_1251_HASH })
			.toString()
			.replace('userName=%D0%98%D0%B2%D0%B0%D0%BD', 'userName=%C8%E2%E0%ED');
		const result = verifyNotification(parseFormBody(encoder.encode(body)), 'SHOPSECRET');
		expect(result.verified).toBe(true);
		if (!result.verified) return;
		expect(result.encoding).toBe('windows-1251');
		expect(result.pairs.find((pair) => pair.name === 'userName')?.value).toBe('Иван');
	});

	test('the windows-1251 digest does not verify a UTF-8 body', () => {
		const pairs = parseFormBody(form({ ...VECTOR_8_FIELDS, hash: WINDOWS_1251_HASH }));
		expect(verifyNotification(pairs, 'SHOPSECRET')).toEqual({ verified: false });
	});

	test('a parsed (JSON) body verifies over its strings', () => {
		const pairs = pairsFromParsedBody({ ...VECTOR_8_FIELDS, hash: UTF8_HASH, nested: { a: 1 } });
		expect(verifyNotification(pairs, 'SHOPSECRET').verified).toBe(true);
	});

	test.each([
		['wrong key', { ...VECTOR_8_FIELDS, hash: UTF8_HASH }, 'SHOPSECRET2'],
		['empty key', { ...VECTOR_8_FIELDS, hash: UTF8_HASH }, ''],
		['no hash', VECTOR_8_FIELDS, 'SHOPSECRET'],
		['short hash', { ...VECTOR_8_FIELDS, hash: UTF8_HASH.slice(0, 31) }, 'SHOPSECRET'],
		['long hash', { ...VECTOR_8_FIELDS, hash: `${UTF8_HASH}0` }, 'SHOPSECRET'],
		['Cyrillic hash', { ...VECTOR_8_FIELDS, hash: 'ж'.repeat(32) }, 'SHOPSECRET'],
		[
			'amount re-formatted',
			{ ...VECTOR_8_FIELDS, recipientAmount: '10', hash: UTF8_HASH },
			'SHOPSECRET',
		],
	])('refuses: %s', (_case, fields, key) => {
		expect(verifyNotification(parseFormBody(form(fields)), key)).toEqual({ verified: false });
	});

	test('never throws, whatever it is given', () => {
		const garbage: unknown[] = [null, undefined, 42, 'text', [], [{}], [{ name: 1, value: null }]];
		for (const pairs of garbage) {
			expect(() => verifyNotification(pairs as never, 'SHOPSECRET')).not.toThrow();
			expect(verifyNotification(pairs as never, 'SHOPSECRET')).toEqual({ verified: false });
		}
	});
});

describe('eventOf', () => {
	test('maps codes 3–8 and keeps an unknown code as a number', () => {
		expect(['3', '4', '5', '6', '7', '8', ' 6 ', '9', 'x'].map((c) => eventOf(c).event)).toEqual([
			'created',
			'cancelled',
			'paid',
			'held',
			'partiallyPaid',
			'refunded',
			'held',
			'unknown',
			'unknown',
		]);
		expect(eventOf('9')).toEqual({ event: 'unknown', code: 9, name: 'Unknown' });
		expect(eventOf('x').code).toBeNull();
	});

	test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
		'a status named like an inherited property (%s) is unknown, never undefined',
		(status) => {
			expect(eventOf(status)).toEqual({ event: 'unknown', code: null, name: 'Unknown' });
		},
	);
});

describe('sender allow-list', () => {
	test('parses commas, semicolons and spaces; reports entries that are not addresses', () => {
		expect(parseAllowList(' 91.212.151.242,62.122.184.254; ::1  lk 300.1.1.1')).toEqual({
			addresses: ['91.212.151.242', '62.122.184.254', '::1'],
			invalid: ['lk', '300.1.1.1'],
		});
		expect(parseAllowList('')).toEqual({ addresses: [], invalid: [] });
	});

	test('an IPv4-mapped IPv6 sender matches its IPv4 entry', () => {
		expect(normalizeAddress('::FFFF:91.212.151.242')).toBe('91.212.151.242');
		expect(isAllowedSender('::ffff:91.212.151.242', ['91.212.151.242'])).toBe(true);
		expect(isAllowedSender('91.212.151.243', ['91.212.151.242'])).toBe(false);
		expect(isAllowedSender(undefined, ['91.212.151.242'])).toBe(false);
	});
});
