// @ts-check
/**
 * shared/inferences (built, from dist/): the classifier that tells a read whose endpoint itself is
 * wrong from an ordinary refusal or a network failure, the error built for it, the shape words that
 * never carry a value, and the table of inferences kept in step with docs/intellectmoney-api.md §10.1.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { PROJECT_ROOT } from '../../dev/paths.mjs';
import { endpointLooksWrong } from '../../dist/shared/inferences/endpointLooksWrong.js';
import { inferenceError } from '../../dist/shared/inferences/error.js';
import { describeShape, isShowableName } from '../../dist/shared/inferences/shape.js';
import { INFERENCES } from '../../dist/shared/inferences/table.js';
import { transportFailure } from '../../dist/shared/transport/answer.js';

const NODE = {
	id: '1',
	name: 'IntellectMoney',
	type: 'x',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
/** @type {'personal/payout/getOperationState'} */
const STATE = 'personal/payout/getOperationState';
/** @type {'personal/payment/getAccountData'} */
const ACCOUNT = 'personal/payment/getAccountData';

/** @param {number} code @param {string} desc @param {string} [param] */
const refused = (code, desc, param) => ({
	OperationState: { Code: 0, Desc: 'Успешно обработана' },
	Result: { State: { Code: code, Desc: desc }, ...(param ? { ErrorSourceParam: param } : {}) },
});
/** @param {Record<string, unknown>} result */
const success = (result) => ({
	OperationState: { Code: 0, Desc: 'Успешно обработана' },
	Result: { State: { Code: 0, Desc: 'Успешно обработан' }, ...result },
});
/** @param {number} status */
const httpFailure = (status) =>
	transportFailure(/** @type {any} */ (NODE), true, `IntellectMoney answered HTTP ${status}`, {
		description: 'x',
		httpCode: String(status),
		retryable: false,
	});

describe('endpointLooksWrong', () => {
	test.each([
		['HTTP 404', STATE, httpFailure(404), 'http-404'],
		[
			'"Метод не найден", no Result',
			STATE,
			{ OperationState: { Code: 2, Desc: 'Метод не найден' }, Result: null },
			'no-such-method',
		],
		['"Unknown method"', STATE, refused(2, 'Unknown method getOperationState'), 'no-such-method'],
		[
			'"Неизвестный параметр"',
			STATE,
			refused(3, 'Неизвестный параметр PayoutOperationId', 'PayoutOperationId'),
			'no-such-field',
		],
		[
			'"Field … does not exist"',
			ACCOUNT,
			refused(3, 'Field BalanceOnDate does not exist'),
			'no-such-field',
		],
		[
			'a success without PayoutOperationState',
			STATE,
			success({ OperationId: 'x' }),
			'unknown-shape',
		],
		[
			'AccountInfoData with other names',
			ACCOUNT,
			success({ AvailableBalance: 10 }),
			'unknown-shape',
		],
		[
			'a success without a Result',
			ACCOUNT,
			{ OperationState: { Code: 0 }, Result: null },
			'unknown-shape',
		],
	])('%s: %s', (_name, endpoint, answer, kind) => {
		expect(endpointLooksWrong(/** @type {any} */ (endpoint), answer)?.kind).toBe(kind);
	});

	test.each([
		['HTTP 500', STATE, httpFailure(500)],
		['a plain Error', STATE, new Error('boom')],
		[
			'"Операция выплаты не найдена"',
			STATE,
			refused(4, 'Операция выплаты не найдена', 'PayoutOperationId'),
		],
		['"Счёт не найден"', ACCOUNT, refused(4, 'Счёт не найден', 'AccountId')],
		['"Некорректный параметр"', ACCOUNT, refused(3, 'Некорректный параметр Amount', 'Amount')],
		['a refused user token', STATE, refused(2, 'Токен пользователя недействителен', 'UserToken')],
		['a readable payout state', STATE, success({ PayoutOperationState: 'InProcess' })],
		['a readable balance', ACCOUNT, success({ Balance: { Amount: '10.50', Currency: 'RUB' } })],
		['queued', ACCOUNT, { OperationState: { Code: 1 }, Result: null }],
		['not an answer', STATE, 'text'],
	])('%s: undefined (an ordinary answer or failure)', (_name, endpoint, answer) => {
		expect(endpointLooksWrong(/** @type {any} */ (endpoint), answer)).toBeUndefined();
	});

	test('the shape names fields and types, never a value, a key-like name or a long code', () => {
		const planted = success({
			AvailableBalance: 48250.17,
			OwnerName: 'Иванов Иван',
			'ivanov@example.org': 'SECRET-planted-1',
			b1f0c3de9a: 'SECRET-planted-2',
			Nested: { Pan: '4276380012345678', Inner: { Deep: { Deeper: 'SECRET-planted-3' } } },
		});
		planted.OperationState.Code = 1234567;
		const shape = String(endpointLooksWrong(ACCOUNT, planted)?.shape);
		expect(shape).toContain('AvailableBalance: number');
		expect(shape).toContain('OwnerName: text');
		expect(shape).toContain('2 other fields');
		for (const value of ['48250', 'Иванов', 'ivanov', 'SECRET', '4276', 'b1f0c3de'])
			expect(shape).not.toContain(value);
		const refusedShape = String(
			endpointLooksWrong(STATE, {
				OperationState: { Code: 1234567, Desc: 'Метод не найден' },
				Result: null,
			})?.shape,
		);
		expect(refusedShape).toContain('OperationState.Code number');
		expect(refusedShape).not.toContain('1234567');
	});
});

