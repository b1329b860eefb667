/**
 * IntellectMoney's refusals: business errors come as HTTP 200 with codes inside the envelope
 * (docs/intellectmoney-api.md §4): how to tell one, what it names, and the error an operator sees,
 * with IntellectMoney's own words and a hint of what to check.
 */
import { NodeApiError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import type { ImEnvelope } from '../api';
import { describeRecipe, maskedSignatureString, SIGNED_FIELDS } from '../signature';
import type { IntellectMoneyEndpoint } from '../signature';

/**
 * Business errors come as HTTP 200 (docs/intellectmoney-api.md §4): `OperationState.Code` 2, or
 * `Result.State.Code` other than 0 (success) and 1 (success with warnings).
 */
export function isRefusal(envelope: ImEnvelope): boolean {
	const operationCode = envelope.OperationState?.Code;
	if (operationCode === 2) return true;
	if (operationCode === 1 && !envelope.Result) return false;
	const resultCode = envelope.Result?.State?.Code;
	return resultCode === undefined
		? operationCode !== 1 && operationCode !== 0
		: resultCode !== 0 && resultCode !== 1;
}

/**
 * The parameter an answer names as the source of an error. The docs do not fix its place: it is read
 * on `Result` (as an async client on GitHub reads it) and on `Result.State`.
 */
export function errorSourceParam(envelope: ImEnvelope): string | undefined {
	const param = envelope.Result?.ErrorSourceParam ?? envelope.Result?.State?.ErrorSourceParam;
	return typeof param === 'string' && param !== '' ? param : undefined;
}

/** What a refusal is about, for the decision to renew the user token. */
export function refusedParameter(envelope: ImEnvelope): string | undefined {
	return isRefusal(envelope) ? errorSourceParam(envelope) : undefined;
}

/**
 * Refusals about the keys, the signature or the login (never the refusal of a repeat), by the
 * parameter named, lower case: what to fix, as the refusal's English title.
 */
const CREDENTIAL_TITLES: Readonly<Record<string, string>> = {
	authorization: 'Bearer Token refused: check the Bearer Token',
	sign: 'Signature refused: check the Sign Secret Key',
	hash: 'Body hash refused: check the Shop Secret Key',
	purchasehash: 'Body hash refused: check the Shop Secret Key',
	secretkey: 'Body hash refused: check the Shop Secret Key',
	usertoken: 'User token refused: check Login and Password in the credential',
	login: 'Login refused: check Login and Password in the credential',
	password: 'Password refused: check Login and Password in the credential',
	eshopid: 'Shop refused: check the Eshop ID in the credential',
};

/** The credential field a refusal names (CREDENTIAL_TITLES' key), or undefined. */
function credentialParameter(envelope: ImEnvelope): string | undefined {
	const param = (errorSourceParam(envelope) ?? '').toLowerCase();
	return Object.prototype.hasOwnProperty.call(CREDENTIAL_TITLES, param) ? param : undefined;
}

/** Whether a refusal names a key, signature or login field (so it is not a repeat's refusal). */
export function isCredentialRefusal(envelope: ImEnvelope): boolean {
	return isRefusal(envelope) && credentialParameter(envelope) !== undefined;
}

/** IntellectMoney's own words for a refusal. */
export function refusalDescription(envelope: ImEnvelope): string {
	return envelope.Result?.State?.Desc || envelope.OperationState?.Desc || 'no description given';
}

/** A refusal in one phrase, for the reason of a failed read: its words and the parameter it names. */
export function refusalSummary(envelope: ImEnvelope): string {
	const param = errorSourceParam(envelope);
	return `${refusalDescription(envelope)}${param ? `; ErrorSourceParam ${param}` : ''}`;
}

/** What each request is, for a refusal's title when nothing more precise is known. */
export const REFUSED_ACTION: Readonly<Record<IntellectMoneyEndpoint, string>> = {
	'merchant/createInvoice': 'Invoice not created',
	'merchant/purchaseToPaid': 'Capture refused',
	'merchant/purchaseToRefund': 'Release or refund refused',
	'personal/payout/createOperation': 'Payout not created',
	'personal/payout/executeOperation': 'Payout not executed',
	// The token request proves the keys and the login together: without a named field, all four.
	'personal/user/getUserToken':
		'User token not issued: check the Bearer Token, Sign Secret Key, Login and Password',
	'personal/payout/getOperationState': 'Payout state not read',
	'personal/payment/getInvoicesHistory': 'Invoice list not read',
	'personal/payment/getAccountData': 'Balance not read',
};

/**
 * A refusal's English title: what happened, from what the node knows. IntellectMoney publishes no
 * table of its refusal codes (docs/intellectmoney-api.md §4), so the title comes from the parameter it
 * names, else from the caller's evidence (a state read), else from the request.
 */
export function refusalTitle(
	envelope: ImEnvelope,
	endpoint: IntellectMoneyEndpoint,
	evidence?: string,
): string {
	const param = credentialParameter(envelope);
	return (param && CREDENTIAL_TITLES[param]) ?? evidence ?? REFUSED_ACTION[endpoint];
}

/**
 * IntellectMoney's refusal as a `NodeApiError`: an English title (refusalTitle), IntellectMoney's own
 * words after it, then a hint of what to check, `note` (what the node knows, e.g. from a state read)
 * and the codes last. No HTTP code: a refusal comes with HTTP 200, which says nothing to an operator.
 */
export function refusalError(
	node: INode,
	envelope: ImEnvelope,
	endpoint: IntellectMoneyEndpoint,
	body: Record<string, string> = {},
	note = '',
	evidence?: string,
): NodeApiError {
	const resultState = envelope.Result?.State;
	const operationState = envelope.OperationState;
	const desc = refusalDescription(envelope);
	const param = errorSourceParam(envelope);
	const codes = [
		`OperationState.Code ${operationState?.Code ?? '-'}`,
		`Result.State.Code ${resultState?.Code ?? '-'}`,
		param ? `ErrorSourceParam ${param}` : undefined,
	]
		.filter(Boolean)
		.join(', ');
	const hint = refusalHint(endpoint, param, body);
	const description = [hint, note, `IntellectMoney's codes: ${codes}.`].filter(Boolean).join(' ');
	return new NodeApiError(
		node,
		{
			message: desc,
			operationStateCode: operationState?.Code ?? null,
			resultStateCode: resultState?.Code ?? null,
			errorSourceParam: param ?? null,
		} as JsonObject,
		{
			message: `${refusalTitle(envelope, endpoint, evidence)}. IntellectMoney says: ${desc}`,
			description,
		},
	);
}

/** Throws IntellectMoney's refusal (refusalError) when the answer is one. */
export function throwIfRefused(
	node: INode,
	envelope: ImEnvelope,
	endpoint: IntellectMoneyEndpoint,
	body: Record<string, string> = {},
	note = '',
): void {
	if (isRefusal(envelope)) throw refusalError(node, envelope, endpoint, body, note);
}

/**
 * What to check for the parameter IntellectMoney names. For signature refusals: the recipe's field
 * order and the string that was signed, secrets masked, so MD5/SHA-256 and key mix-ups can be seen.
 */
function refusalHint(
	endpoint: IntellectMoneyEndpoint,
	param: string | undefined,
	body: Record<string, string>,
): string {
	const recipe = SIGNED_FIELDS[endpoint];
	switch ((param ?? '').toLowerCase()) {
		case 'authorization':
			return 'Check the Bearer Token in the IntellectMoney credential.';
		case 'sign':
			return `Check the Sign Secret Key in the credential (not the Shop Secret Key): the Sign header is SHA-256 of ${describeRecipe(recipe.sign, 'Sign Secret Key')}; signed here: ${maskedSignatureString(recipe.sign, body, 'Sign Secret Key')}.`;
		case 'hash':
		case 'purchasehash': {
			return recipe.hash
				? `Check the Shop Secret Key in the credential (the shop's "Подключение магазина" tab; not the Sign Secret Key): the body Hash is MD5 of ${describeRecipe(recipe.hash, 'Shop Secret Key')}; hashed here: ${maskedSignatureString(recipe.hash, body, 'Shop Secret Key')}. Leave the key empty if the shop has none.`
				: 'Check the Shop Secret Key in the credential.';
		}
		case 'usertoken':
		case 'login':
		case 'password':
			return 'Check Login and Password in the IntellectMoney credential.';
		default:
			return '';
	}
}
