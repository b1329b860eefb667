/**
 * IntellectMoney request signing: pure functions, no I/O, no n8n state.
 *
 * Recipe (developer.intellectmoney.ru/info/signature, confirmed): the values in the documented order,
 * joined with `::`, the secret appended as the last segment, UTF-8, lower-case hex.
 * - `Sign` header: SHA-256 with the Sign Secret Key (issued together with the Bearer token).
 * - body `Hash` / `PurchaseHash`: MD5 with the shop Secret Key (empty by default in the cabinet).
 * An absent value is an EMPTY segment (`a::::c`), never dropped: dropping it is the most common bug in
 * IntellectMoney client code (see docs/intellectmoney-api.md §3 "Pitfalls").
 *
 * The credential's `authenticate` is the only caller at run time; `index.js` re-exports these helpers so
 * code outside n8n signs exactly the same way.
 */
import { createHash } from 'crypto';

/** A signed segment: either a body field (by its exact name) or a literal written into the string. */
export type SignedSegment = string | { literal: string };

export interface EndpointSignature {
	/** Segments of the SHA-256 `Sign` header, before the Sign Secret Key. */
	sign: SignedSegment[];
	/** Segments of the MD5 body `Hash`, before the shop Secret Key; absent = no hash. */
	hash?: SignedSegment[];
	/** Segments of the MD5 body `PurchaseHash`, before the shop Secret Key; absent = no PurchaseHash. */
	purchaseHash?: SignedSegment[];
	/** Whether the credential adds Login and Password to the body (only the user-token request). */
	addsLogin?: boolean;
}

/** Endpoint paths, relative to the Base URL, exactly as IntellectMoney publishes them. */
export const ENDPOINTS = {
	createInvoice: 'merchant/createInvoice',
	capturePurchase: 'merchant/purchaseToPaid',
	refundPurchase: 'merchant/purchaseToRefund',
	createPayout: 'personal/payout/createOperation',
	executePayout: 'personal/payout/executeOperation',
	// Issues the Personal/Payout API user token.
	userSession: 'personal/user/getUserToken',
	payoutState: 'personal/payout/getOperationState',
	invoiceHistory: 'personal/payment/getInvoicesHistory',
	accountData: 'personal/payment/getAccountData',
} as const;

export type IntellectMoneyEndpoint = (typeof ENDPOINTS)[keyof typeof ENDPOINTS];

const capturePurchaseSegments: SignedSegment[] = ['EshopId', 'OrderId', { literal: 'ToPaid' }];
const refundPurchaseSegments: SignedSegment[] = ['EshopId', 'OrderId', { literal: 'Refund' }];

// dev/merchant/api/createInvoice (confirmed), docs/intellectmoney-api.md §2.1. The dev page prints `SuccessUrl::::BackUrl`
// (FailUrl missing, its slot kept); the wiki, the SDK and every client include FailUrl, so it is read as a
// rendering glitch (docs/intellectmoney-api.md §7 Q1). HoldTime, MerchantReceipt and Language are sent but not signed.
const createInvoiceSegments: SignedSegment[] = [
	'EshopId',
	'OrderId',
	'ServiceName',
	'RecipientAmount',
	'RecipientCurrency',
	'UserName',
	'Email',
	'SuccessUrl',
	'FailUrl',
	'BackUrl',
	'ResultUrl',
	'ExpireDate',
	'HoldMode',
	'Preference',
];

/**
 * The one table of endpoint → signed fields. An endpoint missing here is never sent: the credential
 * refuses to send a request it cannot sign.
 */
