// @ts-check
/**
 * A model of IntellectMoney for model-based tests: an HTTP server on 127.0.0.1 that plays one World
 * (worlds.mjs) and a fault schedule, and keeps a ledger per target, the judge of every property. Like
 * test/support/hostile.mjs it checks no signature; unlike it, it keeps the targets' states: an effect
 * shows in the Personal API's reads after the world's delay, in the model's virtual time (clock.mjs).
 *
 * Faults are drawn per request, in order: each money-moving request takes the next of `moneyFaults`,
 * each state read the next of `readFaults` ('none' once a list is used up).
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

import { virtualClock } from './clock.mjs';
import { CARRIED_OUT_FAULTS } from './worlds.mjs';

export const ESHOP_ID = '450000';
export const PATHS = {
	token: 'personal/user/getUserToken',
	capture: 'merchant/purchaseToPaid',
	refund: 'merchant/purchaseToRefund',
	createInvoice: 'merchant/createInvoice',
	history: 'personal/payment/getInvoicesHistory',
	execute: 'personal/payout/executeOperation',
	payoutState: 'personal/payout/getOperationState',
	createPayout: 'personal/payout/createOperation',
};
const MONEY_PATHS = new Set([
	PATHS.capture,
	PATHS.refund,
	PATHS.createInvoice,
	PATHS.execute,
	PATHS.createPayout,
]);

/**
 * @typedef {import('./worlds.mjs').World} World
 * @typedef {import('./worlds.mjs').MoneyFault} MoneyFault
 * @typedef {import('./worlds.mjs').ReadFault} ReadFault
 * @typedef {{ at: number, state: string }} StateEvent
 * @typedef {{ id: string, orderId: string, initial: string, events: StateEvent[], captures: number, refunds: number }} ModelInvoice
 * @typedef {{ id: string, initial: string, events: StateEvent[], executions: number }} ModelPayout
 * @typedef {{ seq: number, path: string, fields: Record<string, string>, headers: import('node:http').IncomingHttpHeaders,
 *   fault: string, carriedOut: boolean,
 *   target: string, openedAt: number, closedAt?: number }} WorldRequest
 */

/** IntellectMoney's success envelope (dev pages "Тело ответа"). @param {Record<string, unknown>} result */
export const envelope = (result) => ({
	OperationState: { Code: 0, Desc: 'Успешно обработана' },
	Result: { State: { Code: 0, Desc: 'Успешно обработан' }, ...result },
});
/** IntellectMoney's refusal envelope. @param {number} code @param {string} desc */
const refusal = (code, desc) => ({
	OperationState: { Code: 0, Desc: 'Успешно обработана' },
	Result: { State: { Code: code, Desc: desc } },
});

/** A page that echoes the request, headers and body: the keys would show in an error. @param {WorldRequest} entry */
const echoPage = (entry) => {
	const echo =
		`${JSON.stringify(entry.headers)} ${new URLSearchParams(entry.fields).toString()}`.replace(
			/[<>&]/g,
			' ',
		);
	return `<html><head><title>${echo}</title></head><body>${echo}</body></html>`;
};

export const LOGIN_PAGE =
	'<!DOCTYPE html><html><body><form action="/login"><input name="password"></form></body></html>';

