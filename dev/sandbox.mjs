// @ts-check
/**
 * Local imitation of the IntellectMoney HTTP API for tests and demos.
 *
 * Serves five POST endpoints on 127.0.0.1 only:
 *   personal/user/getUserToken, merchant/purchaseToPaid, personal/payout/executeOperation, and two
 *   reads, personal/payout/getOperationState and personal/payment/getInvoicesHistory. A read never
 *   changes anything and never counts in the ledger.
 * Facts: /work/shared/reference/intellectmoney-api.md (cited as "reference §N") and the two doc pages
 * seeds/004 (purchaseToPaid) and seeds/000 (executeOperation).
 *
 * The signature checks are written here from the documented recipe strings with node:crypto, on
 * purpose NOT shared with nodes/ or credentials/: a sandbox that reused the node's signing code
 * would agree with any bug in it.
 *
 * Refusal conventions. IntellectMoney publishes no full error-code table (reference §7 Q6), so the
 * codes below are the sandbox's own choices, inside the documented frame (reference §4):
 * every answer is HTTP 200; OperationState.Code 0 = processed, 1 = queued, 2 = could not process;
 * Result.State.Code 0 = success, 1 = success with warning, anything else = error (+ ErrorSourceParam).
 *
 *   kind                         OperationState          Result.State  ErrorSourceParam
 *   ---------------------------  ----------------------  ------------  -------------------------------
 *   wrong Bearer token           2                       2             Authorization
 *   wrong Sign header            2                       2             Sign
 *   wrong/missing Hash           2                       2             Hash           (purchaseToPaid)
 *   wrong Login/Password         2                       2             Login          (getUserToken)
 *   unknown/expired UserToken    2                       2             UserToken      (every personal/payout/*
 *                                                                                      and personal/payment/* one)
 *   body not parseable           2 'Некорректное тело запроса', Result null
 *   unknown shop                 0 'Успешно обработана'  3             EshopId        (getInvoicesHistory: only
 *                                                                                      when an EshopId is sent)
 *   bad / missing identifier     0                       3             InvoiceId | OrderId
 *   bad history search field     0                       3             Skip | Take | InvoiceId | DateFrom | DateTo |
 *                                                                      ChangeDateFrom | ChangeDateTo
 *   invoice / payout not found   0                       4             InvoiceId | OrderId | PayoutOperationId
 *                                (getInvoicesHistory does not refuse: it answers an empty InvoicesHistoryList)
 *   already paid / executed      0                       5             InvoiceId | OrderId | PayoutOperationId
 *   invoice not held (Created)   0                       6             InvoiceId | OrderId
 *   bad MerchantReceipt          0                       7             MerchantReceipt
 *   queued capture               1 (Result null; the capture has happened, reference §4 code 1)
 *   unknown path or not POST     HTTP 404 {"error":"unknown endpoint"} (the only non-200 answer)
 *
 * Checks run in this order: Authorization, body parse, Sign, Hash, then the endpoint's own checks;
 * the first failure answers. The log still records every check's outcome (authValid, signValid,
 * hashValid) so tests can see what the client got right besides the first mistake.
 *
 * Fault injection (`injectFaults`): imitates what a network, a proxy or an overloaded server does to a
 * request, so tests can see what a client makes of it. Faults are queued; each request takes the first
 * queued fault whose endpoint matches (none given = any request, unknown paths included) and consumes
 * one of its `count`. Every request is still logged, with `fault` naming the fault it took.
 *
 *   kind            processed?  what the client gets
 *   --------------  ----------  ---------------------------------------------------------------------
 *   reset           no          the socket is destroyed without an answer
 *   timeout         no          nothing, ever; the socket stays open until the client gives up or stop()
 *   http500/502/503 no          that HTTP status, a small text/html error page
 *   http429         no          HTTP 429, `Retry-After: 2`, JSON {"error":"Too Many Requests"}
 *   html            no          HTTP 200, text/html (a proxy's login page)
 *   xml             no          HTTP 200, application/xml gateway error, whatever Accept asked for
 *   truncated       YES         the real answer's headers, with the Content-Length of the full body,
 *                               then the first half of the body bytes, then the socket is destroyed
 *   applyThenDrop   YES         nothing: the request is processed (money may move), then the socket is
 *                               destroyed without an answer
 *   latency         YES         the real answer, `latencyMs` (default 1000) later; stop() cuts the wait
 *
 * A request not processed is logged with verdict 'refused' and response {error: 'fault: <kind>'};
 * authValid/signValid/hashValid are still computed (they are pure checks). A processed one keeps its
 * real verdict and response.
 */
import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { STATUS_CODES, createServer } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

/**
 * Credentials of the one shop the sandbox knows.
 * @typedef {object} ShopConfig
 * @property {string} eshopId
 * @property {string} bearerToken
 * @property {string} signSecretKey  key of the SHA-256 `Sign` header (reference §0)
 * @property {string} shopSecretKey  key of the MD5 body `Hash`; '' = the shop has none, Hash unchecked
 * @property {string} login          Personal API login for getUserToken
 * @property {string} password
 */

/** @typedef {'Held' | 'Created' | 'Paid'} InvoiceState */
/** @typedef {'ok' | 'queued' | 'warning'} CaptureOutcome */

/**
 * An invoice (СКО). Objects returned by addInvoice/getInvoice are the live records.
 * @typedef {object} Invoice
 * @property {string} invoiceId
 * @property {string} orderId
 * @property {string} amount
 * @property {string} currency
 * @property {InvoiceState} state
 * @property {number} captures  how many times a capture actually moved money
 * @property {CaptureOutcome} outcome  how a successful capture is answered
 * @property {Record<string, unknown> | null} receipt  parsed MerchantReceipt of the capture
 * @property {number} createdAt  epoch ms; CreationDate in getInvoicesHistory
 * @property {number} changedAt  epoch ms of the last state change; ChangeDate in getInvoicesHistory
 */

/**
 * @typedef {object} InvoiceInput
 * @property {string} [invoiceId]  default: unique random 10 digits starting with 3
 * @property {string} [orderId]    default: unique `sandbox-order-N`
 * @property {string} [amount]
 * @property {string} [currency]
 * @property {InvoiceState} [state]
 * @property {CaptureOutcome} [outcome]
 * @property {Date | number} [createdAt]  default: now
 */

/** @typedef {'Created' | 'InProcess' | 'Failed'} PayoutState */
/** @typedef {'InProcess' | 'Failed'} PayoutOutcome */

