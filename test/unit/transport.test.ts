/**
 * The transport's words for an answer that is not IntellectMoney's envelope: they go into error
 * descriptions (and the execution log), so they say only the status, the content type and the length,
 * never a byte of the body (a page that echoes the request would show the keys).
 */
import { describeAnswer } from '../../shared/transport/answer';

describe('describeAnswer', () => {
	const issued = 'Yd/Ulq+kFc=Vo62XmY6B9VLJ';

	test.each([
		[
			'JSON cut off',
			`{"OperationState":{"Code":0},"Result":{"UserToken":"${issued}`,
			'application/json',
		],
		['JSON, complete', { Result: { UserToken: issued } }, 'application/json; charset=utf-8'],
		['XML', `<Response><UserToken>${issued}</UserToken></Response>`, 'application/xml'],
		['HTML echo', `<html><title>Bearer ${issued}</title></html>`, 'text/html; charset=utf-8'],
		['form', `State=0&UserToken=${issued}&x=1`, 'application/x-www-form-urlencoded'],
	])('%s: status, type and length only', (_shape, body, contentType) => {
		const text = describeAnswer({
			statusCode: 200,
			headers: { 'content-type': contentType },
			body,
		});
		expect(text).toMatch(/^HTTP 200, [a-z]+\/[a-z+.-]+, \d+ bytes$/);
		expect(text).not.toContain(issued.slice(0, 6));
		expect(text).not.toContain('Bearer');
	});

	test('counts UTF-8 bytes, names a missing content type, and never repeats a hostile one', () => {
		expect(describeAnswer({ statusCode: 502, headers: {}, body: 'Шлюз' })).toBe(
			'HTTP 502, no content type, 8 bytes',
		);
		expect(describeAnswer({ statusCode: 204, body: '' })).toBe(
			'HTTP 204, no content type, 0 bytes',
		);
		expect(
			describeAnswer({
				statusCode: 200,
				headers: { 'content-type': `text/plain; x=${issued}` },
				body: 'x',
			}),
		).toBe('HTTP 200, text/plain, 1 bytes');
		expect(
			describeAnswer({ statusCode: 200, headers: { 'content-type': `${issued}` }, body: 'x' }),
		).toBe('HTTP 200, an unusual content type, 1 bytes');
		expect(
			describeAnswer({
				statusCode: 200,
				headers: { 'content-type': 'application/x-5f2b9c0d1e3a4b6c7d8e9f0a1b2c3d4e' },
				body: 'x',
			}),
		).toBe('HTTP 200, an unusual content type, 1 bytes');
	});
});
