import type {
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { checkBaseUrl, DEFAULT_BASE_URL } from '../shared/baseUrl';
import type { IntellectMoneyCredentialData } from '../shared/credential';
import { computeHash, computeSign, findSignedEndpoint, SIGNED_FIELDS } from '../shared/signature';
import type { IntellectMoneyEndpoint } from '../shared/signature';

/**
 * Why the credential refused to sign a request: it was never sent. The code lets the node's transport
 * tell it apart from a request that got lost on its way (shared/baseUrl.ts explains the policy).
 */
export class UnsignedRequestError extends Error {
	readonly code = 'EIM_NOT_SIGNED';
}

/**
 * Signs one request in place of n8n: the only code that reads the token, the keys and the password.
 *
 * The node builds the body from non-secret fields; this adds `Authorization`, the SHA-256 `Sign`
 * header, the MD5 body `Hash`/`PurchaseHash` (when the shop has a secret key), Login and Password for
 * the user-token request, and serializes the body as a form, so the signed values are the bytes sent.
 * Form encoding is what both original doc pages send (the code samples of docs/intellectmoney-api.md §2.1 and §2.3).
 *
 * It also makes sure the signed request goes nowhere else: the Base URL must pass the policy in
 * shared/baseUrl.ts (checked before any secret is added), redirects are never followed (a 307 would
 * carry the headers and body to the host it names), and the request's Timeout bounds the whole
 * answer, not only the gap between two bytes.
 */
export async function signIntellectMoneyRequest(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const data = credentials as unknown as IntellectMoneyCredentialData;
	const baseUrl = checkBaseUrl(data.baseUrl);
	if (baseUrl.refused !== undefined) {
		throw new UnsignedRequestError(
			`The IntellectMoney credential's Base URL is refused: ${baseUrl.refused}`,
		);
	}
	const endpoint = signedEndpointOf(requestOptions, baseUrl.url);
	const recipe = SIGNED_FIELDS[endpoint];

	const body: Record<string, string> = {};
	const givenBody =
		typeof requestOptions.body === 'object' && requestOptions.body !== null
			? (requestOptions.body as Record<string, unknown>)
			: {};
	for (const [name, value] of Object.entries(givenBody)) {
		if (value !== undefined && value !== null) body[name] = String(value);
	}
	if (recipe.addsLogin) {
		body.Login = data.login ?? '';
		body.Password = data.password ?? '';
	}

	const shopSecretKey = data.shopSecretKey ?? '';
	if (shopSecretKey !== '') {
		const hash = computeHash(endpoint, body, shopSecretKey);
		if (hash !== undefined) body.Hash = hash;
		// docs/intellectmoney-api.md §2.1: purchaseToPaid's PurchaseHash has Hash's formula; createInvoice's is
		// shorter (docs/intellectmoney-api.md §2.1).
		const purchaseHash = computeHash(endpoint, body, shopSecretKey, 'purchaseHash');
		if (purchaseHash !== undefined) body.PurchaseHash = purchaseHash;
	}

	const bearerToken = data.bearerToken ?? '';
	const signSecretKey = data.signSecretKey ?? '';
	const headers: Record<string, string> = {
		Accept: 'application/json',
		'Content-Type': 'application/x-www-form-urlencoded',
	};
	// dev/info/access: with the TST currency (before a contract) Authorization and Sign are not needed, so
	// a test-mode credential may leave them empty; a live one always sends both, so a missing key is
	// refused by IntellectMoney instead of silently skipped.
	if (!data.testMode || bearerToken !== '') headers.Authorization = `Bearer ${bearerToken}`;
	if (!data.testMode || signSecretKey !== '') {
		headers.Sign = computeSign(endpoint, body, signSecretKey);
	}

	// The address sent is rebuilt from what was checked: the Base URL and the endpoint, nothing of the
	// caller's (its proxy, or an unchecked TLS certificate, would reach another host too).
	const options: IHttpRequestOptions & { uri?: unknown } = { ...requestOptions };
	delete options.uri;
	return {
		...options,
		url: endpoint,
		baseURL: baseUrl.url,
		proxy: undefined,
		skipSslCertificateValidation: false,
		headers: { ...requestOptions.headers, ...headers },
		body: new URLSearchParams(body).toString(),
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		abortSignal: withDeadline(requestOptions),
	};
}

/**
 * The endpoint a request is for, or the refusal (nothing signed, nothing sent): the credential signs
 * only a request to its Base URL's origin and path followed by an endpoint it has a recipe for
 * (findSignedEndpoint). A `uri` is refused wherever it points: only other nodes send one (n8n 1.x's
 * HTTP Request node, through the legacy request helper), and only the node's operations send at most
 * once. A query (`qs`) is refused too: the node sends none, and a signed request carries only its body.
 */
function signedEndpointOf(
	requestOptions: IHttpRequestOptions,
	baseUrl: string,
): IntellectMoneyEndpoint {
	const { url, qs } = requestOptions;
	const uri = (requestOptions as { uri?: unknown }).uri;
	const endpoint = uri === undefined ? findSignedEndpoint(url, baseUrl) : undefined;
	const hasQuery = typeof qs === 'object' && qs !== null && Object.keys(qs).length > 0;
	if (endpoint !== undefined && !hasQuery) return endpoint;
	const asked = describeAddress(uri ?? url, baseUrl);
	const why =
		uri !== undefined
			? `a \`uri\` request for "${asked}", which only other nodes send`
			: hasQuery
				? `"${asked}" with a query`
				: endpointNamedBy(asked) !== undefined
					? `"${asked}" is not at the Base URL ${baseUrl}`
					: `no signature recipe for "${asked}"`;
	const refused = "The IntellectMoney credential signs only the IntellectMoney node's own requests";
	throw new UnsignedRequestError(
		`${refused}; nothing was sent (${why}). Use the IntellectMoney node's operations.`,
	);
}

/** The endpoint an address names by its end (`…/personal/payout/executeOperation`), if any. */
function endpointNamedBy(address: string): string | undefined {
	return Object.keys(SIGNED_FIELDS).find(
		(endpoint) => address === endpoint || address.endsWith(`/${endpoint}`),
	);
}

/**
 * An address as the refusal names it: origin and path, without user info, query or fragment, which
 * another node's address may carry keys of its own in; at most 200 characters.
 */
function describeAddress(address: unknown, baseUrl: string): string {
	const text = String(address);
	let shown = text.split(/[?#]/)[0];
	try {
		const parsed = new URL(text, baseUrl);
		if (/^([a-z][a-z\d+\-.]*:|\/\/)/i.test(text)) shown = `${parsed.origin}${parsed.pathname}`;
	} catch {
		// Not an address at all: named as given, without its query.
	}
	return shown.length > 200 ? `${shown.slice(0, 200)}…` : shown;
}

/**
 * The request's cancel signal, bounded by its Timeout. The HTTP client's own `timeout` only limits
 * the silence between two bytes, so an answer dripped one byte at a time would keep the node waiting
 * far longer. The deadline is set here because n8n-core replaces a node's abortSignal with the
 * execution's cancel signal just before it calls authenticate (n8n-core
 * request-helpers/authentication.js, httpRequestWithAuthentication); both still apply.
 */
function withDeadline(requestOptions: IHttpRequestOptions): IHttpRequestOptions['abortSignal'] {
	const timeoutMs = requestOptions.timeout;
	if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) return requestOptions.abortSignal;
	const deadline = AbortSignal.timeout(timeoutMs);
	const cancel = requestOptions.abortSignal as AbortSignal | undefined;
	return cancel ? AbortSignal.any([cancel, deadline]) : deadline;
}

/**
 * A failed test names the field IntellectMoney names. n8n's test rules compare one body value each
 * (n8n credentials-tester: responseSuccessBody), so there is one rule per field and place.
 */
function refusedFieldRules(): IAuthenticateRuleResponseSuccessBody[] {
	const fields: Array<[string, string]> = [
		[
			'Login',
			'IntellectMoney refused the Login (its answer names Login): check Login and Password',
		],
		[
			'Password',
			'IntellectMoney refused the Password (its answer names Password): check Login and Password',
		],
		['Authorization', 'IntellectMoney refused the Bearer Token: check the Bearer Token'],
		[
			'Sign',
			'IntellectMoney refused the signature: check the Sign Secret Key (not the Shop Secret Key)',
		],
		['EshopId', 'IntellectMoney refused the Eshop ID: check the Eshop ID'],
	];
	return fields.flatMap(([param, message]) =>
		['Result.ErrorSourceParam', 'Result.State.ErrorSourceParam'].map((key) => ({
			type: 'responseSuccessBody' as const,
			properties: { key, value: param, message },
		})),
	);
}

const cabinetApiPage = 'lk.intellectmoney.ru → Profile → Security → API';

export class IntellectMoneyApi implements ICredentialType {
	// CREDENTIAL_TYPE (shared/credential.ts); a literal, as n8n's lint reads credential names statically.
	name = 'intellectMoneyApi';

	displayName = 'IntellectMoney API';

	documentationUrl =
		'https://github.com/n8n-nodes-intellectmoney/n8n-nodes-intellectmoney#credentials';

	icon = {
		light: 'file:../icons/intellectMoney.svg',
		dark: 'file:../icons/intellectMoney.dark.svg',
	} as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Eshop ID',
			name: 'eshopId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 450000',
			description:
				'Your shop number (up to 6 digits). Cabinet: lk.intellectmoney.ru → Shops (Магазины), the number next to the shop name.',
		},
		{
			displayName: 'Bearer Token',
			name: 'bearerToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				`API access token, issued after the contract together with the Sign Secret Key. Cabinet: ` +
				`${cabinetApiPage}. Needed unless Test Mode is on.`,
		},
		{
			displayName: 'Sign Secret Key',
			name: 'signSecretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				`Key for the SHA-256 Sign header (SignSecretKey), issued with the Bearer Token. Cabinet: ` +
				`${cabinetApiPage}. Needed unless Test Mode is on.`,
		},
		{
			displayName: 'Shop Secret Key',
			name: 'shopSecretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Key for the MD5 body Hash, and the key the IntellectMoney Trigger checks notifications with: ' +
				'the trigger cannot be published without it. You set it yourself: lk.intellectmoney.ru → Shops ' +
				'→ your shop → "Подключение магазина" (Shop connection) tab → Secret key. If the shop has none, ' +
				'leave this empty (the node works, the trigger does not).',
		},
		{
			displayName: 'Login',
			name: 'login',
			type: 'string',
			default: '',
			description:
				'Login of your IntellectMoney personal cabinet (lk.intellectmoney.ru). Needed for payouts, Get ' +
				'State, Get Many, Get Balance, Maximum Amount, Confirm Invoice ID and the checks that report a ' +
				'repeat as alreadyDone: the node gets a user token with it for each execution.',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Password of the same personal cabinet login. Needed wherever Login is: payouts, Get State, Get ' +
				'Many, Get Balance, Maximum Amount, Confirm Invoice ID and the repeat checks.',
		},
		{
			displayName: 'Test Mode (TST Currency)',
			name: 'testMode',
			type: 'boolean',
			default: false,
			description:
				"Whether this credential is for IntellectMoney's test mode: invoices are created in the TST " +
				'test currency (no real money; Bearer Token and Sign Secret Key may stay empty before your ' +
				'contract), payouts are refused, and every output item says testMode: true',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description:
				'Leave as is for IntellectMoney. Change only for a proxy in front of the API or the bundled sandbox (http://127.0.0.1:8085/).',
		},
	];

	authenticate = signIntellectMoneyRequest;

	/**
	 * Only this package's nodes may use it: its signed requests move money, and only the node's
	 * operations send them at most once (README, Reliability). n8n 2.x enforces this for the HTTP
	 * Request node too (ICredentialType.restrictToSupportedNodes); n8n fills supportedNodes from the
	 * nodes that name this credential.
	 */
	restrictToSupportedNodes = true as const;

	// Gets a user token: proves the Bearer Token, the Sign Secret Key, Login and Password in one harmless
	// call. IntellectMoney answers a refusal with HTTP 200 and codes, so the rules look at the body: the
	// field IntellectMoney names (ErrorSourceParam, on Result or Result.State) first, then no UserToken
	// means refused. The Shop Secret Key can only be proven by a real capture (README).
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: 'personal/user/getUserToken',
			method: 'POST',
			timeout: 30_000,
		},
		rules: [
			...refusedFieldRules(),
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'Result.UserToken',
					value: undefined,
					message:
						'IntellectMoney refused the credentials without naming a field: check the Bearer Token, Sign Secret Key, Login and Password',
				},
			},
		],
	};
}
