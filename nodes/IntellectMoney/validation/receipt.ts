/**
 * The 54-FZ Merchant Receipt: one JSON object, sent as JSON text, bounded in size. Pure; a failure
 * is an ItemError naming the field and the fix.
 */
import { ItemError } from '../errors';

/**
 * The largest receipt sent. IntellectMoney publishes no limit; a receipt of 100 positions is about
 * 25 KB, so 64 KB leaves room while refusing a data set mapped in by mistake.
 */
export const MAX_RECEIPT_BYTES = 64 * 1024;

/** Throws the item's error: what is wrong, and how to fix it. */
function fail(message: string, description: string): never {
	throw new ItemError(message, description);
}

/** The 54-FZ receipt: a JSON object, given as JSON text or as an object from an expression. */
export function validateMerchantReceipt(value: unknown): string | undefined {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		return undefined;
	}
	let receipt: unknown = value;
	if (typeof value === 'string') {
		try {
			receipt = JSON.parse(value);
		} catch (error) {
			fail(
				'Merchant Receipt is not valid JSON',
				`${(error as Error).message}. Paste the receipt as a JSON object: {"inn": "…", "group": "…", "content": {…}}.`,
			);
		}
	}
	if (typeof receipt !== 'object' || receipt === null || Array.isArray(receipt)) {
		fail(
			'Merchant Receipt must be a JSON object',
			'The receipt is one object with inn, group and content (reference: IntellectMoney online receipt, 54-FZ).',
		);
	}
	if (Object.keys(receipt as object).length === 0) {
		fail(
			'Merchant Receipt is empty',
			'Fill in the receipt ({"inn": "…", "group": "…", "content": {…}}), or remove the Merchant Receipt option to send none.',
		);
	}
	// IntellectMoney takes the receipt as a JSON string in one field (official SDK: json_encode).
	const text = JSON.stringify(receipt);
	const bytes = Buffer.byteLength(text, 'utf8');
	if (bytes > MAX_RECEIPT_BYTES) {
		fail(
			`Merchant Receipt is ${Math.ceil(bytes / 1024)} KB; the node sends at most ${MAX_RECEIPT_BYTES / 1024} KB`,
			'A 54-FZ receipt lists the positions of one purchase; check that the expression gives one receipt object, not a whole data set.',
		);
	}
	return text;
}
