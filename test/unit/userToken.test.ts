/**
 * UserTokenSession: one token per execution, renewed at most once, and shared by items that ask at
 * the same moment (Parallel Requests). The "API" here answers getUserToken with token-1, token-2, …
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { UserTokenSession } from '../../shared/userToken';

function fakeNode(): { node: IExecuteFunctions; requests: () => number } {
	let issued = 0;
	const node = {
		getNode: () => ({ name: 'IntellectMoney', type: 'intellectMoney', typeVersion: 1 }),
		helpers: {
			httpRequestWithAuthentication: async () => {
				issued += 1;
				return {
					statusCode: 200,
					headers: {},
					body: {
						OperationState: { Code: 0, Desc: 'ok' },
						Result: { State: { Code: 0, Desc: 'ok' }, UserToken: `token-${issued}` },
					},
				};
			},
		},
	} as unknown as IExecuteFunctions;
	return { node, requests: () => issued };
}

describe('UserTokenSession', () => {
	test('items asking at once share one token request', async () => {
		const { node, requests } = fakeNode();
		const session = new UserTokenSession(node);
		const tokens = await Promise.all([0, 1, 2, 3].map(async () => await session.get()));
		expect(tokens).toEqual(['token-1', 'token-1', 'token-1', 'token-1']);
		expect(requests()).toBe(1);
	});

	test('items refused with the same stale token at once share one renewal', async () => {
		const { node, requests } = fakeNode();
		const session = new UserTokenSession(node);
		const stale = await session.get();
		const renewed = await Promise.all([0, 1, 2, 3].map(async () => await session.renew(stale)));
		expect(renewed).toEqual(['token-2', 'token-2', 'token-2', 'token-2']);
		expect(requests()).toBe(2);
	});

	test('a fresh token refused again is not renewed a second time', async () => {
		const { node } = fakeNode();
		const session = new UserTokenSession(node);
		const first = await session.get();
		const second = await session.renew(first);
		expect(second).toBe('token-2');
		expect(await session.renew(String(second))).toBeUndefined();
	});
});
