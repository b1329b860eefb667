/** The trigger's parameters, as the node UI shows them (options.ts reads them). */
import type { INodeProperties } from 'n8n-workflow';

import { answerOkOption } from './answerMode';
import { FUTURE_ALLOWANCE_MS } from './freshness';
import {
	DEFAULT_REMEMBER_DAYS,
	DEFAULT_REMEMBERED_NOTIFICATIONS,
	MAX_REMEMBER_DAYS,
	MAX_REMEMBERED_NOTIFICATIONS,
	MIN_REMEMBER_DAYS,
	MIN_REMEMBERED_NOTIFICATIONS,
} from './repeatKeys';
import { ANY_STATUS } from './options';

const allowanceMinutes = FUTURE_ALLOWANCE_MS / 60_000;

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'Paste this node\'s Production URL into lk.intellectmoney.ru → Shops → your shop → "Подключение ' +
			'магазина" → Result URL (it must be https), or send it as Result URL when creating an invoice. ' +
			'Switch the events on in the shop\'s "Уведомления" (Notifications) tab.',
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: ['held', 'paid'],
		description: 'The payment statuses (paymentStatus) that start the workflow',
		options: [
			{
				name: 'Any Status',
				value: ANY_STATUS,
				description: 'Every verified notification, also with a status code this node does not know',
			},
			{
				name: 'Cancelled',
				value: 'cancelled',
				description: 'Status 4: the invoice was cancelled and the money returned to the payer',
			},
			{
				name: 'Created',
				value: 'created',
				description: 'Status 3: the invoice was created',
			},
			{
				name: 'Held',
				value: 'held',
				description:
					'Status 6: the amount is held on the invoice, waiting for capture (IntellectMoney → Purchase → Capture)',
			},
			{
				name: 'Paid',
				value: 'paid',
				description: 'Status 5: the invoice was fully paid',
			},
			{
				name: 'Partially Paid',
				value: 'partiallyPaid',
				description: 'Status 7: part of the invoice was paid',
			},
			{
				name: 'Refunded',
				value: 'refunded',
				description: 'Status 8: a refund was made on the invoice',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Allowed Sender IPs',
				name: 'allowedSenderIps',
				type: 'string',
				default: '',
				placeholder: 'e.g. 91.212.151.242, 62.122.184.254',
				description:
					'Comma-separated sender addresses to accept, all others refused (empty: any sender, the hash is ' +
					'checked either way; IntellectMoney publishes no list; behind a reverse proxy set N8N_PROXY_HOPS)',
			},
			answerOkOption,
			{
				displayName: 'Confirm Invoice ID',
				name: 'confirmInvoiceId',
				type: 'boolean',
				default: false,
				description:
					'Whether to confirm with IntellectMoney (needs Login and Password in the credential) that the ' +
					"notification's invoice number belongs to this shop and Order ID before putting it in the item " +
					'as invoiceId (the number is not covered by the hash)',
			},
			{
				displayName: 'Include Raw Fields',
				name: 'includeRawFields',
				type: 'boolean',
				default: false,
				description:
					'Whether to add every received field (except hash and secretKey) to the item as `raw`; only the hashed ones are verified',
			},
			{
				displayName: 'Remember For (Days)',
				name: 'rememberDays',
				type: 'number',
				default: DEFAULT_REMEMBER_DAYS,
				typeOptions: {
					minValue: MIN_REMEMBER_DAYS,
					maxValue: MAX_REMEMBER_DAYS,
					numberPrecision: 0,
				},
				description:
					`How long notifications are remembered; one whose payment date (paymentData) is older, or more ` +
					`than ${allowanceMinutes} minutes ahead, is handled like a repeat`,
			},
			{
				displayName: 'Remembered Notifications',
				name: 'rememberedNotifications',
				type: 'number',
				default: DEFAULT_REMEMBERED_NOTIFICATIONS,
				typeOptions: {
					minValue: MIN_REMEMBERED_NOTIFICATIONS,
					maxValue: MAX_REMEMBERED_NOTIFICATIONS,
					numberPrecision: 0,
				},
				description:
					"How many notifications are remembered at most (two entries each in n8n's deduplication store, " +
					'shared by every n8n process); set it above the number your shop gets in the Remember For days',
			},
			{
				displayName: 'Repeated Notifications',
				name: 'repeatedNotifications',
				type: 'options',
				default: 'drop',
				description:
					'What to do with a notification seen before (same order, status and payment number, or the same hash) or too old to tell',
				options: [
					{
						name: 'Drop',
						value: 'drop',
						description:
							'Answer OK and run nothing after the trigger, so a repeat never starts a second capture, shipment or e-mail',
					},
					{
						name: 'Pass On Marked',
						value: 'passOnMarked',
						description: 'Start the workflow with `duplicate: true` or `stale: true` on the item',
					},
				],
			},
		],
	},
];
