/**
 * The two scopes an operation runs in, each created in one place (router.ts) and passed down:
 * - the run: this execution of the node, shared by its items: n8n's context, the shop settings read
 *   from the credential, the Payout API user token. Nothing outlives the execution (no module state),
 *   so concurrent executions and queue-mode workers never share a token;
 * - the item: its index and its parameters, each evaluated once (an expression costs more than the
 *   rest of the item's own work, and the concurrency key and the operation read the same values).
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { checkBaseUrl } from '../../../shared/baseUrl';
import { CREDENTIAL_TYPE, eshopIdOf } from '../../../shared/credential';
import { ItemError } from '../errors';
import { UserTokenSession } from '../../../shared/userToken';

export interface ShopSettings {
	eshopId: string;
	baseUrl: string;
	/** The credential's Test Mode: TST currency, no payouts, `testMode: true` on every item. */
	testMode: boolean;
	/** Whether Login and Password are filled in (the Personal API's reads need them). */
	hasLogin: boolean;
}

export interface RunScope {
	/** n8n's context of this execution of the node (requests, node, logger). */
	node: IExecuteFunctions;
	/** The credential's non-secret settings, read and checked once per execution. */
	shop(): Promise<ShopSettings>;
	userTokens: UserTokenSession;
}

export interface ItemScope {
	index: number;
	/** The item's parameter (dot paths such as `options.timeoutSeconds` too), evaluated once. */
	param(name: string, fallback?: unknown): unknown;
}

export function createRunScope(node: IExecuteFunctions): RunScope {
	let shop: Promise<ShopSettings> | undefined;
	return {
		node,
		shop: async () => await (shop ??= readShopSettings(node)),
		userTokens: new UserTokenSession(node),
	};
}

export function createItemScope(node: IExecuteFunctions, index: number): ItemScope {
	const values = new Map<string, unknown>();
	return {
		index,
		param(name, fallback) {
			if (!values.has(name)) values.set(name, node.getNodeParameter(name, index, fallback));
			return values.get(name);
		},
	};
}

/**
 * Only non-secret fields are read, and whether the API keys and the login are filled in; their values
 * stay in the credential's authenticate.
 */
async function readShopSettings(node: IExecuteFunctions): Promise<ShopSettings> {
	const credentials = await node.getCredentials(CREDENTIAL_TYPE);
	const { bearerToken, signSecretKey, login, password } = credentials;
	return checkShopSettings({
		eshopId: credentials.eshopId,
		baseUrl: credentials.baseUrl,
		testMode: credentials.testMode,
		hasApiKeys: Boolean(bearerToken) && Boolean(signSecretKey),
		hasLogin: Boolean(login) && Boolean(password),
	});
}

/** The credential's non-secret settings, checked before the first request. */
export function checkShopSettings(settings: {
	eshopId: unknown;
	baseUrl: unknown;
	testMode: unknown;
	hasApiKeys: boolean;
	hasLogin: boolean;
}): ShopSettings {
	const testMode = settings.testMode === true;
	if (!testMode && !settings.hasApiKeys) {
		throw new ItemError(
			'The IntellectMoney credential has no Bearer Token or Sign Secret Key',
			'Open the credential and enter both from lk.intellectmoney.ru → Profile → Security → API, or ' +
				'turn on Test Mode to work with the TST test currency before your contract.',
		);
	}
	const eshopId = eshopIdOf(settings.eshopId);
	if (eshopId === undefined) {
		throw new ItemError(
			'Eshop ID in the IntellectMoney credential must be a number of up to 6 digits',
			'Open the credential and enter the shop number from lk.intellectmoney.ru → Shops, e.g. 450000.',
		);
	}
	// The same policy the credential's authenticate applies before it adds any secret.
	const checked = checkBaseUrl(settings.baseUrl);
	if (checked.refused !== undefined) {
		throw new ItemError(
			`Base URL in the IntellectMoney credential is refused: ${checked.refused}`,
			'Open the credential and set Base URL to https://api.intellectmoney.ru/ (the default), or to ' +
				'this machine (http://127.0.0.1:…/) for the bundled sandbox or a local proxy. To reach ' +
				"IntellectMoney through a corporate proxy, keep the default Base URL and set n8n's proxy (HTTPS_PROXY) instead.",
		);
	}
	return { eshopId, baseUrl: checked.url, testMode, hasLogin: settings.hasLogin };
}
