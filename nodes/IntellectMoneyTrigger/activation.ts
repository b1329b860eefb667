/**
 * What the trigger reads from its credential, and the checks that refuse activation (and "Listen for
 * test event") while notifications could not be verified or the settings are unusable.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { CREDENTIAL_TYPE, eshopIdOf } from '../../shared/credential';
import { assertAnswerOkReady } from './answerMode';
import { optionProblems, readTriggerOptions } from './options';
import { parseAllowList } from './senderAddress';

const shopSecretKeyPlace =
	'lk.intellectmoney.ru → Shops → your shop → "Подключение магазина" (Shop connection) tab → Secret key';

export interface ShopKeys {
	eshopId: string;
	/** The key the notification hash is checked with (the one secret the trigger itself needs). */
	shopSecretKey: string;
	/** Whether Login and Password are filled in (their values stay in the credential's authenticate). */
	hasPersonalLogin: boolean;
}

/** The non-secret Eshop ID, the Shop Secret Key (trimmed), and whether Login and Password are set. */
export async function readShopKeys(context: IHookFunctions | IWebhookFunctions): Promise<ShopKeys> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	const text = (value: unknown) =>
		typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	return {
		eshopId: text(credentials.eshopId),
		shopSecretKey: text(credentials.shopSecretKey),
		hasPersonalLogin: text(credentials.login) !== '' && text(credentials.password) !== '',
	};
}

/** Each message says what to fix. */
export async function assertReadyToVerify(context: IHookFunctions): Promise<void> {
	const fail = (message: string, description: string): never => {
		throw new NodeOperationError(context.getNode(), message, { description });
	};
	const { eshopId, shopSecretKey, hasPersonalLogin } = await readShopKeys(context);
	if (shopSecretKey === '') {
		fail(
			'The IntellectMoney credential has no Shop Secret Key, so notifications cannot be verified',
			`Without the key anyone could send a fake payment notification. Set a Secret key in ` +
				`${shopSecretKeyPlace}, and the same value as Shop Secret Key in the credential.`,
		);
	}
	if (eshopIdOf(eshopId) === undefined) {
		fail(
			'The Eshop ID in the IntellectMoney credential must be 1 to 6 digits',
			'Set Eshop ID in the credential to your shop number (lk.intellectmoney.ru → Shops). Notifications for any other shop are refused.',
		);
	}
	const events = context.getNodeParameter('events', []) as string[];
	if (!Array.isArray(events) || events.length === 0) {
		fail(
			'Choose at least one event',
			'Pick the payment statuses to start the workflow for in Events.',
		);
	}
	const rawOptions = context.getNodeParameter('options', {});
	const options = readTriggerOptions(rawOptions);
	const { invalid } = parseAllowList(options.allowedSenderIps);
	if (invalid.length > 0) {
		fail(
			`Allowed Sender IPs has entries that are not IP addresses: ${invalid.join(', ')}`,
			'List single IPv4 or IPv6 addresses separated by commas, e.g. 91.212.151.242, 62.122.184.254, or leave the option empty.',
		);
	}
	for (const problem of optionProblems(rawOptions)) {
		fail(`${problem.option} is out of range`, `Set ${problem.option} to ${problem.fix}.`);
	}
	if (options.confirmInvoiceId && !hasPersonalLogin) {
		fail(
			'Confirm Invoice ID needs Login and Password in the IntellectMoney credential',
			'The invoice number is confirmed through the Personal API, which needs your ' +
				'lk.intellectmoney.ru Login and Password. Fill them in, or turn Confirm Invoice ID off (then ' +
				'capture by the hashed Order ID).',
		);
	}
	assertAnswerOkReady(context, options.answerOk);
}