/**
 * A payout operation, as if created earlier with payout createOperation. Live record.
 * @typedef {object} PayoutOperation
 * @property {string} id
 * @property {string} amount
 * @property {PayoutState} state
 * @property {number} executions  how many times an execution actually sent money out
 * @property {PayoutOutcome} outcome  the state a successful execution moves to
 * @property {string} errorMessage  sent as ErrorMessage when the outcome is Failed
 */

/**
 * @typedef {object} PayoutOperationInput
 * @property {string} [id]  default: random lower-case GUID v4
 * @property {string} [amount]
 * @property {PayoutOutcome} [outcome]
 * @property {string} [errorMessage]
 */

/** @typedef {{ Code: number, Desc: string }} StateInfo */

/**
 * The response envelope (reference §4).
 * @typedef {object} Envelope
 * @property {StateInfo} OperationState
 * @property {string} OperationId
 * @property {number | null} EshopId
 * @property {Record<string, unknown> | null} Result
 */

/**
 * One received HTTP request.
 * @typedef {object} LogEntry
 * @property {number} seq  1, 2, 3 … over the sandbox's life (clearLog does not reset it)
 * @property {string} endpoint  path without the leading slash and without the query string
 * @property {string} method
 * @property {import('node:http').IncomingHttpHeaders} headers  as received (lower-case names)
 * @property {string} contentType
 * @property {Record<string, string>} fields  body fields, original names, string values
 * @property {boolean} authValid
 * @property {boolean | null} signValid  null when the body could not be parsed or the endpoint is unknown
 * @property {boolean | null} hashValid  null when the shop has no secret key or the endpoint has no Hash
 * @property {'accepted' | 'refused'} verdict
 * @property {Envelope | { error: string }} response  the object that was sent (or would have been)
 * @property {FaultKind | null} fault  the injected fault this request took; null = none
 */

/**
 * @typedef {'reset' | 'timeout' | 'http500' | 'http502' | 'http503' | 'http429' | 'html' | 'xml'
 *   | 'truncated' | 'applyThenDrop' | 'latency'} FaultKind
 */

/**
 * @typedef {object} FaultSpec
 * @property {string} [endpoint]  path without the leading slash; one of the five endpoints.
 *   Default: any request, unknown paths included
 * @property {number} [count]  how many requests it hits (default 1)
 * @property {FaultKind} kind
 * @property {number} [latencyMs]  for 'latency' (default 1000); ignored by the other kinds
 */

/**
 * @typedef {object} Ledger
 * @property {Record<string, number>} captures  invoiceId → captures that moved money (every invoice listed)
 * @property {Record<string, number>} payoutExecutions  operation id → executions that sent money
 */

/**
 * @typedef {object} SandboxOptions
 * @property {number} [port]  0 (default) = a free port
 * @property {Partial<ShopConfig>} [shop]  merged over DEFAULT_SHOP
 * @property {number} [userTokenTtlMs]  default 15 minutes
 * @property {number} [latencyMs]  delay before each answer (the request is processed first)
 */

/**
 * @typedef {object} Sandbox
 * @property {string} url  base URL with a trailing slash
 * @property {ShopConfig} shop  the effective shop
 * @property {LogEntry[]} log
 * @property {() => void} clearLog
 * @property {(hook: ((entry: LogEntry) => void) | undefined) => void} onRequest  sets (undefined:
 *   clears) one hook, called synchronously with each log entry once the request has been processed
 *   and before its answer is sent, so a test can change the sandbox between two requests
 * @property {(input?: InvoiceInput) => Invoice} addInvoice
 * @property {(invoiceIdOrOrderId: string) => Invoice | undefined} getInvoice
 * @property {(input?: PayoutOperationInput) => PayoutOperation} addPayoutOperation
 * @property {(id: string) => PayoutOperation | undefined} getPayoutOperation
 * @property {(token?: string) => string} issueUserToken  registers a valid user token, as getUserToken
 *   would (e.g. the `b1f0c3de` of reference §3 vector 5); returns it
 * @property {() => void} expireUserTokens
 * @property {() => string[]} issuedUserTokens
 * @property {() => Ledger} ledger
 * @property {(spec: FaultSpec) => void} injectFaults  queues faults (header comment); throws a
 *   TypeError on an unknown kind or endpoint, a count that is not a positive integer, a bad latencyMs
 * @property {() => number} pendingFaults  faults still queued (sum of the remaining counts)
 * @property {() => void} clearFaults
 * @property {() => Promise<void>} stop  closes every connection, including one held by a 'timeout' fault
 */

/** @type {Readonly<ShopConfig>} */
export const DEFAULT_SHOP = Object.freeze({
	eshopId: '450000',
	bearerToken: 'sandbox-bearer-token-7f3a',
	signSecretKey: 'SIGNSECRET',
	shopSecretKey: 'SHOPSECRET',
	login: 'operator@example.com',
	password: 'sandbox-password-9c1e',
});

const ENDPOINT_TOKEN = 'personal/user/getUserToken';
const ENDPOINT_CAPTURE = 'merchant/purchaseToPaid';
const ENDPOINT_PAYOUT = 'personal/payout/executeOperation';
const ENDPOINT_PAYOUT_STATE = 'personal/payout/getOperationState';
const ENDPOINT_INVOICES_HISTORY = 'personal/payment/getInvoicesHistory';

/** @type {readonly FaultKind[]} */
export const FAULT_KINDS = Object.freeze([
	'reset',
	'timeout',
	'http500',
	'http502',
	'http503',
	'http429',
	'html',
	'xml',
	'truncated',
	'applyThenDrop',
	'latency',
]);
/** Faults that let the request be processed first (the others answer instead of processing). */
const PROCESSING_FAULTS = new Set(['truncated', 'applyThenDrop', 'latency']);

/** A proxy's login page, served by the 'html' fault. */
const HTML_LOGIN_PAGE =
	'<!DOCTYPE html><html><head><title>Вход в сеть</title></head><body><h1>Требуется авторизация</h1>' +
	'<form method="post" action="/login"><input name="user"><input name="password" type="password">' +
	'<button>Войти</button></form></body></html>';
/** A gateway's XML error, served by the 'xml' fault. */
const XML_GATEWAY_ERROR =
	'<?xml version="1.0" encoding="utf-8"?><Error><Code>ServiceUnavailable</Code>' +
	'<Message>Сервис временно недоступен</Message></Error>';

/**
 * Sign segments of getInvoicesHistory, in order (reference §2.2, [C]); the key is appended.
 */
