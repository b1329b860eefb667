import { redactAnswer, redactorFor } from '../../shared/transport/redact';

describe('redact: a request’s own values hidden from an answer', () => {
	const redactor = redactorFor([
		{ name: 'Password', value: 'пароль 1&2' },
		{ name: 'UserToken', value: 'TOKEN-abc' },
		{ name: 'Login', value: 'op' },
		{ name: 'Bearer Token', value: '' },
	]);

	test.each([
		['as sent', 'Password=пароль 1&2!', 'Password=<Password>!'],
		['URL-encoded', 'p=%D0%BF%D0%B0%D1%80%D0%BE%D0%BB%D1%8C%201%262', 'p=<Password>'],
		['form-encoded', 'p=%D0%BF%D0%B0%D1%80%D0%BE%D0%BB%D1%8C+1%262', 'p=<Password>'],
		[
			'twice, and another value',
			'TOKEN-abc/TOKEN-abc пароль 1&2',
			'<UserToken>/<UserToken> <Password>',
		],
		['a short value standing alone', 'login op refused', 'login <Login> refused'],
		['a short value inside a word is left', 'operation stopped', 'operation stopped'],
	])('%s', (_name, text, expected) => {
		expect(redactor.redact(text)).toBe(expected);
	});

	test('an answer is copied only when it holds a secret; numbers and names stay', () => {
		const clean = { OperationState: { Code: 0, Desc: 'ok' }, Result: { Balance: 10 } };
		expect(redactAnswer(clean, redactor)).toBe(clean);
		const echo = {
			OperationState: { Code: 2, Desc: 'bad TOKEN-abc' },
			Result: [{ A: 'TOKEN-abc', N: 1 }],
		};
		expect(redactAnswer(echo, redactor)).toEqual({
			OperationState: { Code: 2, Desc: 'bad <UserToken>' },
			Result: [{ A: '<UserToken>', N: 1 }],
		});
		expect(echo.OperationState.Desc).toBe('bad TOKEN-abc');
	});
});