describe('inferenceError', () => {
	test('names the inference, the shape, the setup check and what to do', () => {
		const seen = endpointLooksWrong(STATE, httpFailure(404));
		if (seen === undefined) throw new Error('a 404 must look wrong');
		const error = inferenceError(
			/** @type {any} */ (NODE),
			'payout-state-endpoint',
			"The payout's state could not be read first",
			seen,
		);
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toBe(
			`The payout's state could not be read first: IntellectMoney's live answer does not fit the package's inference "payout-state-endpoint"`,
		);
		expect(error.description).toContain('docs/intellectmoney-api.md §2.3');
		expect(error.description).toContain('HTTP 404 at personal/payout/getOperationState');
		expect(error.description).toContain('Account → Check Setup');
		expect(error.description).toContain('Execute the payout by hand in lk.intellectmoney.ru');
		expect(error.context).toMatchObject({
			inference: 'payout-state-endpoint',
			wrongEndpoint: 'http-404',
		});
		expect(error.httpCode).toBe('404');
	});

	test('an id the table lacks is a programming error', () => {
		expect(() =>
			inferenceError(/** @type {any} */ (NODE), 'no-such', 'x', { kind: 'http-404', shape: 'x' }),
		).toThrow('no inference no-such');
	});
});

describe('the shape words', () => {
	test.each([
		'EShopId',
		'InvoicesHistoryList',
		'PayoutOperationId',
		'UserToken',
		'HTTPCode',
		'eshopId',
		'ErrorSourceParam',
	])('%s is a schema word, shown', (name) => expect(isShowableName(name)).toBe(true));
	test.each([
		'b1f0c3de',
		'ivanov@example.org',
		'1234567',
		'Иванов',
		'YdUlqkFc',
		'SIGN-hostile-b84d',
		'aZkQpLm',
		'UserField_1',
	])('%s is not shown', (name) => expect(isShowableName(name)).toBe(false));
	test('dates are named by format, everything else by type', () => {
		expect(
			describeShape({
				A: '2026-12-07 10:00:00',
				B: '07.12.2026 10:00:00',
				C: 'x',
				D: [],
				E: [{ F: 1 }],
			}),
		).toBe(
			'object{A: date text yyyy-MM-dd HH:mm:ss, B: date text dd.MM.yyyy HH:mm:ss, C: text, D: empty array, E: array of object{F: number}}',
		);
	});
});

describe('the table', () => {
	const doc = readFileSync(path.join(PROJECT_ROOT, 'docs', 'intellectmoney-api.md'), 'utf8');
	const section = doc.slice(doc.indexOf('### §10.1'), doc.indexOf('## §11'));

	test('ids are unique, and each sits in docs/intellectmoney-api.md §10.1 with its section', () => {
		const ids = INFERENCES.map((/** @type {any} */ entry) => entry.id);
		expect(new Set(ids).size).toBe(ids.length);
		const rows = section.split('\n').filter((line) => line.startsWith('| `'));
		expect(rows.map((row) => row.slice(3, row.indexOf('`', 3)))).toEqual(ids);
		for (const entry of INFERENCES) {
			const row = rows.find((line) => line.startsWith(`| \`${entry.id}\``));
			expect(row).toContain(`| ${entry.docSection}: ${entry.assumption} |`);
			expect(doc).toContain(
				`## ${entry.docSection} `.replace('## §2.', '### §2.').replace('## §4.1', '### §4.1'),
			);
		}
	});
});