export const SIGNED_FIELDS: Record<IntellectMoneyEndpoint, EndpointSignature> = {
	// docs/intellectmoney-api.md §2.1 (purchaseToPaid): Sign = EshopId::OrderId::ToPaid::SignSecretKey, and Hash/PurchaseHash =
	// EshopId::OrderId::ToPaid::SecretKey. `ToPaid` is the literal action name: purchaseToRefund has the
	// literal `Refund` in the same slot, and the legacy hold form posted action=ToPaid (docs/intellectmoney-api.md §0).
	'merchant/purchaseToPaid': {
		sign: capturePurchaseSegments,
		hash: capturePurchaseSegments,
		purchaseHash: capturePurchaseSegments,
	},
	// dev/merchant/api/createInvoice: Hash uses the Sign fields with the shop Secret Key; PurchaseHash is
	// the short form EshopId::OrderId::ServiceName::RecipientAmount::RecipientCurrency (official SDK
	// `_hashPatterns.purchaseHash`, docs/intellectmoney-api.md §2.1).
	'merchant/createInvoice': {
		sign: createInvoiceSegments,
		hash: createInvoiceSegments,
		purchaseHash: ['EshopId', 'OrderId', 'ServiceName', 'RecipientAmount', 'RecipientCurrency'],
	},
	// dev/merchant/api/purchaseToRefund: Sign = EshopId::OrderId::Refund::SignSecretKey (confirmed). The
	// page is cut before Hash; it is read as purchaseToPaid's formula with `Refund` (inference, docs/intellectmoney-api.md §2.1).
	'merchant/purchaseToRefund': {
		sign: refundPurchaseSegments,
		hash: refundPurchaseSegments,
		purchaseHash: refundPurchaseSegments,
	},
	// dev/payout/api/createOperation (confirmed; the page's field table stops at Currency),
	// docs/intellectmoney-api.md §2.3.
	'personal/payout/createOperation': {
		sign: [
			'UserToken',
			'PreferenceType',
			'Pan',
			'Account',
			'BankId',
			'Amount',
			'Currency',
			'RecipientName',
			'EshopId',
		],
	},
	// docs/intellectmoney-api.md §2.3 (executeOperation): Sign = UserToken::PayoutOperationId::SignSecretKey. No body hash.
	'personal/payout/executeOperation': { sign: ['UserToken', 'PayoutOperationId'] },
	// getUserToken's Sign is not published. The one client that signs it uses `::Login::Password::::key`
	// (Magomedov-Magomed/python-intellectmoney, docs/intellectmoney-api.md §2.2, inference); other clients send no Sign,
	// which a server that does not check it ignores, so sending this one is the safe reading.
	'personal/user/getUserToken': {
		sign: [{ literal: '' }, 'Login', 'Password', { literal: '' }],
		addsLogin: true,
	},
	// wiki/88768545 names getOperationState; its URL and Sign are not published. This is the reading of
	// its sibling executeOperation (same fields), docs/intellectmoney-api.md §2.3 (inference).
	'personal/payout/getOperationState': { sign: ['UserToken', 'PayoutOperationId'] },
	// dev/personal/api/getInvoicesHistory (confirmed), docs/intellectmoney-api.md §2.2.
	'personal/payment/getInvoicesHistory': {
		sign: [
			'UserToken',
			'Skip',
			'Take',
			'EshopId',
			'InvoiceId',
			'DateFrom',
			'DateTo',
			'ChangeDateFrom',
			'ChangeDateTo',
			'IncludePaymentTransactions',
			'IsHoldingSearch',
			'OrganizationId',
			'OwnerEmail',
			'WithRefunds',
		],
	},
	// dev/personal/api/getAccountData (confirmed): Sign = UserToken::AccountId::BalanceOnDate::::SignSecretKey,
	// with an empty segment before the key as the page prints it. It may be a field the page does not
	// render (the createInvoice pattern, docs/intellectmoney-api.md §7 Q1); this node sends no such
	// field, so both readings sign the same string.
	'personal/payment/getAccountData': {
		sign: ['UserToken', 'AccountId', 'BalanceOnDate', { literal: '' }],
	},
};

/** Joins the segment values with `::` and appends the secret; `undefined`/`null` become empty segments. */
export function buildSignatureString(
	values: ReadonlyArray<string | number | null | undefined>,
	secret: string,
): string {
	return [...values, secret]
		.map((value) => (value === undefined || value === null ? '' : String(value)))
		.join('::');
}

