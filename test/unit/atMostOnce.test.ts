/**
 * The at-most-once protocol's decisions (nodes/IntellectMoney/atMostOnce/protocol.ts), as a pure
 * function: each case is a history of observations and the one step it must lead to. The model tests
 * (test/model/) run the same decisions through the real node against random fault schedules.
 */
import { decide, MAX_SENDS } from '../../nodes/IntellectMoney/atMostOnce/protocol';
import type { Memory, Observation, Policy } from '../../nodes/IntellectMoney/atMostOnce/protocol';

const readable: Policy = { canRead: true, readFirst: true, renewsToken: true };
const capture: Policy = { canRead: true, readFirst: false, renewsToken: false };
const blind: Policy = { canRead: false, readFirst: false, renewsToken: false };

const answered: Observation = { kind: 'answered' };
const lost: Observation = { kind: 'failed', neverLeft: false, retryable: true, retryAfterMs: 0 };
const neverLeft: Observation = {
	kind: 'failed',
	neverLeft: true,
	retryable: true,
	retryAfterMs: 0,
};
const rateLimited: Observation = {
	kind: 'failed',
	neverLeft: false,
	retryable: true,
	retryAfterMs: 2000,
};
const refused: Observation = { kind: 'refused', tokenRefused: false };
const tokenRefused: Observation = { kind: 'refused', tokenRefused: true };
const read = (verdict: 'done' | 'pending' | 'unknown'): Observation => ({ kind: 'read', verdict });

type Case = [string, Policy, Memory, Observation[], ReturnType<typeof decide>];

const cases: Case[] = [
	['read first where no rule refuses a repeat', readable, 'none', [], { step: 'read', afterMs: 0 }],
	['capture sends at once', capture, 'none', [], { step: 'send', afterMs: 0 }],
	['read first: done', readable, 'none', [read('done')], { step: 'stop', outcome: 'alreadyDone' }],
	['read first: pending', readable, 'none', [read('pending')], { step: 'send', afterMs: 0 }],
	[
		'read first: unknown',
		readable,
		'none',
		[read('unknown')],
		{ step: 'stop', outcome: 'unreadableFirst' },
	],
	['answered', capture, 'none', [answered], { step: 'stop', outcome: 'sent' }],
	['never left: sent again', capture, 'none', [neverLeft], { step: 'send', afterMs: 500 }],
	[
		'never left three times',
		capture,
		'none',
		[neverLeft, neverLeft, neverLeft],
		{ step: 'stop', outcome: 'notSent' },
	],
	['lost: read after 2 s', capture, 'none', [lost], { step: 'read', afterMs: 2000 }],
	[
		'lost, pending: read once more',
		capture,
		'none',
		[lost, read('pending')],
		{ step: 'read', afterMs: 3000 },
	],
	// The planted bug "two pending reads prove it": this must stay `lost`.
	[
		'lost, pending twice: never resent',
		capture,
		'none',
		[lost, read('pending'), read('pending')],
		{ step: 'stop', outcome: 'lost' },
	],
	[
		'lost, then done',
		capture,
		'none',
		[lost, read('pending'), read('done')],
		{ step: 'stop', outcome: 'alreadyDone' },
	],
	['lost, unknown', capture, 'none', [lost, read('unknown')], { step: 'stop', outcome: 'lost' }],
	['lost, unreadable target', blind, 'none', [lost], { step: 'stop', outcome: 'lost' }],
	[
		'HTTP 429: the state is read, after Retry-After',
		capture,
		'none',
		[rateLimited],
		{ step: 'read', afterMs: 2000 },
	],
	[
		'HTTP 429, unreadable target: lost',
		blind,
		'none',
		[rateLimited],
		{ step: 'stop', outcome: 'lost' },
	],
	[
		'refused: the state may say it is done',
		capture,
		'none',
		[refused],
		{ step: 'read', afterMs: 0 },
	],
	[
		'refused, pending',
		capture,
		'none',
		[refused, read('pending')],
		{ step: 'stop', outcome: 'refused' },
	],
	[
		'refused, done',
		capture,
		'none',
		[refused, read('done')],
		{ step: 'stop', outcome: 'alreadyDone' },
	],
	[
		'token refused: renew',
		readable,
		'none',
		[read('pending'), tokenRefused],
		{ step: 'renewToken' },
	],
	[
		'renewed: send',
		readable,
		'none',
		[read('pending'), tokenRefused, { kind: 'renewed', ok: true }],
		{ step: 'send', afterMs: 0 },
	],
	[
		'token refused twice: no second renewal',
		readable,
		'none',
		[read('pending'), tokenRefused, { kind: 'renewed', ok: true }, tokenRefused],
		{ step: 'read', afterMs: 0 },
	],
	[
		'renewal failed',
		readable,
		'none',
		[read('pending'), tokenRefused, { kind: 'renewed', ok: false }],
		{ step: 'stop', outcome: 'refused' },
	],
	[
		'this execution sent it',
		readable,
		'thisExecutionSent',
		[],
		{ step: 'stop', outcome: 'alreadyDone' },
	],
	[
		'this execution may have: read',
		readable,
		'thisExecutionLost',
		[],
		{ step: 'read', afterMs: 0 },
	],
	[
		'this execution may have, pending: lost',
		readable,
		'thisExecutionLost',
		[read('pending')],
		{ step: 'stop', outcome: 'lost' },
	],
	[
		'this execution may have, done',
		readable,
		'thisExecutionLost',
		[read('done')],
		{ step: 'stop', outcome: 'alreadyDone' },
	],
	[
		'this execution may have, unreadable target',
		blind,
		'thisExecutionLost',
		[],
		{ step: 'stop', outcome: 'lost' },
	],
	['an earlier run may have: read', readable, 'earlierRun', [], { step: 'read', afterMs: 0 }],
	[
		'an earlier run may have, pending: not sent',
		readable,
		'earlierRun',
		[read('pending')],
		{ step: 'stop', outcome: 'earlierRun' },
	],
	[
		'an earlier run may have, done',
		readable,
		'earlierRun',
		[read('done')],
		{ step: 'stop', outcome: 'alreadyDone' },
	],
	[
		'an earlier run may have, unreadable target',
		blind,
		'earlierRun',
		[],
		{ step: 'stop', outcome: 'earlierRun' },
	],
];

describe('decide', () => {
	test.each(cases)('%s', (_name, policy, memory, history, step) => {
		expect(decide(policy, memory, history)).toEqual(step);
	});

	test('no history of any length sends after an answer that may have been carried out', () => {
		// Every history that contains a lost answer: the next step is never `send`.
		const kinds: Observation[] = [
			lost,
			rateLimited,
			read('pending'),
			read('unknown'),
			refused,
			neverLeft,
		];
		const histories: Observation[][] = [[lost]];
		for (let length = 0; length < 4; length++) {
			for (const history of [...histories])
				for (const next of kinds) histories.push([...history, next]);
		}
		for (const policy of [readable, capture, blind]) {
			for (const history of histories) {
				const sendsAfterLoss = history.filter((seen) => seen.kind !== 'read').length;
				if (sendsAfterLoss > MAX_SENDS) continue;
				const lastIsLoss = history.findIndex((seen) => seen === lost || seen === rateLimited) >= 0;
				if (!lastIsLoss) continue;
				const step = decide(policy, 'none', history);
				if (history.every((seen) => seen === lost || seen.kind === 'read')) {
					expect(step.step).not.toBe('send');
				}
			}
		}
	});
});
