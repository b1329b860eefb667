// @ts-check
/**
 * startSandbox: the state, the server on 127.0.0.1, and the Sandbox object (types.mjs) whose methods
 * act on that state.
 */
import { setMaxListeners } from 'node:events';

import { addAccount, setAccountBalance } from './accounts.mjs';
import { payInvoice } from './buyer.mjs';
import { injectFaults, pendingFaults } from './faults.mjs';
import { sendNotification } from './notification-forges.mjs';
import {
	deliverNotification,
	notificationFor,
	rejectNotificationWaiters,
	waitForNotification,
} from './notifications.mjs';
import { liveDiffersOf } from './live-differs.mjs';
import { listen } from './server.mjs';
import {
	addInvoice,
	addPayoutOperation,
	createState,
	findInvoice,
	issueUserToken,
	ledger,
	settlePayout,
} from './state.mjs';

/**
 * Starts the sandbox on 127.0.0.1.
 * @param {import('./types.mjs').SandboxOptions} [options]
 * @returns {Promise<import('./types.mjs').Sandbox>}
 */
export async function startSandbox(options = {}) {
	const stopController = new AbortController();
	// Every delivery in flight and every retry wait listens for stop(); load tests run hundreds at once.
	setMaxListeners(0, stopController.signal);
	const state = createState(options, stopController.signal);
	const { server, port } = await listen(state, options.port ?? 0);

	/** @type {Promise<void> | undefined} */
	let stopping;

	return {
		url: `http://127.0.0.1:${port}/`,
		shop: state.shop,
		log: state.log,
		clearLog() {
			state.log.length = 0;
		},
		onRequest(hook) {
			state.requestHook = hook;
		},
		addInvoice: (input) => addInvoice(state, input),
		getInvoice: (idOrOrder) => findInvoice(state, idOrOrder),
		payInvoice: (idOrOrder, payer) => payInvoice(state, idOrOrder, payer),
		addAccount: (input) => addAccount(state, input),
		getAccount: (accountId) => state.accounts.get(accountId),
		setAccountBalance: (accountId, balance, at) => setAccountBalance(state, accountId, balance, at),
		addPayoutOperation: (input) => addPayoutOperation(state, input),
		getPayoutOperation: (id) => state.payouts.get(id.toLowerCase()),
		settlePayout: (id, outcome, errorMessage) => settlePayout(state, id, outcome, errorMessage),
		issueUserToken: (token) => issueUserToken(state, token),
		expireUserTokens() {
			for (const token of state.userTokens.keys()) state.userTokens.set(token, 0);
		},
		issuedUserTokens: () => [...state.userTokens.keys()],
		ledger: () => ledger(state),
		playLiveDiffers(switches) {
			state.liveDiffers = liveDiffersOf(switches);
		},
		injectFaults: (spec) => injectFaults(state, spec),
		pendingFaults: () => pendingFaults(state),
		clearFaults() {
			state.faults.length = 0;
		},
		notifications: state.notifications.entries,
		clearNotifications() {
			state.notifications.entries.length = 0;
		},
		waitForNotification: (predicate, timeoutMs) => waitForNotification(state, predicate, timeoutMs),
		flushNotifications: () => state.notifications.queue,
		notificationFor: (idOrOrder, paymentStatus) => notificationFor(state, idOrOrder, paymentStatus),
		deliverNotification: (url, fields) => deliverNotification(state, url, fields),
		sendNotification: (url, what, how) => sendNotification(state, url, what, how),
		stop() {
			stopping ??= new Promise((resolve, reject) => {
				stopController.abort();
				rejectNotificationWaiters(state);
				server.close((err) => (err ? reject(err) : resolve()));
				// close() alone waits for keep-alive sockets to time out; jest would report an open handle.
				server.closeAllConnections();
			});
			return stopping;
		},
	};
}