export function sha256Hex(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function md5Hex(text: string): string {
	return createHash('md5').update(text, 'utf8').digest('hex');
}

/** The values of `segments`, read from a request body. */
export function segmentValues(
	segments: readonly SignedSegment[],
	body: Readonly<Record<string, string | undefined>>,
): string[] {
	return segments.map((segment) =>
		typeof segment === 'string' ? (body[segment] ?? '') : segment.literal,
	);
}

/** The field order of a recipe, for error messages: `EshopId::OrderId::ToPaid::<secret>`. */
export function describeRecipe(segments: readonly SignedSegment[], secretName: string): string {
	return [...segments.map((s) => (typeof s === 'string' ? s : s.literal)), `<${secretName}>`].join(
		'::',
	);
}

/**
 * Body fields never shown in a signing string, as `<name>` instead: secrets, and the card number
 * (a full PAN must not reach an execution log).
 */
const SECRET_FIELDS = ['UserToken', 'Login', 'Password', 'Pan'];

/**
 * The string that was signed, as an operator may see it: the real non-secret values in the recipe's
 * order, secret fields and the key replaced by their names, e.g. `450000::order-42::ToPaid::<Sign Secret Key>`.
 */
export function maskedSignatureString(
	segments: readonly SignedSegment[],
	body: Readonly<Record<string, string | undefined>>,
	secretName: string,
): string {
	const values = segments.map((segment) =>
		typeof segment !== 'string'
			? segment.literal
			: SECRET_FIELDS.includes(segment)
				? `<${segment}>`
				: (body[segment] ?? ''),
	);
	return [...values, `<${secretName}>`].join('::');
}

/** SHA-256 `Sign` for an endpoint's body. */
export function computeSign(
	endpoint: IntellectMoneyEndpoint,
	body: Readonly<Record<string, string | undefined>>,
	signSecretKey: string,
): string {
	return sha256Hex(
		buildSignatureString(segmentValues(SIGNED_FIELDS[endpoint].sign, body), signSecretKey),
	);
}

/** MD5 body `Hash` (or, with `field`, `PurchaseHash`) for an endpoint's body; `undefined` when it has none. */
export function computeHash(
	endpoint: IntellectMoneyEndpoint,
	body: Readonly<Record<string, string | undefined>>,
	shopSecretKey: string,
	field: 'hash' | 'purchaseHash' = 'hash',
): string | undefined {
	const segments = SIGNED_FIELDS[endpoint][field];
	if (!segments) return undefined;
	return md5Hex(buildSignatureString(segmentValues(segments, body), shopSecretKey));
}

/** Characters a request address may have: no query, fragment, user info, escapes, spaces or backslashes. */
const PLAIN_ADDRESS = /^[A-Za-z0-9\-._~:/[\]]*$/;

/** An address with a scheme (`https:`) or a host (`//host`): resolved on its own, not under the Base URL. */
const HAS_SCHEME_OR_HOST = /^([a-z][a-z\d+\-.]*:|\/\/)/i;

/**
 * The signed endpoint a request is for, when it goes to the Base URL and nowhere else; otherwise
 * undefined. `url` is relative to the Base URL (as the node sends it: `merchant/purchaseToPaid`, a
 * leading `/` is dropped as the HTTP client drops it), or absolute or protocol-relative, and then must
 * resolve to exactly the Base URL's origin, its path, then an endpoint of the table. Matching by the
 * path's end alone would sign `https://elsewhere/merchant/purchaseToPaid`, which n8n then sends there:
 * a caller's absolute `url` overrides the `baseURL` the credential sets.
 */
export function findSignedEndpoint(
	url: unknown,
	baseUrl: string,
): IntellectMoneyEndpoint | undefined {
	if (typeof url !== 'string' || !PLAIN_ADDRESS.test(url)) return undefined;
	let base: URL;
	let target: URL;
	try {
		base = new URL(baseUrl);
		target = HAS_SCHEME_OR_HOST.test(url)
			? new URL(url, base)
			: new URL(url.replace(/^\/+/, ''), base);
	} catch {
		return undefined;
	}
	if (target.origin !== base.origin || target.search !== '' || target.hash !== '') return undefined;
	if (target.username !== '' || target.password !== '') return undefined;
	if (!target.pathname.startsWith(base.pathname)) return undefined;
	const path = target.pathname.slice(base.pathname.length);
	return (Object.keys(SIGNED_FIELDS) as IntellectMoneyEndpoint[]).find(
		(endpoint) => path === endpoint,
	);
}