const INVOICES_HISTORY_SIGN_FIELDS = [
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
];

/**
 * IntellectMoney writes dates as 'yyyy-MM-dd HH:mm:ss' without a zone (reference §3). The sandbox
 * reads and writes them as Moscow time (UTC+3, no daylight saving since 2014): an inference [I].
 */
const MSK_OFFSET_MS = 3 * 60 * 60 * 1000;

const MAX_BODY_BYTES = 1024 * 1024;
const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// seeds/004: InvoiceId is "3xxxxxxxxx".
const INVOICE_ID_RE = /^3\d{9}$/;

/** @type {StateInfo} */
const PROCESSED = { Code: 0, Desc: 'Успешно обработана' };

/**
 * Outcome of an endpoint handler, before the OperationId/EshopId are added.
 * @typedef {object} Answer
 * @property {StateInfo} op
 * @property {Record<string, unknown> | null} result
 * @property {boolean} accepted
 */

/**
 * Authorization-type refusal: the request was not processed at all (reference §4 code 2).
 * @param {string} desc
 * @param {string} param
 * @returns {Answer}
 */
function authRefusal(desc, param) {
	return {
		op: { Code: 2, Desc: desc },
		result: { State: { Code: 2, Desc: desc }, ErrorSourceParam: param },
		accepted: false,
	};
}

/**
 * Business refusal: processed, the method itself said no (reference §4 Result.State "any other").
 * @param {number} code
 * @param {string} desc
 * @param {string} param
 * @returns {Answer}
 */
function businessRefusal(code, desc, param) {
	return {
		op: { ...PROCESSED },
		result: { State: { Code: code, Desc: desc }, ErrorSourceParam: param },
		accepted: false,
	};
}

