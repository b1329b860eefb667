/**
 * Account → Check Setup's notification fact: whether the Shop Secret Key verifies a notification the
 * operator pasted, with the trigger's own verification (nodes/IntellectMoneyTrigger/notification.ts,
 * docs/intellectmoney-api.md §5). Only field names are reported, never a value of the notification.
 */
import { isShowableName } from '../../../../shared/inferences/shape';
import {
	HASHED_FIELDS,
	indexPairs,
	parseFormBody,
	pairsFromParsedBody,
	verifyNotification,
} from '../../../IntellectMoneyTrigger/notification';
import type { ReceivedPair } from '../../../IntellectMoneyTrigger/notification';
import type { Verdict } from './setupReads';

/** The pairs of a pasted notification: a form body (`eshopId=…&hash=…`) or a JSON object of its fields. */
function pastedPairs(text: string): ReceivedPair[] {
	const trimmed = text.trim();
	if (trimmed.startsWith('{')) {
		try {
			return pairsFromParsedBody(JSON.parse(trimmed));
		} catch {
			return [];
		}
	}
	return parseFormBody(Buffer.from(trimmed, 'utf8'));
}

/** Field names of the notification, in words that carry no value. */
function fieldsSeen(pairs: ReceivedPair[]): string {
	const index = indexPairs(pairs);
	const names = [...index.values()].map((pair) => pair.name);
	const shown = names.filter(isShowableName);
	const hidden = names.length - shown.length;
	const missing = [...HASHED_FIELDS, 'hash'].filter((name) => !index.has(name.toLowerCase()));
	return [
		`fields ${shown.join(', ') || 'none'}${hidden > 0 ? ` and ${hidden} other` : ''}`,
		missing.length > 0
			? `hashed fields missing: ${missing.join(', ')}`
			: 'every hashed field present',
	].join('; ');
}

export function judgeNotification(pasted: string, shopSecretKey: string): Verdict {
	if (pasted.trim() === '') return { result: 'not checked', seen: 'no Notification Body given' };
	const pairs = pastedPairs(pasted);
	if (pairs.length === 0) {
		return {
			result: 'not checked',
			seen: 'the Notification Body is neither a form body nor a JSON object of fields',
		};
	}
	if (!indexPairs(pairs).has('hash')) {
		const seen =
			"the notification has no hash (paste the raw body IntellectMoney posted, not the trigger's " +
			`output item); it has ${fieldsSeen(pairs)}`;
		return { result: 'not checked', seen };
	}
	if (shopSecretKey === '') {
		return {
			result: 'not checked',
			seen: `the credential has no Shop Secret Key; the notification has ${fieldsSeen(pairs)}`,
		};
	}
	const verification = verifyNotification(pairs, shopSecretKey);
	return verification.verified
		? {
				result: 'held',
				seen: `verified (${verification.encoding}); the notification has ${fieldsSeen(pairs)}`,
			}
		: {
				result: 'not held',
				seen: `the hash does not match; the notification has ${fieldsSeen(pairs)}`,
			};
}