/** @param {World} world */
export async function startWorld(world) {
	/** @type {Map<string, ModelInvoice>} */
	const invoices = new Map();
	/** @type {Map<string, ModelPayout>} */
	const payouts = new Map();
	/** Invoices createInvoice made, per Order ID. @type {Map<string, string[]>} */
	const created = new Map();
	/** @type {Set<string>} */
	const createdPayouts = new Set();
	/** @type {WorldRequest[]} */
	const log = [];
	/** @type {{ money: MoneyFault[], reads: ReadFault[] }} */
	const schedule = { money: [], reads: [] };
	const userToken = `MODEL-USER-TOKEN-${randomUUID()}`;
	let invoiceCounter = 3000070000;

	const readDelay = () =>
		world.showAfterMs === 'never' ? Infinity : world.showAfterMs + world.personalLagMs;
	/** The state a read shows now. @param {{ initial: string, events: StateEvent[] }} target */
	const visible = (target) => {
		const now = virtualClock.now();
		let shown = target.initial;
		for (const event of target.events) if (event.at + readDelay() <= now) shown = event.state;
		return shown;
	};
	/** The true state now (what the Merchant API acts on). @param {{ initial: string, events: StateEvent[] }} target */
	const actual = (target) => target.events.at(-1)?.state ?? target.initial;
	/** @param {{ events: StateEvent[] }} target @param {string} state */
	const change = (target, state) => target.events.push({ at: virtualClock.now(), state });

	/** @param {Record<string, string>} f */
	const invoiceOf = (f) =>
		f.InvoiceId
			? invoices.get(f.InvoiceId)
			: [...invoices.values()].find((inv) => inv.orderId === f.OrderId);

	/**
	 * Carries a money-moving request out, if the world lets it: the answer, and the target it names.
	 * @param {string} path @param {Record<string, string>} f
	 * @returns {{ body: unknown, carriedOut: boolean, target: string }}
	 */
	function carryOut(path, f) {
		if (path === PATHS.capture || path === PATHS.refund) {
			const inv = invoiceOf(f);
			if (!inv)
				return {
					body: refusal(3, 'Счёт не найден'),
					carriedOut: false,
					target: f.InvoiceId ?? f.OrderId,
				};
			const now = actual(inv);
			const capture = path === PATHS.capture;
			const key = `${capture ? 'capture' : 'refund'}:${inv.id}`;
			const first = capture
				? now === 'Held'
				: ['Created', 'Held', 'Paid'].includes(now) && inv.refunds === 0;
			// A capture acts only on a held invoice (docs/intellectmoney-api.md §2.1, published): a repeat of
			// a captured one is refused in every world. A second refund has no published rule: both answers.
			const again = world.repeat === 'carriedOut' && !capture && inv.refunds > 0;
			if (!first && !again) {
				const body = refusal(5, 'Операция невозможна в текущем состоянии счёта');
				return { body, carriedOut: false, target: key };
			}
			if (capture) inv.captures += 1;
			else inv.refunds += 1;
			if (first) change(inv, capture ? 'Paid' : 'Refund');
			const body = envelope({
				InvoiceId: Number(inv.id),
				OrderId: inv.orderId,
				OperationId: randomUUID(),
			});
			return { body, carriedOut: true, target: key };
		}
		if (path === PATHS.createInvoice) {
			const order = f.OrderId;
			const made = created.get(order) ?? [];
			if (made.length > 0 && world.createRepeat === 'refused') {
				const body = refusal(7, 'Счёт с таким OrderId уже существует');
				return { body, carriedOut: false, target: `invoice:${order}` };
			}
			const id = String(++invoiceCounter);
			created.set(order, [...made, id]);
			invoices.set(id, {
				id,
				orderId: order,
				initial: 'Created',
				events: [],
				captures: 0,
				refunds: 0,
			});
			return {
				body: envelope({ InvoiceId: Number(id) }),
				carriedOut: true,
				target: `invoice:${order}`,
			};
		}
		if (path === PATHS.execute) {
			const op = payouts.get(String(f.PayoutOperationId).toLowerCase());
			if (!op)
				return {
					body: refusal(3, 'Операция не найдена'),
					carriedOut: false,
					target: f.PayoutOperationId,
				};
			const first = actual(op) === 'Created';
			if (!first && world.repeat !== 'carriedOut') {
				return {
					body: refusal(5, 'Операция уже выполняется'),
					carriedOut: false,
					target: `execute:${op.id}`,
				};
			}
			op.executions += 1;
			if (first) change(op, 'InProcess');
			return {
				body: envelope({ PayoutOperationId: op.id, PayoutOperationState: 'InProcess' }),
				carriedOut: true,
				target: `execute:${op.id}`,
			};
		}
		const id = randomUUID();
		createdPayouts.add(id);
		payouts.set(id, { id, initial: 'Created', events: [], executions: 0 });
		return {
			body: envelope({ PayoutOperationId: id }),
			carriedOut: true,
			target: `createPayout:${id}`,
		};
	}

	/** A state read's answer under its fault. @param {string} path @param {Record<string, string>} f @param {ReadFault} fault */
	function read(path, f, fault) {
		if (fault === 'refused') return refusal(3, 'Сервис временно недоступен');
		if (path === PATHS.history) {
			const inv = invoices.get(f.InvoiceId);
			/** @param {string} state @param {string} [id] */
			const entry = (state, id = inv?.id) => ({
				Id: Number(id),
				State: state,
				PurchaseOrderId: inv?.orderId,
				EShopId: Number(ESHOP_ID),
				Amount: { Amount: 1500, Currency: 'RUB' },
				CurrentAmount: { Amount: 1500, Currency: 'RUB' },
			});
			if (!inv || fault === 'empty') return envelope({ InvoicesHistoryList: [] });
			if (fault === 'stale') return envelope({ InvoicesHistoryList: [entry(inv.initial)] });
			if (fault === 'duplicated')
				return envelope({ InvoicesHistoryList: [entry(inv.initial), entry(visible(inv))] });
			if (fault === 'otherTarget')
				return envelope({ InvoicesHistoryList: [entry('Held', '3000099999')] });
			return envelope({ InvoicesHistoryList: [entry(visible(inv))] });
		}
		const op = payouts.get(String(f.PayoutOperationId).toLowerCase());
		if (!op || fault === 'empty') return envelope({ PayoutOperationId: f.PayoutOperationId });
		if (fault === 'stale' || fault === 'duplicated')
			return envelope({ PayoutOperationId: op.id, PayoutOperationState: op.initial });
		if (fault === 'otherTarget') {
			return envelope({
				PayoutOperationId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
				PayoutOperationState: 'Created',
			});
		}
		return envelope({ PayoutOperationId: op.id, PayoutOperationState: visible(op) });
	}

	/**
	 * @param {import('node:http').ServerResponse} res @param {number} status @param {unknown} body
	 * @param {{ cut?: boolean, headers?: Record<string, string> }} [options]
	 */
	function reply(res, status, body, options = {}) {
		const text = typeof body === 'string' ? body : JSON.stringify(body);
		const type =
			typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8';
		res.writeHead(status, {
			'content-type': type,
			'content-length': Buffer.byteLength(text),
			...options.headers,
		});
		if (options.cut) {
			res.write(text.slice(0, Math.floor(text.length / 2)));
			setImmediate(() => res.socket?.destroy());
		} else res.end(text);
	}

	/** @param {WorldRequest} entry @param {import('node:http').ServerResponse} res */
	function handleMoney(entry, res) {
		const fault = /** @type {MoneyFault} */ (schedule.money.shift() ?? 'none');
		entry.fault = fault;
		if (fault === 'reset') return void res.socket?.destroy();
		if (fault === 'http429Before')
			return reply(res, 429, { error: 'Too Many Requests' }, { headers: { 'retry-after': '2' } });
		if (fault === 'redirect') {
			return reply(res, 307, '<html>Moved</html>', {
				headers: { location: `/elsewhere/${entry.path}` },
			});
		}
		if (fault === 'foreignPage') return reply(res, 200, LOGIN_PAGE);
		if (fault === 'echoPage') return reply(res, 200, echoPage(entry));
		if (fault === 'imRefusal') return reply(res, 200, refusal(3, 'Сервис временно недоступен'));
		if (fault === 'bareEnvelope') return reply(res, 200, { OperationState: { Code: 0 } });
		if (fault === 'nullResult')
			return reply(res, 200, { OperationState: { Code: 0 }, Result: null });
		const done = carryOut(entry.path, entry.fields);
		entry.carriedOut = done.carriedOut && CARRIED_OUT_FAULTS.has(fault);
		entry.target = done.target;
		if (fault === 'lost') return void res.socket?.destroy();
		if (fault === 'http5xxAfter')
			return reply(res, 502, '<html><body><h1>502 Bad Gateway</h1></body></html>');
		if (fault === 'http429After')
			return reply(res, 429, { error: 'Too Many Requests' }, { headers: { 'retry-after': '2' } });
		if (fault === 'late') return; // never answered: the client gives up at its Timeout
		reply(res, 200, done.body, { cut: fault === 'truncated' });
	}

	/** @param {WorldRequest} entry @param {import('node:http').ServerResponse} res */
	function handleRead(entry, res) {
		const fault = /** @type {ReadFault} */ (schedule.reads.shift() ?? 'none');
		entry.fault = fault;
		entry.target = entry.fields.InvoiceId ?? entry.fields.PayoutOperationId ?? '';
		if (fault === 'reset') return void res.socket?.destroy();
		if (fault === 'http500') return reply(res, 500, '<html><body><h1>500</h1></body></html>');
		if (fault === 'echoPage') return reply(res, 200, echoPage(entry));
		reply(res, 200, read(entry.path, entry.fields, fault));
	}

	/** @type {Set<import('node:net').Socket>} */
	const sockets = new Set();
	const server = createServer((req, res) => {
		const chunks = /** @type {Buffer[]} */ ([]);
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const path = (req.url ?? '/').split('?')[0].replace(/^\/+/, '');
			const fields = Object.fromEntries(
				new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
			);
			/** @type {WorldRequest} */
			const entry = {
				seq: log.length,
				path,
				fields,
				headers: req.headers,
				fault: 'none',
				carriedOut: false,
				target: '',
				openedAt: Date.now(),
			};
			log.push(entry);
			res.on('close', () => (entry.closedAt = Date.now()));
			if (path === PATHS.token) return reply(res, 200, envelope({ UserToken: userToken }));
			if (MONEY_PATHS.has(path)) return handleMoney(entry, res);
			if (path === PATHS.history || path === PATHS.payoutState) return handleRead(entry, res);
			reply(res, 404, { error: 'not an IntellectMoney path' });
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());

	return {
		url: `http://127.0.0.1:${port}/`,
		world,
		log,
		userToken,
		invoices,
		payouts,
		created,
		createdPayouts,
		schedule,
		/** @param {{ id: string, orderId: string, state: string }} input */
		addInvoice(input) {
			// A Paid invoice was captured before the schedule began (or paid without a hold): that capture counts.
			const captures = input.state === 'Paid' ? 1 : 0;
			invoices.set(input.id, {
				id: input.id,
				orderId: input.orderId,
				initial: input.state,
				events: [],
				captures,
				refunds: 0,
			});
		},
		/** @param {string} id */
		addPayout(id) {
			payouts.set(id.toLowerCase(), { id, initial: 'Created', events: [], executions: 0 });
		},
		/** How often each target moved: captures, refunds, executions, invoices per order. */
		ledger() {
			/** @type {Record<string, number>} */
			const moves = {};
			for (const inv of invoices.values()) {
				moves[`capture:${inv.id}`] = inv.captures;
				moves[`refund:${inv.id}`] = inv.refunds;
			}
			for (const op of payouts.values()) moves[`execute:${op.id}`] = op.executions;
			for (const [order, ids] of created) moves[`invoice:${order}`] = ids.length;
			return moves;
		},
		async stop() {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
}

/** @typedef {Awaited<ReturnType<typeof startWorld>>} WorldServer */