/** @param {string} text */
function sha256Hex(text) {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** @param {string} text */
function md5Hex(text) {
	return createHash('md5').update(text, 'utf8').digest('hex');
}

/**
 * Constant-time comparison; exact bytes, so upper-case hex is refused (reference §0 "Hex case":
 * every known client sends lower case, the server's tolerance is unknown).
 * @param {string | undefined} received
 * @param {string} expected
 */
function safeEqual(received, expected) {
	if (typeof received !== 'string') return false;
	const a = Buffer.from(received, 'utf8');
	const b = Buffer.from(expected, 'utf8');
	return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @param {string} name  lower case
 * @returns {string | undefined}
 */
function headerValue(headers, name) {
	const v = headers[name];
	return Array.isArray(v) ? v.join(', ') : v;
}

/**
 * Parses the body into string fields. JSON when Content-Type says so, otherwise form-urlencoded
 * (reference §0 "Body formats accepted": both are used by real clients).
 * @param {Buffer} raw
 * @param {string} contentType
 * @returns {Record<string, string> | null}  null = not parseable
 */
function parseBody(raw, contentType) {
	const text = raw.toString('utf8');
	const mediaType = contentType.split(';')[0].trim().toLowerCase();
	if (mediaType === 'application/json') {
		/** @type {unknown} */
		let data;
		try {
			data = JSON.parse(text);
		} catch {
			return null;
		}
		if (data === null || typeof data !== 'object' || Array.isArray(data)) return null;
		/** @type {Record<string, string>} */
		const fields = {};
		for (const [name, value] of Object.entries(data)) {
			if (value === null || value === undefined) continue; // null = field not sent
			// A nested object (e.g. MerchantReceipt sent as an object) is kept as its JSON text.
			fields[name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
		}
		return fields;
	}
	/** @type {Record<string, string>} */
	const fields = {};
	for (const [name, value] of new URLSearchParams(text)) {
		if (!(name in fields)) fields[name] = value;
	}
	return fields;
}

/**
 * Case-insensitive field access (reference §1: `eshopId` and `EshopId` are both in real use).
 * An empty value counts as absent, as in the signature rule "missing value → ''" (reference §3).
 * @param {Record<string, string>} fields
 * @returns {(name: string) => string | undefined}
 */
function fieldReader(fields) {
	/** @type {Map<string, string>} */
	const byLower = new Map();
	for (const [name, value] of Object.entries(fields)) {
		const key = name.toLowerCase();
		if (!byLower.has(key)) byLower.set(key, value);
	}
	return (name) => {
		const v = byLower.get(name.toLowerCase());
		return v === undefined || v === '' ? undefined : v;
	};
}

/**
 * @param {number} ms  epoch ms
 * @returns {string}  'yyyy-MM-dd HH:mm:ss', Moscow time
 */
function imDate(ms) {
	return new Date(ms + MSK_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * @param {string} text  'yyyy-MM-dd HH:mm:ss', Moscow time
 * @returns {number | undefined}  epoch ms; undefined = not that format or not a real date
 */
function parseImDate(text) {
	const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
	if (!m) return undefined;
	const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
	const ms = Date.UTC(y, mo - 1, d, h, mi, s) - MSK_OFFSET_MS;
	// Date.UTC rolls 2025-02-30 over to March: only a date that prints back the same is real.
	return Number.isFinite(ms) && imDate(ms) === text ? ms : undefined;
}

/** @param {string} s */
function xmlEscape(s) {
	return s
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');
}

/**
 * Minimal XML rendering of the envelope: the real API answers XML unless asked for JSON
 * (reference §0 "Body formats accepted", §9).
 * @param {string} name
 * @param {unknown} value
 * @returns {string}
 */
function toXml(name, value) {
	if (value === null || value === undefined) return `<${name} />`;
	if (Array.isArray(value))
		return `<${name}>${value.map((v) => toXml('Item', v)).join('')}</${name}>`;
	if (typeof value === 'object') {
		const inner = Object.entries(value)
			.map(([k, v]) => toXml(k, v))
			.join('');
		return `<${name}>${inner}</${name}>`;
	}
	return `<${name}>${xmlEscape(String(value))}</${name}>`;
}

/**
 * Starts the sandbox on 127.0.0.1.
 * @param {SandboxOptions} [options]
 * @returns {Promise<Sandbox>}
 */
export async function startSandbox(options = {}) {
	/** @type {ShopConfig} */
	const shop = { ...DEFAULT_SHOP, ...(options.shop ?? {}) };
	const userTokenTtlMs = options.userTokenTtlMs ?? 15 * 60 * 1000;
	const latencyMs = options.latencyMs ?? 0;

	/** @type {Map<string, Invoice>} */
	const invoices = new Map();
	/** @type {Map<string, PayoutOperation>} keyed by lower-case id: GUIDs compare case-insensitively */
	const payouts = new Map();
	/** @type {Map<string, number>} token → expiry (epoch ms) */
	const userTokens = new Map();
	/** @type {LogEntry[]} */
	const log = [];
	let seq = 0;
	/** @type {((entry: LogEntry) => void) | undefined} */
	let requestHook;
	let orderCounter = 0;
	// Aborts latency waits on stop(), so a pending timer cannot keep the process (or jest) alive.
	const stopController = new AbortController();

	/** @param {string} orderId */
	function invoiceByOrder(orderId) {
		for (const inv of invoices.values()) if (inv.orderId === orderId) return inv;
		return undefined;
	}

	/** @type {(input?: InvoiceInput) => Invoice} */
	function addInvoice(input = {}) {
		let invoiceId = input.invoiceId;
		if (invoiceId === undefined) {
			do invoiceId = '3' + String(randomInt(0, 1e9)).padStart(9, '0');
			while (invoices.has(invoiceId));
		} else if (!INVOICE_ID_RE.test(invoiceId)) {
			throw new TypeError(
				`addInvoice: invoiceId must be 10 digits starting with 3, got ${invoiceId}`,
			);
		} else if (invoices.has(invoiceId)) {
			throw new TypeError(`addInvoice: invoice ${invoiceId} already exists`);
		}
		let orderId = input.orderId;
		if (orderId === undefined) {
			do orderId = `sandbox-order-${++orderCounter}`;
			while (invoiceByOrder(orderId));
		} else if (invoiceByOrder(orderId)) {
			// The shop option "Принимать только уникальный номер покупки" (seeds/004) is on.
			throw new TypeError(`addInvoice: order ${orderId} already exists`);
		}
		const state = input.state ?? 'Held';
		if (!['Held', 'Created', 'Paid'].includes(state))
			throw new TypeError(`addInvoice: bad state ${state}`);
		const outcome = input.outcome ?? 'ok';
		if (!['ok', 'queued', 'warning'].includes(outcome)) {
			throw new TypeError(`addInvoice: bad outcome ${outcome}`);
		}
		const createdAt = input.createdAt === undefined ? Date.now() : Number(input.createdAt);
		if (!Number.isFinite(createdAt)) throw new TypeError('addInvoice: bad createdAt');
		/** @type {Invoice} */
		const invoice = {
			invoiceId,
			orderId,
			amount: input.amount ?? '100.00',
			currency: input.currency ?? 'RUB',
			state,
			captures: 0,
			outcome,
			receipt: null,
			createdAt,
			changedAt: createdAt,
		};
		invoices.set(invoiceId, invoice);
		return invoice;
	}

	/** @type {(input?: PayoutOperationInput) => PayoutOperation} */
	function addPayoutOperation(input = {}) {
		const id = input.id ?? randomUUID();
		if (!GUID_RE.test(id)) throw new TypeError(`addPayoutOperation: id must be a GUID, got ${id}`);
		if (payouts.has(id.toLowerCase()))
			throw new TypeError(`addPayoutOperation: ${id} already exists`);
		const outcome = input.outcome ?? 'InProcess';
		if (outcome !== 'InProcess' && outcome !== 'Failed') {
			throw new TypeError(`addPayoutOperation: bad outcome ${outcome}`);
		}
		/** @type {PayoutOperation} */
		const op = {
			id,
			amount: input.amount ?? '500.00',
			state: 'Created',
			executions: 0,
			outcome,
			errorMessage: input.errorMessage ?? 'Платеж не прошел в банке',
		};
		payouts.set(id.toLowerCase(), op);
		return op;
	}

	/** @type {(token?: string) => string} */
	function issueUserToken(token = randomBytes(48).toString('base64')) {
		if (token === '') throw new TypeError('issueUserToken: empty token');
		userTokens.set(token, Date.now() + userTokenTtlMs);
		return token;
	}

	/**
	 * personal/user/getUserToken. Sign recipe `::Login::Password::::SignSecretKey` is single-source
	 * (reference §7 Q6, py-magomedov); segments '', Login, Password, '' then the key.
	 * @type {Endpoint}
	 */
	const getUserToken = {
		signString: (f) =>
			['', f('Login') ?? '', f('Password') ?? '', '', shop.signSecretKey].join('::'),
		hashValid: () => null,
		run(f) {
			if (f('Login') !== shop.login || f('Password') !== shop.password) {
				return authRefusal('Неверный логин или пароль', 'Login');
			}
			const token = issueUserToken();
			return {
				op: { ...PROCESSED },
				result: { State: { Code: 0, Desc: 'Успешно' }, UserToken: token },
				accepted: true,
			};
		},
	};

	/**
	 * merchant/purchaseToPaid (seeds/004). `ToPaid` is a literal (reference §0); an absent OrderId
	 * keeps an empty segment (reference §3 vector 3).
	 * @type {Endpoint}
	 */
	const purchaseToPaid = {
		signString: (f) =>
			`${f('EshopId') ?? ''}::${f('OrderId') ?? ''}::ToPaid::${shop.signSecretKey}`,
		hashValid(f) {
			if (shop.shopSecretKey === '') return null;
			// Hash and PurchaseHash share one MD5 formula with the shop SecretKey (seeds/004, reference §2.1).
			const expected = md5Hex(
				`${f('EshopId') ?? ''}::${f('OrderId') ?? ''}::ToPaid::${shop.shopSecretKey}`,
			);
			const purchaseHash = f('PurchaseHash');
			return (
				safeEqual(f('Hash'), expected) &&
				(purchaseHash === undefined || safeEqual(purchaseHash, expected))
			);
		},
		run(f) {
			if (f('EshopId') !== shop.eshopId) return businessRefusal(3, 'Магазин не найден', 'EshopId');
			const invoiceId = f('InvoiceId');
			const orderId = f('OrderId');
			/** @type {Invoice | undefined} */
			let invoice;
			/** @type {string} the identifier the invoice was found by, named in later refusals */
			let idParam;
			if (invoiceId !== undefined) {
				if (!INVOICE_ID_RE.test(invoiceId)) {
					return businessRefusal(3, 'Некорректный номер СКО', 'InvoiceId');
				}
				idParam = 'InvoiceId';
				invoice = invoices.get(invoiceId);
				if (!invoice) return businessRefusal(4, 'СКО не найден', 'InvoiceId');
				if (orderId !== undefined && invoice.orderId !== orderId) {
					return businessRefusal(4, 'СКО с таким номером покупки не найден', 'OrderId');
				}
			} else if (orderId !== undefined) {
				idParam = 'OrderId';
				invoice = invoiceByOrder(orderId);
				if (!invoice) return businessRefusal(4, 'СКО не найден', 'OrderId');
			} else {
				return businessRefusal(3, 'Не указан номер покупки или СКО', 'OrderId');
			}
			if (invoice.state === 'Paid')
				return businessRefusal(5, 'Средства по СКО уже зачислены', idParam);
			if (invoice.state === 'Created') return businessRefusal(6, 'СКО не захолдирован', idParam);
			// Reference §6: MerchantReceipt travels as a JSON string; validate before any money moves.
			const receiptText = f('MerchantReceipt');
			/** @type {Record<string, unknown> | null} */
			let receipt = null;
			if (receiptText !== undefined) {
				try {
					const parsed = JSON.parse(receiptText);
					if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
						receipt = parsed;
				} catch {
					// handled below
				}
				if (!receipt) return businessRefusal(7, 'Некорректный чек', 'MerchantReceipt');
			}
			invoice.state = 'Paid';
			invoice.changedAt = Date.now();
			invoice.captures += 1;
			if (receipt) invoice.receipt = receipt;
			if (invoice.outcome === 'queued') {
				// Reference §4: OperationState 1 = queued; the client must ask again later. The capture has
				// happened, so a retry meets "already paid" (code 5) — what idempotency tests need.
				return {
					op: { Code: 1, Desc: 'Запрос поставлен в очередь на обработку' },
					result: null,
					accepted: true,
				};
			}
			const state =
				invoice.outcome === 'warning'
					? { Code: 1, Desc: 'Успешно, с предупреждением: чек не передан в ОФД' }
					: { Code: 0, Desc: 'Успешно обработан' };
			return {
				op: { ...PROCESSED },
				result: {
					State: state,
					InvoiceId: invoice.invoiceId,
					OrderId: invoice.orderId,
					InvoiceState: 'Paid',
				},
				accepted: true,
			};
		},
	};

	/**
	 * The UserToken check of the Personal and Payout APIs. Reference §1: UserToken expires; the Personal
	 * API reports auth failures as code 2 (§4).
	 * @param {(name: string) => string | undefined} f
	 * @returns {Answer | undefined}  undefined = the token is valid
	 */
	function userTokenRefusal(f) {
		const token = f('UserToken');
		const expiry = token === undefined ? undefined : userTokens.get(token);
		if (expiry === undefined || expiry <= Date.now()) {
			return authRefusal('Токен пользователя недействителен или истёк', 'UserToken');
		}
		return undefined;
	}

	/** @param {string | undefined} id  GUIDs compare case-insensitively; anything else finds nothing */
	function findPayout(id) {
		return id !== undefined && GUID_RE.test(id) ? payouts.get(id.toLowerCase()) : undefined;
	}

	/**
	 * PayoutOperationData, shape exactly as the two JSON examples in seeds/000.
	 * @param {PayoutOperation} op
	 * @returns {Record<string, unknown>}
	 */
	function payoutOperationData(op) {
		/** @type {Record<string, unknown>} */
		const result = {
			State: { Code: 0, Desc: 'Успешно обработан' },
			PayoutOperationId: op.id,
			PayoutOperationState: op.state,
		};
		if (op.state === 'Failed') result.ErrorMessage = op.errorMessage;
		return result;
	}

	/**
	 * InvoiceData of the Personal API (reference §4.1, py-satels models); the sandbox's states map
	 * one to one ('Created', 'Held', 'Paid').
	 * @param {Invoice} inv
	 * @returns {Record<string, unknown>}
	 */
	function invoiceData(inv) {
		const amount = Number(inv.amount);
		return {
			Id: inv.invoiceId,
			State: inv.state,
			EShopId: Number(shop.eshopId),
			PurchaseOrderId: inv.orderId,
			Amount: { Amount: amount, Currency: inv.currency },
			// No partial refunds in the sandbox: the current amount is the invoice amount.
			CurrentAmount: { Amount: amount, Currency: inv.currency },
			CreationDate: imDate(inv.createdAt),
			ChangeDate: imDate(inv.changedAt),
		};
	}

	/**
	 * The two payout endpoints take the same fields and Sign: `UserToken::PayoutOperationId::SignSecretKey`
	 * (seeds/000 for executeOperation; for getOperationState the sandbox's guess, see below).
	 * @param {(name: string) => string | undefined} f
	 */
	const payoutSignString = (f) =>
		`${f('UserToken') ?? ''}::${f('PayoutOperationId') ?? ''}::${shop.signSecretKey}`;

	/**
	 * The payout operation a request names, or the refusal to answer it with (bad token, unknown id).
	 * @param {(name: string) => string | undefined} f
	 * @returns {{ op: PayoutOperation } | { refusal: Answer }}
	 */
	const payoutOrRefusal = (f) => {
		const refusal = userTokenRefusal(f);
		if (refusal) return { refusal };
		const op = findPayout(f('PayoutOperationId'));
		if (!op)
			return { refusal: businessRefusal(4, 'Операция выплаты не найдена', 'PayoutOperationId') };
		return { op };
	};

	/**
	 * personal/payout/executeOperation (seeds/000).
	 * @type {Endpoint}
	 */
	const executeOperation = {
		signString: payoutSignString,
		hashValid: () => null,
		run(f) {
			const found = payoutOrRefusal(f);
			if ('refusal' in found) return found.refusal;
			const { op } = found;
			if (op.state !== 'Created') {
				return businessRefusal(
					5,
					'Операция выплаты уже отправлена на обработку',
					'PayoutOperationId',
				);
			}
			op.executions += 1;
			op.state = op.outcome;
			return { op: { ...PROCESSED }, result: payoutOperationData(op), accepted: true };
		},
	};

	/**
	 * personal/payout/getOperationState, a read (reference §2.3: the method name is confirmed by
	 * wiki/88768545, its URL tail, fields and Sign recipe are an inference [I]). The recipe
	 * `UserToken::PayoutOperationId::SignSecretKey` is the sandbox's guess, copied from
	 * executeOperation, which takes the same two fields: no IntellectMoney page shows it.
	 * @type {Endpoint}
	 */
	const getOperationState = {
		signString: payoutSignString,
		hashValid: () => null,
		run(f) {
			const found = payoutOrRefusal(f);
			if ('refusal' in found) return found.refusal;
			return { op: { ...PROCESSED }, result: payoutOperationData(found.op), accepted: true };
		},
	};

	/**
	 * personal/payment/getInvoicesHistory, a read (reference §2.2, Sign recipe [C], absent fields as
	 * empty segments). Skip and Take are required (Skip ≥ 0, Take ≥ 1); InvoiceId, DateFrom/DateTo (on
	 * the creation date) and ChangeDateFrom/ChangeDateTo filter, bounds included; the other optional
	 * fields are only signed. The list is in the order the invoices were added.
	 * @type {Endpoint}
	 */
	const getInvoicesHistory = {
		signString: (f) =>
			[...INVOICES_HISTORY_SIGN_FIELDS.map((name) => f(name) ?? ''), shop.signSecretKey].join('::'),
		hashValid: () => null,
		run(f) {
			const refusal = userTokenRefusal(f);
			if (refusal) return refusal;
			const eshopId = f('EshopId');
			if (eshopId !== undefined && eshopId !== shop.eshopId) {
				return businessRefusal(3, 'Магазин не найден', 'EshopId');
			}
			const skipText = f('Skip');
			const takeText = f('Take');
			if (skipText === undefined || !/^\d{1,9}$/.test(skipText)) {
				return businessRefusal(3, 'Некорректное значение Skip', 'Skip');
			}
			if (takeText === undefined || !/^\d{1,9}$/.test(takeText) || Number(takeText) < 1) {
				return businessRefusal(3, 'Некорректное значение Take', 'Take');
			}
			const invoiceId = f('InvoiceId');
			if (invoiceId !== undefined && !/^\d{1,19}$/.test(invoiceId)) {
				return businessRefusal(3, 'Некорректный номер СКО', 'InvoiceId');
			}
			/** @type {Array<(inv: Invoice) => boolean>} */
			const filters = [];
			if (invoiceId !== undefined) filters.push((inv) => inv.invoiceId === invoiceId);
			/** @type {Array<[string, 'createdAt' | 'changedAt', 1 | -1]>} */
			const bounds = [
				['DateFrom', 'createdAt', 1],
				['DateTo', 'createdAt', -1],
				['ChangeDateFrom', 'changedAt', 1],
				['ChangeDateTo', 'changedAt', -1],
			];
			for (const [param, key, direction] of bounds) {
				const text = f(param);
				if (text === undefined) continue;
				const bound = parseImDate(text);
				if (bound === undefined) return businessRefusal(3, 'Некорректная дата', param);
				// Whole seconds, as the dates are written: DateTo '… 12:00:00' includes 12:00:00.999.
				filters.push((inv) => {
					const at = Math.floor(inv[key] / 1000) * 1000;
					return direction === 1 ? at >= bound : at <= bound;
				});
			}
			const skip = Number(skipText);
			const list = [...invoices.values()]
				.filter((inv) => filters.every((keep) => keep(inv)))
				.slice(skip, skip + Number(takeText))
				.map(invoiceData);
			return {
				op: { ...PROCESSED },
				result: { State: { Code: 0, Desc: 'Успешно обработан' }, InvoicesHistoryList: list },
				accepted: true,
			};
		},
	};

	/** @type {Record<string, Endpoint>} */
	const endpoints = {
		[ENDPOINT_TOKEN]: getUserToken,
		[ENDPOINT_CAPTURE]: purchaseToPaid,
		[ENDPOINT_PAYOUT]: executeOperation,
		[ENDPOINT_PAYOUT_STATE]: getOperationState,
		[ENDPOINT_INVOICES_HISTORY]: getInvoicesHistory,
	};

	/**
	 * Queued faults, first in first out.
	 * @type {Array<{ endpoint: string | undefined, remaining: number, kind: FaultKind, latencyMs: number }>}
	 */
	const faults = [];

	/** @param {FaultSpec} spec */
	function injectFaults(spec) {
		if (spec === null || typeof spec !== 'object') {
			throw new TypeError('injectFaults: spec must be an object');
		}
		if (!FAULT_KINDS.includes(spec.kind)) {
			throw new TypeError(`injectFaults: unknown kind ${String(spec.kind)}`);
		}
		const count = spec.count ?? 1;
		if (!Number.isInteger(count) || count < 1) {
			throw new TypeError(`injectFaults: count must be a positive integer, got ${count}`);
		}
		const faultLatencyMs = spec.latencyMs ?? 1000;
		if (!Number.isInteger(faultLatencyMs) || faultLatencyMs < 0) {
			throw new TypeError(
				`injectFaults: latencyMs must be a non-negative integer, got ${faultLatencyMs}`,
			);
		}
		const endpoint = spec.endpoint === undefined ? undefined : spec.endpoint.replace(/^\//, '');
		// A mistyped endpoint would silently never fire.
		if (endpoint !== undefined && !Object.hasOwn(endpoints, endpoint)) {
			throw new TypeError(`injectFaults: unknown endpoint ${spec.endpoint}`);
		}
		faults.push({ endpoint, remaining: count, kind: spec.kind, latencyMs: faultLatencyMs });
	}

	/**
	 * Consumes one of the first queued fault that matches the endpoint.
	 * @param {string} endpoint
	 * @returns {{ kind: FaultKind, latencyMs: number } | null}
	 */
	function takeFault(endpoint) {
		const i = faults.findIndex((q) => q.endpoint === undefined || q.endpoint === endpoint);
		if (i < 0) return null;
		const q = faults[i];
		q.remaining -= 1;
		if (q.remaining === 0) faults.splice(i, 1);
		return { kind: q.kind, latencyMs: q.latencyMs };
	}

	/**
	 * @param {import('node:http').IncomingMessage} req
	 * @returns {Promise<Buffer | null>}  null = larger than MAX_BODY_BYTES
	 */
	async function readBody(req) {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		let tooLarge = false;
		for await (const chunk of req) {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) tooLarge = true;
			else chunks.push(chunk);
		}
		return tooLarge ? null : Buffer.concat(chunks);
	}

	/**
	 * @param {number} ms
	 * @returns {Promise<boolean>}  false = stop() was called during the wait
	 */
	async function wait(ms) {
		try {
			await delay(ms, undefined, { signal: stopController.signal });
			return true;
		} catch {
			return false; // stopped while waiting: the socket is being closed anyway
		}
	}

	/**
	 * @param {import('node:http').ServerResponse} res
	 * @param {number} status
	 * @param {string} contentType
	 * @param {string} body
	 * @param {{ headers?: Record<string, string>, truncate?: boolean }} [how]  truncate: announce the
	 *   full Content-Length, write the first half of the bytes, then destroy the socket
	 */
	async function send(res, status, contentType, body, how = {}) {
		if (latencyMs > 0 && !(await wait(latencyMs))) return;
		if (res.destroyed || res.writableEnded) return; // the client gave up
		const bytes = Buffer.from(body, 'utf8');
		res.writeHead(status, {
			'content-type': contentType,
			'content-length': bytes.length,
			...(how.headers ?? {}),
		});
		if (how.truncate) {
			// res.end() with fewer bytes than Content-Length would throw ERR_HTTP_CONTENT_LENGTH_MISMATCH;
			// write the half, and once it is flushed to the socket cut the connection.
			res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
			return;
		}
		res.end(bytes);
	}

	/**
	 * Answers instead of processing, for the faults that do not let a request through.
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 * @param {FaultKind} kind
	 */
	async function sendFault(req, res, kind) {
		switch (kind) {
			case 'reset':
				req.socket.destroy();
				return;
			case 'timeout':
				// Never answered. No timer either: the open socket is all there is, and stop() closes it
				// (server.closeAllConnections), as does a client that gives up.
				return;
			case 'http500':
			case 'http502':
			case 'http503': {
				const status = Number(kind.slice(4));
				const page = `<html><body><h1>${status} ${STATUS_CODES[status]}</h1></body></html>`;
				await send(res, status, 'text/html; charset=utf-8', page);
				return;
			}
			case 'http429':
				await send(
					res,
					429,
					'application/json; charset=utf-8',
					JSON.stringify({ error: 'Too Many Requests' }),
					{ headers: { 'retry-after': '2' } },
				);
				return;
			case 'html':
				await send(res, 200, 'text/html; charset=utf-8', HTML_LOGIN_PAGE);
				return;
			case 'xml':
				await send(res, 200, 'application/xml; charset=utf-8', XML_GATEWAY_ERROR);
				return;
			default:
				throw new Error(`sandbox: fault ${kind} is not an answering fault`);
		}
	}

	/**
	 * Sends a processed request's answer, as the fault it took (if any) says.
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 * @param {{ kind: FaultKind, latencyMs: number } | null} fault
	 * @param {number} status
	 * @param {string} contentType
	 * @param {string} body
	 */
	async function answerProcessed(req, res, fault, status, contentType, body) {
		if (fault?.kind === 'applyThenDrop') {
			req.socket.destroy();
			return;
		}
		if (fault?.kind === 'latency' && !(await wait(fault.latencyMs))) return;
		await send(res, status, contentType, body, { truncate: fault?.kind === 'truncated' });
	}

	/** @param {LogEntry} entry */
	function record(entry) {
		log.push(entry);
		requestHook?.(entry);
	}

	/**
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 */
	async function handle(req, res) {
		const raw = await readBody(req);
		const endpoint = (req.url ?? '/').split('?')[0].replace(/^\//, '');
		const method = req.method ?? '';
		const contentType = headerValue(req.headers, 'content-type') ?? '';
		const fields = raw === null ? null : parseBody(raw, contentType);
		const authValid = headerValue(req.headers, 'authorization') === `Bearer ${shop.bearerToken}`;
		const fault = takeFault(endpoint);
		const blockingFault = fault !== null && !PROCESSING_FAULTS.has(fault.kind) ? fault.kind : null;
		/** @type {Omit<LogEntry, 'signValid' | 'hashValid' | 'verdict' | 'response'>} */
		const base = {
			seq: ++seq,
			endpoint,
			method,
			headers: { ...req.headers },
			contentType,
			fields: fields ?? {},
			authValid,
			fault: fault?.kind ?? null,
		};

		const route =
			method === 'POST' && Object.hasOwn(endpoints, endpoint) ? endpoints[endpoint] : undefined;
		if (!route) {
			if (blockingFault) {
				const response = { error: `fault: ${blockingFault}` };
				record({ ...base, signValid: null, hashValid: null, verdict: 'refused', response });
				await sendFault(req, res, blockingFault);
				return;
			}
			const response = { error: 'unknown endpoint' };
			record({ ...base, signValid: null, hashValid: null, verdict: 'refused', response });
			const body = JSON.stringify(response);
			await answerProcessed(req, res, fault, 404, 'application/json; charset=utf-8', body);
			return;
		}

		const f = fieldReader(fields ?? {});
		const signValid =
			fields === null
				? null
				: safeEqual(headerValue(req.headers, 'sign'), sha256Hex(route.signString(f)));
		const hashValid = fields === null ? null : route.hashValid(f);

		if (blockingFault) {
			// Nothing is processed; the checks above are pure, so the log can still show them.
			const response = { error: `fault: ${blockingFault}` };
			record({ ...base, signValid, hashValid, verdict: 'refused', response });
			await sendFault(req, res, blockingFault);
			return;
		}

		/** @type {Answer} */
		let answer;
		if (!authValid) {
			answer = authRefusal('Ошибка авторизации: неверный Bearer-токен', 'Authorization');
		} else if (fields === null) {
			answer = {
				op: { Code: 2, Desc: 'Некорректное тело запроса' },
				result: null,
				accepted: false,
			};
		} else if (!signValid) {
			answer = authRefusal('Неверная подпись запроса (Sign)', 'Sign');
		} else if (hashValid === false) {
			answer = authRefusal('Неверная подпись данных (Hash)', 'Hash');
		} else {
			answer = route.run(f);
		}

		// The envelope echoes the shop number only where the request carries one (merchant API).
		const eshopField = endpoint === ENDPOINT_CAPTURE ? f('EshopId') : undefined;
		/** @type {Envelope} */
		const envelope = {
			OperationState: answer.op,
			OperationId: randomUUID(),
			EshopId: eshopField !== undefined && /^\d{1,9}$/.test(eshopField) ? Number(eshopField) : null,
			Result: answer.result,
		};
		record({
			...base,
			signValid,
			hashValid,
			verdict: answer.accepted ? 'accepted' : 'refused',
			response: envelope,
		});

		// Reference §4: every answer, errors included, is HTTP 200.
		const accept = (headerValue(req.headers, 'accept') ?? '').toLowerCase();
		if (accept.includes('application/json') || accept.includes('text/json')) {
			const json = JSON.stringify(envelope);
			await answerProcessed(req, res, fault, 200, 'application/json; charset=utf-8', json);
		} else {
			const xml = `<?xml version="1.0" encoding="utf-8"?>${toXml('Response', envelope)}`;
			await answerProcessed(req, res, fault, 200, 'application/xml; charset=utf-8', xml);
		}
	}

	const server = createServer((req, res) => {
		handle(req, res).catch((err) => {
			// A sandbox bug must show up as a failure, not as a hung request.
			if (!res.headersSent && !res.destroyed) {
				res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
				res.end(`sandbox error: ${err instanceof Error ? err.stack : String(err)}`);
			}
		});
	});

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve(undefined);
		});
	});
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('sandbox: no TCP address');

	/** @type {Promise<void> | undefined} */
	let stopping;

	return {
		url: `http://127.0.0.1:${address.port}/`,
		shop,
		log,
		clearLog() {
			log.length = 0;
		},
		onRequest(hook) {
			requestHook = hook;
		},
		addInvoice,
		getInvoice: (idOrOrder) => invoices.get(idOrOrder) ?? invoiceByOrder(idOrOrder),
		addPayoutOperation,
		getPayoutOperation: (id) => payouts.get(id.toLowerCase()),
		issueUserToken,
		expireUserTokens() {
			for (const token of userTokens.keys()) userTokens.set(token, 0);
		},
		issuedUserTokens: () => [...userTokens.keys()],
		ledger() {
			/** @type {Ledger} */
			const result = { captures: {}, payoutExecutions: {} };
			for (const inv of invoices.values()) result.captures[inv.invoiceId] = inv.captures;
			for (const op of payouts.values()) result.payoutExecutions[op.id] = op.executions;
			return result;
		},
		injectFaults,
		pendingFaults: () => faults.reduce((n, q) => n + q.remaining, 0),
		clearFaults() {
			faults.length = 0;
		},
		stop() {
			stopping ??= new Promise((resolve, reject) => {
				stopController.abort();
				server.close((err) => (err ? reject(err) : resolve()));
				// close() alone waits for keep-alive sockets to time out; jest would report an open handle.
				server.closeAllConnections();
			});
			return stopping;
		},
	};
}

/**
 * How the sandbox treats one endpoint.
 * @typedef {object} Endpoint
 * @property {(f: (name: string) => string | undefined) => string} signString  recipe of the Sign header
 * @property {(f: (name: string) => string | undefined) => boolean | null} hashValid  null = not checked
 * @property {(f: (name: string) => string | undefined) => Answer} run  endpoint checks and effects
 */

/**
 * The IntellectMoney credential an operator would enter for this sandbox's shop (the node's credential
 * fields, Base URL pointing here), with optional changes (a wrong key, say).
 * @param {Sandbox} sandbox
 * @param {Partial<CredentialData>} [overrides]
 * @returns {CredentialData}
 */
export function credentialFor(sandbox, overrides = {}) {
	const { eshopId, bearerToken, signSecretKey, shopSecretKey, login, password } = sandbox.shop;
	return {
		eshopId,
		bearerToken,
		signSecretKey,
		shopSecretKey,
		login,
		password,
		baseUrl: sandbox.url,
		...overrides,
	};
}

/**
 * @typedef {{ eshopId: string, bearerToken: string, signSecretKey: string, shopSecretKey: string, login: string, password: string, baseUrl: string }} CredentialData
 */

/**
 * The demo shop's data, with fixed ids so that docs and the example workflows can name them: two held
 * invoices (order-1001, order-1002), one created (order-1003), a payout that goes InProcess (the GUID of
 * the seeds/000 example) and one that Fails (the GUID of reference §3 vector 5).
 * @param {Sandbox} sandbox
 * @returns {{ invoices: Invoice[], payouts: PayoutOperation[] }}
 */
export function seedDemoData(sandbox) {
	const invoices = [
		sandbox.addInvoice({ invoiceId: '3000001001', orderId: 'order-1001' }),
		sandbox.addInvoice({ invoiceId: '3000001002', orderId: 'order-1002', amount: '250.00' }),
		sandbox.addInvoice({ invoiceId: '3000001003', orderId: 'order-1003', state: 'Created' }),
	];
	const payouts = [
		sandbox.addPayoutOperation({ id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' }),
		sandbox.addPayoutOperation({ id: '5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a23', outcome: 'Failed' }),
	];
	return { invoices, payouts };
}

/**
 * `node dev/sandbox.mjs [--port N] [--latency-ms N]`: a seeded sandbox for demos.
 * @param {string[]} argv
 * @returns {Promise<void>}
 */
async function main(argv) {
	/** @param {string} name @param {number} fallback */
	const numberArg = (name, fallback) => {
		const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
		if (i < 0) return fallback;
		const raw = argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
		const n = Number(raw);
		if (!Number.isInteger(n) || n < 0)
			throw new Error(`${name} needs a non-negative integer, got ${raw}`);
		return n;
	};
	const sandbox = await startSandbox({
		port: numberArg('--port', 8085),
		latencyMs: numberArg('--latency-ms', 0),
	});
	const { invoices, payouts } = seedDemoData(sandbox);
	const s = sandbox.shop;
	const lines = [
		`IntellectMoney sandbox listening on ${sandbox.url}  (local imitation, not the real API)`,
		'',
		'Shop credentials:',
		`  EshopId          ${s.eshopId}`,
		`  Bearer token     ${s.bearerToken}`,
		`  Sign secret key  ${s.signSecretKey}`,
		`  Shop secret key  ${s.shopSecretKey}`,
		`  Login            ${s.login}`,
		`  Password         ${s.password}`,
		'',
		'Seeded invoices (InvoiceId / OrderId / state):',
		...invoices.map((i) => `  ${i.invoiceId}  ${i.orderId}  ${i.state}  ${i.amount} ${i.currency}`),
		'Seeded payout operations (id / outcome of executeOperation):',
		...payouts.map((o) => `  ${o.id}  ${o.outcome}`),
		'',
		'Endpoints: POST merchant/purchaseToPaid, personal/user/getUserToken, personal/payout/executeOperation,',
		'           personal/payout/getOperationState, personal/payment/getInvoicesHistory',
		'Ctrl+C stops.',
	];
	process.stdout.write(lines.join('\n') + '\n');
	const shutdown = () => {
		sandbox.stop().then(
			() => process.stdout.write('sandbox stopped\n'),
			(err) => {
				process.stderr.write(`sandbox stop failed: ${String(err)}\n`);
				process.exitCode = 1;
			},
		);
	};
	process.once('SIGINT', shutdown);
	process.once('SIGTERM', shutdown);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	main(process.argv.slice(2)).catch((err) => {
		process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
		process.exitCode = 1;
	});
}
