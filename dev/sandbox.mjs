// @ts-check
/**
 * Local imitation of the IntellectMoney HTTP API for tests and demos.
 *
 * Serves three POST endpoints on 127.0.0.1 only:
 *   personal/user/getUserToken, merchant/purchaseToPaid, personal/payout/executeOperation.
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
 *   unknown/expired UserToken    2                       2             UserToken      (executeOperation)
 *   body not parseable           2 'Некорректное тело запроса', Result null
 *   unknown shop                 0 'Успешно обработана'  3             EshopId
 *   bad / missing identifier     0                       3             InvoiceId | OrderId
 *   invoice / payout not found   0                       4             InvoiceId | OrderId | PayoutOperationId
 *   already paid / executed      0                       5             InvoiceId | OrderId | PayoutOperationId
 *   invoice not held (Created)   0                       6             InvoiceId | OrderId
 *   bad MerchantReceipt          0                       7             MerchantReceipt
 *   queued capture               1 (Result null; the capture has happened, reference §4 code 1)
 *   unknown path or not POST     HTTP 404 {"error":"unknown endpoint"} (the only non-200 answer)
 *
 * Checks run in this order: Authorization, body parse, Sign, Hash, then the endpoint's own checks;
 * the first failure answers. The log still records every check's outcome (authValid, signValid,
 * hashValid) so tests can see what the client got right besides the first mistake.
 */
import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
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
 */

/**
 * @typedef {object} InvoiceInput
 * @property {string} [invoiceId]  default: unique random 10 digits starting with 3
 * @property {string} [orderId]    default: unique `sandbox-order-N`
 * @property {string} [amount]
 * @property {string} [currency]
 * @property {InvoiceState} [state]
 * @property {CaptureOutcome} [outcome]
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
 * @property {Envelope | { error: string }} response  the object that was sent
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
 * @property {() => Promise<void>} stop
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
	 * personal/payout/executeOperation (seeds/000). Sign `UserToken::PayoutOperationId::SignSecretKey`.
	 * @type {Endpoint}
	 */
	const executeOperation = {
		signString: (f) =>
			`${f('UserToken') ?? ''}::${f('PayoutOperationId') ?? ''}::${shop.signSecretKey}`,
		hashValid: () => null,
		run(f) {
			const token = f('UserToken');
			const expiry = token === undefined ? undefined : userTokens.get(token);
			// Reference §1: UserToken expires; the Personal API reports auth failures as code 2 (§4).
			if (expiry === undefined || expiry <= Date.now()) {
				return authRefusal('Токен пользователя недействителен или истёк', 'UserToken');
			}
			const id = f('PayoutOperationId');
			const op = id !== undefined && GUID_RE.test(id) ? payouts.get(id.toLowerCase()) : undefined;
			if (!op) return businessRefusal(4, 'Операция выплаты не найдена', 'PayoutOperationId');
			if (op.state !== 'Created') {
				return businessRefusal(
					5,
					'Операция выплаты уже отправлена на обработку',
					'PayoutOperationId',
				);
			}
			op.executions += 1;
			op.state = op.outcome;
			// Shape exactly as the two JSON examples in seeds/000.
			/** @type {Record<string, unknown>} */
			const result = {
				State: { Code: 0, Desc: 'Успешно обработан' },
				PayoutOperationId: op.id,
				PayoutOperationState: op.state,
			};
			if (op.state === 'Failed') result.ErrorMessage = op.errorMessage;
			return { op: { ...PROCESSED }, result, accepted: true };
		},
	};

	/** @type {Record<string, Endpoint>} */
	const endpoints = {
		[ENDPOINT_TOKEN]: getUserToken,
		[ENDPOINT_CAPTURE]: purchaseToPaid,
		[ENDPOINT_PAYOUT]: executeOperation,
	};

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
	 * @param {import('node:http').ServerResponse} res
	 * @param {number} status
	 * @param {string} contentType
	 * @param {string} body
	 */
	async function send(res, status, contentType, body) {
		if (latencyMs > 0) {
			try {
				await delay(latencyMs, undefined, { signal: stopController.signal });
			} catch {
				return; // stopped while waiting: the socket is being closed anyway
			}
		}
		if (res.destroyed || res.writableEnded) return; // the client gave up
		res.writeHead(status, {
			'content-type': contentType,
			'content-length': Buffer.byteLength(body),
		});
		res.end(body);
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
		/** @type {Omit<LogEntry, 'signValid' | 'hashValid' | 'verdict' | 'response'>} */
		const base = {
			seq: ++seq,
			endpoint,
			method,
			headers: { ...req.headers },
			contentType,
			fields: fields ?? {},
			authValid,
		};

		const route =
			method === 'POST' && Object.hasOwn(endpoints, endpoint) ? endpoints[endpoint] : undefined;
		if (!route) {
			const response = { error: 'unknown endpoint' };
			record({ ...base, signValid: null, hashValid: null, verdict: 'refused', response });
			await send(res, 404, 'application/json; charset=utf-8', JSON.stringify(response));
			return;
		}

		const f = fieldReader(fields ?? {});
		const signValid =
			fields === null
				? null
				: safeEqual(headerValue(req.headers, 'sign'), sha256Hex(route.signString(f)));
		const hashValid = fields === null ? null : route.hashValid(f);

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
			await send(res, 200, 'application/json; charset=utf-8', JSON.stringify(envelope));
		} else {
			const xml = `<?xml version="1.0" encoding="utf-8"?>${toXml('Response', envelope)}`;
			await send(res, 200, 'application/xml; charset=utf-8', xml);
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
		...invoices.map(
			(i) => `  ${i.invoiceId}  ${i.orderId}  ${i.state}  ${i.amount} ${i.currency}`,
		),
		'Seeded payout operations (id / outcome of executeOperation):',
		...payouts.map((o) => `  ${o.id}  ${o.outcome}`),
		'',
		'Endpoints: POST merchant/purchaseToPaid, personal/user/getUserToken, personal/payout/executeOperation',
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
