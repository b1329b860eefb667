/**
 * Payout recipients: a card number (Luhn-checked, never repeated in an error) and an SBP phone.
 * Pure functions; a failure is an ItemError naming the field and the fix.
 */
import { ItemError } from '../errors';

/** Throws the item's error: what is wrong, and how to fix it. */
function fail(message: string, description: string): never {
	throw new ItemError(message, description);
}

/** A card number: 13–19 digits passing the Luhn check; spaces and dashes are removed. */
export function validatePan(value: unknown): string {
	const pan = String(value ?? '').replace(/[\s-]/g, '');
	let sum = 0;
	for (let i = 0; i < pan.length; i++) {
		let digit = Number(pan[pan.length - 1 - i]);
		if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
		sum += digit;
	}
	if (!/^\d{13,19}$/.test(pan) || sum % 10 !== 0) {
		// The number itself is never repeated in the error: it would stay in the execution log.
		fail(
			'Card Number is not a valid card number',
			'Enter the 13–19 digits of the recipient card (the check digit did not match, or the length is wrong).',
		);
	}
	return pan;
}

/** A Russian mobile number for SBP, written as IntellectMoney's sandbox expects: 7XXXXXXXXXX (inference). */
export function validatePhone(value: unknown): string {
	const digits = String(value ?? '').replace(/[\s()+-]/g, '');
	const phone = /^8\d{10}$/.test(digits) ? `7${digits.slice(1)}` : digits;
	if (!/^7\d{10}$/.test(phone)) {
		fail(
			`Phone "${String(value ?? '')}" is not a Russian mobile number`,
			'Enter the recipient phone linked to SBP, e.g. +7 900 123-45-67.',
		);
	}
	return phone;
}
