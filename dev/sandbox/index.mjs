// @ts-check
/**
 * The bundled IntellectMoney sandbox, a local imitation of IntellectMoney's HTTP API for tests and
 * demos (README.md beside this file: what it serves, its refusal codes, what it invents).
 */
export {
	BUYER_PAYS,
	DEFAULT_SHOP,
	FAILING_PAYOUT_PAN,
	FAILING_RECIPIENT_NAME,
} from './constants.mjs';
export { FAULT_KINDS, NOTIFICATION_FORGES } from './constants.mjs';
export { credentialFor } from './credential.mjs';
export { LIVE_DIFFERS } from './live-differs.mjs';
export { seedDemoData } from './demo-data.mjs';
export { startSandbox } from './start.mjs';

/**
 * @typedef {import('./types.mjs').ShopConfig} ShopConfig
 * @typedef {import('./types.mjs').InvoiceState} InvoiceState
 * @typedef {import('./types.mjs').CaptureOutcome} CaptureOutcome
 * @typedef {import('./types.mjs').PayerInfo} PayerInfo
 * @typedef {import('./types.mjs').Invoice} Invoice
 * @typedef {import('./types.mjs').InvoiceInput} InvoiceInput
 * @typedef {import('./types.mjs').InvoicePayment} InvoicePayment
 * @typedef {import('./types.mjs').Account} Account
 * @typedef {import('./types.mjs').AccountInput} AccountInput
 * @typedef {import('./types.mjs').PayoutState} PayoutState
 * @typedef {import('./types.mjs').PayoutOutcome} PayoutOutcome
 * @typedef {import('./types.mjs').PayoutRecipient} PayoutRecipient
 * @typedef {import('./types.mjs').PayoutOperation} PayoutOperation
 * @typedef {import('./types.mjs').PayoutOperationInput} PayoutOperationInput
 * @typedef {import('./types.mjs').StateInfo} StateInfo
 * @typedef {import('./types.mjs').Envelope} Envelope
 * @typedef {import('./types.mjs').LogEntry} LogEntry
 * @typedef {import('./types.mjs').FaultKind} FaultKind
 * @typedef {import('./types.mjs').FaultSpec} FaultSpec
 * @typedef {import('./types.mjs').Ledger} Ledger
 * @typedef {import('./types.mjs').NotificationForge} NotificationForge
 * @typedef {import('./types.mjs').NotificationEntry} NotificationEntry
 * @typedef {import('./types.mjs').NotificationResponse} NotificationResponse
 * @typedef {import('./types.mjs').NotificationSpec} NotificationSpec
 * @typedef {import('./types.mjs').SandboxOptions} SandboxOptions
 * @typedef {import('./types.mjs').Sandbox} Sandbox
 * @typedef {import('./types.mjs').CredentialData} CredentialData
 */
