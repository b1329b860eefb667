/**
 * What the credential, the node and the trigger agree on about the IntellectMoney API credential: its
 * type name, the fields they read, and the Eshop ID rule.
 */

/** The credential type's `name` (credentials/IntellectMoneyApi.credentials.ts). */
export const CREDENTIAL_TYPE = 'intellectMoneyApi';

/** The decrypted credential, as n8n hands it to `authenticate`. */
export interface IntellectMoneyCredentialData {
	eshopId: string;
	bearerToken: string;
	signSecretKey: string;
	shopSecretKey?: string;
	login?: string;
	password?: string;
	baseUrl?: string;
	testMode?: boolean;
}

/** The shop number: up to 6 digits (docs/intellectmoney-api.md §2.1: EshopId, INT, max 6). */
const ESHOP_ID = /^\d{1,6}$/;

/** The credential's Eshop ID, trimmed, when it is a shop number; otherwise undefined. */
export function eshopIdOf(value: unknown): string | undefined {
	const text = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	return ESHOP_ID.test(text) ? text : undefined;
}
