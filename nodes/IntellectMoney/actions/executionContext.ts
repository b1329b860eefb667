/**
 * State that lives for one execution of the node and is shared by its items: the shop settings read
 * from the credential and the Payout API user token. Nothing here outlives the execution (no module
 * state), so concurrent executions and queue-mode workers never share a token.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { validateShopSettings } from '../helpers/inputValidation';
import { CREDENTIAL_TYPE } from '../transport';
import { UserTokenSession } from '../transport/userToken';

export interface ShopSettings {
	eshopId: string;
	baseUrl: string;
	/** The credential's Test Mode: TST currency, no payouts, `testMode: true` on every item. */
	testMode: boolean;
	/** Whether Login and Password are filled in (the Personal API's reads need them). */
	hasLogin: boolean;
}

export interface ExecutionContext {
	/** The credential's Eshop ID and Base URL, validated for this item. */
	shop(itemIndex: number): Promise<ShopSettings>;
	userTokens: UserTokenSession;
	/**
	 * An item's parameter, evaluated once per item: the router's concurrency key and the operation
	 * read the same value, and an expression costs more than the rest of the item's own work.
	 */
	itemParameter(name: string, itemIndex: number): unknown;
	/** Forgets the item's remembered parameters once it has settled. */
	releaseItem(itemIndex: number): void;
}

/** One operation: its UI properties and what it does with one item. */
export interface OperationModule {
	description: INodeProperties[];
	execute(
		this: IExecuteFunctions,
		itemIndex: number,
		context: ExecutionContext,
	): Promise<IDataObject>;
	/**
	 * What money the item targets (e.g. its invoice), read cheaply without checks. With Parallel
	 * Requests, items with equal keys never run at the same time. Undefined = no constraint.
	 */
	concurrencyKey?(
		this: IExecuteFunctions,
		itemIndex: number,
		context: ExecutionContext,
	): string | undefined;
}

export function createExecutionContext(node: IExecuteFunctions): ExecutionContext {
	let credentials: Promise<IDataObject> | undefined;
	const itemParameters = new Map<number, Map<string, unknown>>();
	return {
		async shop(itemIndex) {
			// Only non-secret fields are read here, and whether the API keys are filled in; their values
			// stay in the credential's authenticate.
			credentials ??= node.getCredentials(CREDENTIAL_TYPE, itemIndex);
			const { eshopId, baseUrl, testMode, bearerToken, signSecretKey, login, password } =
				await credentials;
			const hasApiKeys = Boolean(bearerToken) && Boolean(signSecretKey);
			const hasLogin = Boolean(login) && Boolean(password);
			return {
				...validateShopSettings(node, itemIndex, { eshopId, baseUrl, testMode, hasApiKeys }),
				hasLogin,
			};
		},
		userTokens: new UserTokenSession(node),
		itemParameter(name, itemIndex) {
			let values = itemParameters.get(itemIndex);
			if (values === undefined) {
				values = new Map();
				itemParameters.set(itemIndex, values);
			}
			if (!values.has(name)) values.set(name, node.getNodeParameter(name, itemIndex));
			return values.get(name);
		},
		releaseItem(itemIndex) {
			itemParameters.delete(itemIndex);
		},
	};
}
