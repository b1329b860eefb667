// @ts-check
/**
 * Local imitation of the IntellectMoney HTTP API for tests and demos.
 *
 * Serves eight POST endpoints on 127.0.0.1 only:
 *   merchant API: createInvoice, purchaseToPaid (capture), purchaseToRefund (release / cancel / refund);
 *   Personal API: personal/user/getUserToken and the read personal/payment/getInvoicesHistory;
 *   Payout API: personal/payout/createOperation, personal/payout/executeOperation and the read
 *   personal/payout/getOperationState.
 * A read never changes an invoice and never counts in the ledger; the one thing a read moves is the
 * simulated bank processing of a payout made with createOperation (see "Payout progress" below).
 * It also plays the buyer (`payInvoice`) and IntellectMoney's Result URL notifications (see below).
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
 *   wrong Bearer token           2                       2             Authorization  (createInvoice in
 *                                                                                      TST: only when sent)
 *   wrong Sign header            2                       2             Sign           (idem)
 *   wrong/missing Hash           2                       2             Hash           (the three merchant
 *                                                                                      endpoints)
 *   wrong PurchaseHash           2                       2             PurchaseHash   (createInvoice; the
 *                                                                                      purchase* ones say Hash)
 *   wrong Login/Password         2                       2             Login          (getUserToken)
 *   unknown/expired UserToken    2                       2             UserToken      (every personal/payout/*
 *                                                                                      and personal/payment/* one)
 *   body not parseable           2 'Некорректное тело запроса', Result null
 *   unknown shop                 0 'Успешно обработана'  3             EshopId        (getInvoicesHistory and
 *                                                                                      createOperation: only
 *                                                                                      when an EshopId is sent)
 *   bad / missing identifier     0                       3             InvoiceId | OrderId
 *   bad history search field     0                       3             Skip | Take | InvoiceId | DateFrom | DateTo |
 *                                                                      ChangeDateFrom | ChangeDateTo
 *   bad createInvoice field      0                       3             the field (RecipientAmount, ExpireDate,
 *                                                                      HoldTime, …)
 *   bad createOperation field    0                       3             the field (PreferenceType, Pan, Account,
 *                                                                      BankId, Amount, Currency, RecipientName)
 *   invoice / payout not found   0                       4             InvoiceId | OrderId | PayoutOperationId
 *                                (getInvoicesHistory does not refuse: it answers an empty InvoicesHistoryList)
 *   already paid / executed /    0                       5             InvoiceId | OrderId | PayoutOperationId
 *   refunded; OrderId reused                                           (createInvoice: OrderId)
 *   invoice not held (Created)   0                       6             InvoiceId | OrderId  (purchaseToPaid)
 *   bad MerchantReceipt          0                       7             MerchantReceipt
 *   invoice refunded (capture)   0                       8             InvoiceId | OrderId  (purchaseToPaid)
 *   queued capture               1 (Result null; the capture has happened, reference §4 code 1)
 *   unknown path or not POST     HTTP 404 {"error":"unknown endpoint"} (the only non-200 answer)
 *
 * Checks run in this order: Authorization, body parse, Sign, Hash, then the endpoint's own checks;
 * the first failure answers. The log still records every check's outcome (authValid, signValid,
 * hashValid) so tests can see what the client got right besides the first mistake.
 * Test mode (reference §0 "Sandbox", dev/info/access [C]): a createInvoice in currency `TST` needs no
 * Authorization and no Sign; when either is sent anyway it must be right. The log then shows null
 * (not checked) for a header that was left out.
 *
 * Invoice lifecycle (reference §2.1, §4.1; InvoiceData state names [S] py-satels):
 *   createInvoice → Created ─ payInvoice ─→ Held (HoldMode=1) ─ purchaseToPaid ─→ Paid
 *                                        └→ Paid (HoldMode=0)
 *   purchaseToRefund: Held → Refund (hold released), Created → Refund (cancelled), Paid → Refund
 *   (refunded). `Refund` is the only documented state name for all three (reference §4.1); full amount
 *   only (the partial-refund field is not published, reference §7 Q5).
 *
 * Payout progress. IntellectMoney publishes only the states `InProcess` and `Failed` (reference §4.1,
 * seeds/000). An operation made with createOperation is `Created`; executeOperation makes it
 * `InProcess`; the first `payoutSettleAfterReads` (default 2) getOperationState reads after that still
 * answer `InProcess` and the next one its final state: `Failed` with an ErrorMessage when the
 * recipient name is `FAIL` or the card is FAILING_PAYOUT_PAN, otherwise `Completed` — a SANDBOX
 * INVENTION (the name of IntellectMoney's success state is not published). `settlePayout` settles one
 * by hand. Operations added with addPayoutOperation keep their fixed outcome and never settle by reads.
 *
 * Result URL notifications (reference §5). On every state change of an invoice (creation included)
 * whose ResultUrl was given in createInvoice, or, failing that, when the shop has a `resultUrl`, the
 * sandbox POSTs IntellectMoney's form (application/x-www-form-urlencoded, UTF-8, camelCase names,
 * md5 `hash` of eshopId::orderId::serviceName::eshopAccount::recipientAmount::recipientCurrency::
 * paymentStatus::userName::userEmail::paymentData::SecretKey). paymentStatus: 3 created, 5 paid,
 * 6 held, 4 cancelled or hold released, 8 refunded after payment (7 partially paid is never produced
 * here; sendNotification can send it). A delivery counts as received only when answered HTTP 200 with
 * the body exactly `OK` (dev/info/notification [C]); otherwise it is retried `notificationRetries`
 * times (default 2) after `notificationRetryDelayMs` (default 200) — a SANDBOX CHOICE: IntellectMoney's
 * retry policy is not published (reference §7 Q6). Deliveries go out one at a time, in the order of
 * the state changes. Real Result URLs must be https (wiki/15433808); the sandbox also posts to http,
 * for local receivers, and ONLY to loopback hosts (a URL elsewhere is logged as not posted, never
 * retried): no test or demo reaches the internet. Every attempt is logged in `notifications`.
 *
 * Fault injection (`injectFaults`): imitates what a network, a proxy or an overloaded server does to a
 * request, so tests can see what a client makes of it. Faults are queued; each request takes the first
 * queued fault whose endpoint matches (none given = any request, unknown paths included) and whose
 * `match` fields (if any) the body has, and consumes one of its `count`. Every request is still logged, with `fault` naming the fault it took.
 *
 *   kind            processed?  what the client gets
 *   --------------  ----------  ---------------------------------------------------------------------
 *   reset           no          the socket is destroyed without an answer
 *   timeout         no          nothing, ever; the socket stays open until the client gives up or stop()
 *   http500/502/503 no          that HTTP status, a small text/html error page
 *   http429         no          HTTP 429, `Retry-After: 2`, JSON {"error":"Too Many Requests"}
 *   html            no          HTTP 200, text/html (a proxy's login page)
 *   xml             no          HTTP 200, application/xml gateway error, whatever Accept asked for
 *   redirect307     no          HTTP 307 to /elsewhere/<path> on the sandbox (a client that follows it
 *                               shows up in the log as an unknown endpoint)
 *   echoHtml        no          HTTP 200, text/html page echoing the request's headers and body
 *   truncated       YES         the real answer's headers, with the Content-Length of the full body,
 *                               then the first half of the body bytes, then the socket is destroyed
 *   applyThenDrop   YES         nothing: the request is processed (money may move), then the socket is
 *                               destroyed without an answer
 *   latency         YES         the real answer, `latencyMs` (default 1000) later; stop() cuts the wait
 *   http202         YES         the real answer with HTTP 202 instead of 200
 *   drip            YES         the real answer, one byte every 200 ms
 *
 * A request not processed is logged with verdict 'refused' and response {error: 'fault: <kind>'};
 * authValid/signValid/hashValid are still computed (they are pure checks). A processed one keeps its
 * real verdict and response.
 */
import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import http, { STATUS_CODES, createServer } from 'node:http';
import https from 'node:https';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

/**
 * Credentials of the one shop the sandbox knows.
 * @typedef {object} ShopConfig
 * @property {string} eshopId
 * @property {string} bearerToken
 * @property {string} signSecretKey  key of the SHA-256 `Sign` header (reference §0)
 * @property {string} shopSecretKey  key of the MD5 body `Hash` and of the notification `hash`;
 *   '' = the shop has none, Hash unchecked (notifications are then hashed with an empty key)
 * @property {string} login          Personal API login for getUserToken
 * @property {string} password
 * @property {string} eshopAccount   the shop's IntellectMoney account number, sent as `eshopAccount` in
 *   notifications (reference §3 vector 8 uses 1234567)
 * @property {string} resultUrl      the shop's Result URL ('' = none): notifications of invoices created
 *   without a ResultUrl go here (reference §5 "Where configured")
 */

/** @typedef {'Held' | 'Created' | 'Paid' | 'Refund'} InvoiceState */
/** @typedef {'ok' | 'queued' | 'warning'} CaptureOutcome */

/**
 * What IntellectMoney knows about the buyer once the invoice is paid; sent in notifications. The
 * defaults of payInvoice are the sandbox's own (no real value list is published).
 * @typedef {object} PayerInfo
 * @property {string} [userName]   overrides the invoice's UserName in notifications
 * @property {string} [userEmail]  overrides the invoice's Email in notifications
 * @property {string} [payMethod]  default 'BankCard'
 * @property {string} [shortPan]   default '411111******1111'
 * @property {string} [country]    default 'RU'
 * @property {string} [bank]       default 'Sandbox Bank'
 * @property {string} [ipAddress]  default '127.0.0.1'
 */

/**
 * An invoice (СКО). Objects returned by addInvoice/getInvoice are the live records.
 * @typedef {object} Invoice
 * @property {string} invoiceId
 * @property {string} orderId
 * @property {string} amount
 * @property {string} currency
 * @property {InvoiceState} state
 * @property {number} captures  how many times a capture actually moved money
 * @property {number} refunds   how many purchaseToRefund requests took effect (0 or 1)
 * @property {CaptureOutcome} outcome  how a successful capture is answered
 * @property {Record<string, unknown> | null} receipt  parsed MerchantReceipt of the capture or createInvoice
 * @property {number} createdAt  epoch ms; CreationDate in getInvoicesHistory
 * @property {number} changedAt  epoch ms of the last state change; ChangeDate in getInvoicesHistory
 * @property {string} serviceName
 * @property {string} userName
 * @property {string} email
 * @property {string} resultUrl  '' = the shop's resultUrl applies
 * @property {boolean} holdMode  paying makes it Held (true) or Paid (false)
 * @property {number | null} holdTime  hours, as sent to createInvoice
 * @property {string} expireDate  'yyyy-MM-dd HH:mm:ss' Moscow time, as sent; '' = none
 * @property {string} preference
 * @property {PayerInfo | null} payer  set by payInvoice
 * @property {number} paymentStatus  notification paymentStatus of the last state change (reference §5)
 * @property {string} refundAmount  '0.00' until a purchaseToRefund gives money back (a released hold
 *   or a refund): then the amount; sent as `refundAmount` in notifications
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
 * @property {string} [serviceName]
 * @property {string} [userName]
 * @property {string} [email]
 * @property {string} [resultUrl]
 * @property {boolean} [holdMode]  default: true for a Held invoice, false otherwise
 * @property {number | null} [holdTime]
 * @property {string} [expireDate]
 */

/**
 * `Completed` is a sandbox invention (header comment, "Payout progress").
 * @typedef {'Created' | 'InProcess' | 'Failed' | 'Completed'} PayoutState
 */
/** @typedef {'InProcess' | 'Failed'} PayoutOutcome */

/**
 * Recipient of a payout made with createOperation (reference §2.3).
 * @typedef {object} PayoutRecipient
 * @property {'OutBankCard' | 'OutSbp'} preferenceType
 * @property {string} pan      '' for OutSbp
 * @property {string} account  phone for OutSbp, '' for OutBankCard
 * @property {string} bankId   '' for OutBankCard
 * @property {string} currency
 * @property {string} recipientName
 */

/**
 * A payout operation: created with createOperation, or added with addPayoutOperation as if created
 * earlier. Live record.
 * @typedef {object} PayoutOperation
 * @property {string} id
 * @property {string} amount
 * @property {PayoutState} state
 * @property {number} executions  how many times an execution actually sent money out
 * @property {PayoutOutcome} outcome  the state a successful execution moves to
 * @property {string} errorMessage  sent as ErrorMessage when the state is Failed
 * @property {PayoutRecipient | null} recipient  null = added with addPayoutOperation
 * @property {{ readsLeft: number, finalState: 'Completed' | 'Failed' } | null} progress  simulated
 *   processing of a createOperation payout: InProcess answers still to give, then the final state;
 *   null = never settles by reads (added ones, or already settled)
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
 * @property {boolean | null} authValid  null = no Authorization header where none is required (TST)
 * @property {boolean | null} signValid  null when the body could not be parsed, the endpoint is unknown,
 *   or no Sign header came where none is required (TST)
 * @property {boolean | null} hashValid  null when the shop has no secret key or the endpoint has no Hash
 * @property {'accepted' | 'refused'} verdict
 * @property {Envelope | { error: string }} response  the object that was sent (or would have been)
 * @property {FaultKind | null} fault  the injected fault this request took; null = none
 */

/**
 * @typedef {'reset' | 'timeout' | 'http500' | 'http502' | 'http503' | 'http429' | 'html' | 'xml'
 *   | 'redirect307' | 'echoHtml' | 'truncated' | 'applyThenDrop' | 'latency' | 'http202' | 'drip'} FaultKind
 */

/**
 * @typedef {object} FaultSpec
 * @property {string} [endpoint]  path without the leading slash; one of the served endpoints.
 *   Default: any request, unknown paths included
 * @property {number} [count]  how many requests it hits (default 1)
 * @property {FaultKind} kind
 * @property {number} [latencyMs]  for 'latency' (default 1000); ignored by the other kinds
 * @property {Record<string, string>} [match]  only requests whose body fields have these values
 *   (e.g. `{ InvoiceId: '3000000001' }`), so that concurrent tests each hit their own fault
 */

/**
 * @typedef {object} Ledger
 * @property {Record<string, number>} captures  invoiceId → captures that moved money (every invoice listed)
 * @property {Record<string, number>} refunds  invoiceId → purchaseToRefund requests that took effect
 *   (release, cancel or refund; every invoice listed)
 * @property {Record<string, number>} payoutExecutions  operation id → executions that sent money
 */

/**
 * How a test notification is falsified (sendNotification).
 * @typedef {'hash' | 'otherShop' | 'missingField' | 'cp1251' | 'replay'} NotificationForge
 */

/**
 * One notification POST (an attempt of a delivery, or a sendNotification).
 * @typedef {object} NotificationEntry
 * @property {number} seq  1, 2, 3 … over the sandbox's life
 * @property {'delivery' | 'manual'} source  delivery = on a state change; manual = sendNotification
 * @property {number} attempt  1 = first try, 2… = retries (always 1 for manual)
 * @property {NotificationForge | null} forge
 * @property {string} url
 * @property {string | null} invoiceId  null = fields given as such, or a replay
 * @property {Record<string, string>} fields  as sent (a replay: those of the notification replayed)
 * @property {string} body  the request body exactly as sent (percent-encoded, so ASCII)
 * @property {number | null} status  HTTP status of the answer; null = no answer (see error)
 * @property {string} responseBody
 * @property {string} responseContentType
 * @property {string | null} error  why there was no answer (connection refused, timeout, stopped)
 * @property {boolean} ok  HTTP 200 with the body exactly `OK`: the receiver took it
 */

/**
 * The receiver's answer to a sendNotification.
 * @typedef {object} NotificationResponse
 * @property {number} status
 * @property {string} body
 * @property {import('node:http').IncomingHttpHeaders} headers
 */

/**
 * What sendNotification sends: either a notification built from an invoice (`invoiceId`, and the
 * paymentStatus, by default the one of the invoice's state), or the notification fields themselves
 * (any object without an `invoiceId` key; `hash` is filled in when absent).
 * @typedef {{ invoiceId: string, paymentStatus?: number | string } | Record<string, string>} NotificationSpec
 */

/**
 * @typedef {object} SandboxOptions
 * @property {number} [port]  0 (default) = a free port
 * @property {Partial<ShopConfig>} [shop]  merged over DEFAULT_SHOP
 * @property {number} [userTokenTtlMs]  default 15 minutes
 * @property {number} [latencyMs]  delay before each answer (the request is processed first)
 * @property {number} [payoutSettleAfterReads]  default 2 (header comment, "Payout progress")
 * @property {number} [notificationRetries]  default 2: attempts after the first
 * @property {number} [notificationRetryDelayMs]  default 200
 * @property {number} [notificationTimeoutMs]  default 5000: a receiver silent that long is a failed attempt
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
 * @property {(input?: InvoiceInput) => Invoice} addInvoice  an invoice as if created earlier (no
 *   notification)
 * @property {(invoiceIdOrOrderId: string) => Invoice | undefined} getInvoice
 * @property {(invoiceIdOrOrderId: string, payer?: PayerInfo) => Invoice} payInvoice  the buyer pays a
 *   Created invoice: Held when created with HoldMode=1, otherwise Paid; notifies. Throws a TypeError
 *   for an unknown, not Created or expired invoice
 * @property {(input?: PayoutOperationInput) => PayoutOperation} addPayoutOperation
 * @property {(id: string) => PayoutOperation | undefined} getPayoutOperation
 * @property {(id: string, state: 'Completed' | 'Failed', errorMessage?: string) => PayoutOperation}
 *   settlePayout  ends an InProcess operation by hand; throws a TypeError otherwise
 * @property {(token?: string) => string} issueUserToken  registers a valid user token, as getUserToken
 *   would (e.g. the `b1f0c3de` of reference §3 vector 5); returns it
 * @property {() => void} expireUserTokens
 * @property {() => string[]} issuedUserTokens
 * @property {() => Ledger} ledger
 * @property {(spec: FaultSpec) => void} injectFaults  queues faults (header comment); throws a
 *   TypeError on an unknown kind or endpoint, a count that is not a positive integer, a bad latencyMs
 * @property {() => number} pendingFaults  faults still queued (sum of the remaining counts)
 * @property {() => void} clearFaults
 * @property {NotificationEntry[]} notifications  every notification attempt, in order
 * @property {() => void} clearNotifications
 * @property {(predicate: (entry: NotificationEntry) => boolean, timeoutMs?: number) => Promise<NotificationEntry>}
 *   waitForNotification  the first logged attempt, already there or still to come, that the predicate
 *   accepts; rejects after timeoutMs (default 5000) or on stop()
 * @property {() => Promise<void>} flushNotifications  resolves once every queued delivery, retries
 *   included, is done
 * @property {(url: string, what?: NotificationSpec, options?: { forge?: NotificationForge,
 *   field?: string, eshopId?: string }) => Promise<NotificationResponse>} sendNotification  one POST
 *   of a notification to any URL, no retry, logged as 'manual'. forge: 'hash' (wrong hash),
 *   'otherShop' (eshopId `options.eshopId`, default the shop's + 1, correctly hashed with the same key),
 *   'missingField' (drops `options.field`, default 'hash', after hashing), 'cp1251' (right hash, body
 *   percent-encoded in windows-1251 bytes), 'replay' (the previous notification's body byte for byte;
 *   `what` is ignored). Rejects when no answer comes
 * @property {() => Promise<void>} stop  closes every connection, including one held by a 'timeout'
 *   fault, and cuts notification deliveries short
 */

/** @type {Readonly<ShopConfig>} */
export const DEFAULT_SHOP = Object.freeze({
	eshopId: '450000',
	bearerToken: 'sandbox-bearer-token-7f3a',
	signSecretKey: 'SIGNSECRET',
	shopSecretKey: 'SHOPSECRET',
	login: 'operator@example.com',
	password: 'sandbox-password-9c1e',
	eshopAccount: '1234567',
	resultUrl: '',
});

/** A card number whose payouts (createOperation) end Failed; Luhn-valid. */
export const FAILING_PAYOUT_PAN = '4000000000000002';
/** A recipient name whose payouts (createOperation) end Failed. */
export const FAILING_RECIPIENT_NAME = 'FAIL';

/** @type {readonly NotificationForge[]} */
export const NOTIFICATION_FORGES = Object.freeze([
	'hash',
	'otherShop',
	'missingField',
	'cp1251',
	'replay',
]);

const ENDPOINT_TOKEN = 'personal/user/getUserToken';
/** The sandbox's own "the buyer pays" endpoint (payAsBuyer); IntellectMoney has no such thing. */
export const BUYER_PAYS = 'sandbox/pay';
const ENDPOINT_CREATE_INVOICE = 'merchant/createInvoice';
const ENDPOINT_CAPTURE = 'merchant/purchaseToPaid';
const ENDPOINT_REFUND = 'merchant/purchaseToRefund';
const ENDPOINT_PAYOUT_CREATE = 'personal/payout/createOperation';
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
	'redirect307',
	'echoHtml',
	'truncated',
	'applyThenDrop',
	'latency',
	'http202',
	'drip',
]);
/** Faults that let the request be processed first (the others answer instead of processing). */
const PROCESSING_FAULTS = new Set(['truncated', 'applyThenDrop', 'latency', 'http202', 'drip']);

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
 * Sign segments of createInvoice, in order (reference §2.1 [C]; the body Hash uses the same values
 * with the shop SecretKey). FailUrl is included: reference §7 Q1 (the dev page's `SuccessUrl::::BackUrl`
 * is read as a rendering glitch; the SDK, the wiki and every client sign FailUrl).
 */
const CREATE_INVOICE_SIGN_FIELDS = [
	'EshopId',
	'OrderId',
	'ServiceName',
	'RecipientAmount',
	'RecipientCurrency',
	'UserName',
	'Email',
	'SuccessUrl',
	'FailUrl',
	'BackUrl',
	'ResultUrl',
	'ExpireDate',
	'HoldMode',
	'Preference',
];
/** PurchaseHash segments of createInvoice (reference §2.1 [C] SDK `_hashPatterns.purchaseHash`). */
const CREATE_INVOICE_PURCHASE_HASH_FIELDS = [
	'EshopId',
	'OrderId',
	'ServiceName',
	'RecipientAmount',
	'RecipientCurrency',
];
/** Sign segments of payout createOperation, in order (reference §2.3 [C]). */
const CREATE_OPERATION_SIGN_FIELDS = [
	'UserToken',
	'PreferenceType',
	'Pan',
	'Account',
	'BankId',
	'Amount',
	'Currency',
	'RecipientName',
	'EshopId',
];
/** Notification hash segments (reference §5 [S]); the shop SecretKey is appended. */
const NOTIFICATION_HASH_FIELDS = [
	'eshopId',
	'orderId',
	'serviceName',
	'eshopAccount',
	'recipientAmount',
	'recipientCurrency',
	'paymentStatus',
	'userName',
	'userEmail',
	'paymentData',
];

// Reference §3: amounts are written "10.00", two decimals and a dot; RecipientAmount is ≤ 13 chars.
const AMOUNT_RE = /^\d{1,10}\.\d{2}$/;
/** Reference §2.1 [C]: RecipientCurrency values. */
const INVOICE_CURRENCIES = ['RUB', 'RUR', 'TST', 'USD', 'EUR'];
// Reference §2.3: an SBP payout goes to the recipient's phone; Russian numbers, 7 and ten digits.
const SBP_PHONE_RE = /^7\d{10}$/;

/** Notification paymentStatus codes (reference §5 [S]). */
const PAYMENT_STATUS = Object.freeze({
	created: 3,
	cancelled: 4,
	paid: 5,
	held: 6,
	partiallyPaid: 7,
	refunded: 8,
});
/**
 * paymentStatus of an invoice added in this state (addInvoice), until its next change: a Refund one
 * counts as cancelled (4), its history being unknown.
 * @type {Record<InvoiceState, number>}
 */
const STATUS_OF_STATE = { Created: 3, Held: 6, Paid: 5, Refund: 4 };
const NOTIFICATION_CONTENT_TYPE = 'application/x-www-form-urlencoded';
/**
 * The sandbox is a local imitation: it posts notifications to this machine only (localhost,
 * 127.0.0.0/8, [::1]), so no test or demo can reach the internet through a Result URL.
 */
const LOOPBACK_HOST_RE = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
/** A receiver's answer is kept up to this size in the notification log. */
const MAX_NOTIFICATION_RESPONSE_BYTES = 64 * 1024;

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

/** Length in characters (code points), not UTF-16 units: the documented limits count characters. */
/** @param {string} s */
function charLength(s) {
	return [...s].length;
}

/**
 * Luhn check digit test of a card number (digits only).
 * @param {string} digits
 */
function luhnValid(digits) {
	let sum = 0;
	for (let i = 0; i < digits.length; i++) {
		let d = Number(digits[digits.length - 1 - i]);
		if (i % 2 === 1) {
			d *= 2;
			if (d > 9) d -= 9;
		}
		sum += d;
	}
	return sum % 10 === 0;
}

/** @type {Map<string, number> | undefined} character → windows-1251 byte, for bytes 0x80–0xFF */
let cp1251Table;

/**
 * The windows-1251 bytes of a string (Node has a decoder for it but no encoder).
 * @param {string} text
 * @returns {Buffer}
 */
function cp1251Bytes(text) {
	if (!cp1251Table) {
		cp1251Table = new Map();
		const decoder = new TextDecoder('windows-1251');
		for (let byte = 0x80; byte <= 0xff; byte++) {
			const char = decoder.decode(Uint8Array.of(byte));
			if (char !== '\ufffd' && !cp1251Table.has(char)) cp1251Table.set(char, byte);
		}
	}
	const table = cp1251Table;
	return Buffer.from(
		[...text].map((char) => {
			const code = char.codePointAt(0) ?? 0;
			if (code < 0x80) return code;
			const byte = table.get(char);
			if (byte === undefined) throw new TypeError(`cp1251: no windows-1251 byte for ${char}`);
			return byte;
		}),
	);
}

/**
 * application/x-www-form-urlencoded, percent-encoding the given bytes of each name and value: the
 * same characters as URLSearchParams keep (alphanumerics and `*-._`), space as `+`.
 * @param {Record<string, string>} fields
 * @param {'utf8' | 'cp1251'} charset
 * @returns {string}  ASCII
 */
function formEncode(fields, charset) {
	/** @param {string} text */
	const encode = (text) => {
		const bytes = charset === 'utf8' ? Buffer.from(text, 'utf8') : cp1251Bytes(text);
		let out = '';
		for (const byte of bytes) {
			const char = String.fromCharCode(byte);
			if (/[A-Za-z0-9*\-._]/.test(char)) out += char;
			else if (byte === 0x20) out += '+';
			else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
		}
		return out;
	};
	return Object.entries(fields)
		.map(([name, value]) => `${encode(name)}=${encode(value)}`)
		.join('&');
}

/**
 * The notification `hash` (reference §5): md5 of the ten values and the key, UTF-8, lower-case hex.
 * @param {Record<string, string>} fields
 * @param {string} secretKey
 */
function notificationHash(fields, secretKey) {
	return md5Hex(
		[...NOTIFICATION_HASH_FIELDS.map((name) => fields[name] ?? ''), secretKey].join('::'),
	);
}

/** A notification the sandbox will not post at all (bad URL, not loopback): retrying cannot help. */
class NotPostedError extends Error {}

/**
 * One POST to a receiver, over http or https, without a keep-alive agent (nothing outlives it).
 * @param {string} url
 * @param {string} body
 * @param {{ timeoutMs: number, signal: AbortSignal }} how
 * @returns {Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders, body: string }>}
 */
function postForm(url, body, how) {
	return new Promise((resolve, reject) => {
		/** @type {URL} */
		let target;
		try {
			target = new URL(url);
		} catch {
			reject(new NotPostedError(`not posted: not a URL: ${url}`));
			return;
		}
		if (target.protocol !== 'http:' && target.protocol !== 'https:') {
			reject(new NotPostedError(`not posted: not an http(s) URL: ${url}`));
			return;
		}
		if (!LOOPBACK_HOST_RE.test(target.hostname)) {
			reject(new NotPostedError(`not posted: ${target.hostname} is not a loopback host`));
			return;
		}
		const bytes = Buffer.from(body, 'latin1'); // percent-encoded: ASCII only
		const transport = target.protocol === 'https:' ? https : http;
		const req = transport.request(
			target,
			{
				method: 'POST',
				agent: false,
				signal: how.signal,
				timeout: how.timeoutMs,
				headers: {
					'content-type': NOTIFICATION_CONTENT_TYPE,
					'content-length': bytes.length,
					'user-agent': 'IntellectMoney-sandbox',
				},
			},
			(res) => {
				/** @type {Buffer[]} */
				const chunks = [];
				let size = 0;
				res.on('data', (chunk) => {
					size += chunk.length;
					if (size <= MAX_NOTIFICATION_RESPONSE_BYTES) chunks.push(chunk);
				});
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						body: Buffer.concat(chunks).toString('utf8'),
					}),
				);
				res.on('error', reject);
			},
		);
		req.on('timeout', () => req.destroy(new Error(`no answer within ${how.timeoutMs} ms`)));
		req.on('error', reject);
		req.end(bytes);
	});
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
	const payoutSettleAfterReads = countOption('payoutSettleAfterReads', 2);
	const notificationRetries = countOption('notificationRetries', 2);
	const notificationRetryDelayMs = countOption('notificationRetryDelayMs', 200);
	const notificationTimeoutMs = countOption('notificationTimeoutMs', 5000);

	/**
	 * @param {'payoutSettleAfterReads' | 'notificationRetries' | 'notificationRetryDelayMs' | 'notificationTimeoutMs'} name
	 * @param {number} fallback
	 */
	function countOption(name, fallback) {
		const value = options[name] ?? fallback;
		if (!Number.isInteger(value) || value < 0) {
			throw new TypeError(`startSandbox: ${name} must be a non-negative integer, got ${value}`);
		}
		return value;
	}

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
		if (!['Held', 'Created', 'Paid', 'Refund'].includes(state))
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
			refunds: 0,
			outcome,
			receipt: null,
			createdAt,
			changedAt: createdAt,
			serviceName: input.serviceName ?? '',
			userName: input.userName ?? '',
			email: input.email ?? '',
			resultUrl: input.resultUrl ?? '',
			holdMode: input.holdMode ?? state === 'Held',
			holdTime: input.holdTime ?? null,
			expireDate: input.expireDate ?? '',
			preference: '',
			payer: null,
			paymentStatus: STATUS_OF_STATE[state],
			refundAmount: '0.00',
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
			recipient: null,
			progress: null,
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

	/** @type {NotificationEntry[]} */
	const notifications = [];
	let notificationSeq = 0;
	/** The last notification posted, for sendNotification's 'replay'. */
	/** @type {{ body: string, fields: Record<string, string> } | undefined} */
	let lastNotification;
	/** Deliveries run one at a time, in the order of the state changes. */
	/** @type {Promise<void>} */
	let deliveryQueue = Promise.resolve();
	/**
	 * @typedef {object} NotificationWaiter
	 * @property {(entry: NotificationEntry) => boolean} predicate
	 * @property {(entry: NotificationEntry) => void} resolve
	 * @property {(error: Error) => void} reject
	 * @property {ReturnType<typeof setTimeout>} timer
	 */
	/** @type {Set<NotificationWaiter>} */
	const notificationWaiters = new Set();

	/** @param {NotificationEntry} entry */
	function recordNotification(entry) {
		notifications.push(entry);
		for (const waiter of [...notificationWaiters]) {
			let matches = false;
			try {
				matches = waiter.predicate(entry);
			} catch (err) {
				notificationWaiters.delete(waiter);
				clearTimeout(waiter.timer);
				waiter.reject(err instanceof Error ? err : new Error(String(err)));
				continue;
			}
			if (matches) {
				notificationWaiters.delete(waiter);
				clearTimeout(waiter.timer);
				waiter.resolve(entry);
			}
		}
	}

	/** @type {Sandbox['waitForNotification']} */
	function waitForNotification(predicate, timeoutMs = 5000) {
		/** @type {NotificationEntry | undefined} */
		let found;
		try {
			found = notifications.find(predicate);
		} catch (err) {
			return Promise.reject(err);
		}
		if (found) return Promise.resolve(found);
		if (stopController.signal.aborted) return Promise.reject(new Error('sandbox stopped'));
		return new Promise((resolve, reject) => {
			/** @type {NotificationWaiter} */
			const waiter = {
				predicate,
				resolve,
				reject,
				timer: setTimeout(() => {
					notificationWaiters.delete(waiter);
					const seen = notifications
						.map((e) => `${e.url} status ${e.fields.paymentStatus} → ${e.status ?? e.error}`)
						.join('; ');
					reject(
						new Error(`no matching notification within ${timeoutMs} ms; seen: ${seen || 'none'}`),
					);
				}, timeoutMs),
			};
			notificationWaiters.add(waiter);
		});
	}

	/**
	 * The notification of an invoice (reference §5), hashed with the shop SecretKey.
	 * @param {Invoice} inv
	 * @param {number} paymentStatus
	 * @param {number} at  epoch ms, written as paymentData (Moscow time, like every IntellectMoney date)
	 * @returns {Record<string, string>}
	 */
	function notificationFields(inv, paymentStatus, at) {
		/** @type {PayerInfo} */
		const payer = inv.payer ?? {};
		/** @type {Record<string, string>} */
		const fields = {
			eshopId: shop.eshopId,
			paymentId: inv.invoiceId,
			orderId: inv.orderId,
			eshopAccount: shop.eshopAccount,
			serviceName: inv.serviceName,
			recipientAmount: inv.amount,
			// No commission or partial payment in the sandbox: the original amount is the amount.
			recipientOriginalAmount: inv.amount,
			refundAmount: inv.refundAmount,
			recipientCurrency: inv.currency,
			paymentStatus: String(paymentStatus),
			userName: payer.userName ?? inv.userName,
			userEmail: payer.userEmail ?? inv.email,
			paymentData: imDate(at),
			payMethod: payer.payMethod ?? '',
			shortPan: payer.shortPan ?? '',
			country: payer.country ?? '',
			bank: payer.bank ?? '',
			ipAddress: payer.ipAddress ?? '',
			secretKey: '', // only filled in the shop's "send secret key" mode (reference §5), not imitated
		};
		return { ...fields, hash: notificationHash(fields, shop.shopSecretKey) };
	}

	/**
	 * One POST of a notification, logged whatever happens.
	 * @param {string} url
	 * @param {string} body
	 * @param {Record<string, string>} fields
	 * @param {Pick<NotificationEntry, 'source' | 'attempt' | 'forge' | 'invoiceId'>} meta
	 * @returns {Promise<{ entry: NotificationEntry, response?: NotificationResponse, error?: Error }>}
	 */
	async function postNotification(url, body, fields, meta) {
		const base = { seq: ++notificationSeq, ...meta, url, fields, body };
		lastNotification = { body, fields };
		try {
			const res = await postForm(url, body, {
				timeoutMs: notificationTimeoutMs,
				signal: stopController.signal,
			});
			/** @type {NotificationEntry} */
			const entry = {
				...base,
				status: res.status,
				responseBody: res.body,
				responseContentType: headerValue(res.headers, 'content-type') ?? '',
				error: null,
				// dev/info/notification [C]: received = HTTP 200 and the body exactly "OK".
				ok: res.status === 200 && res.body === 'OK',
			};
			recordNotification(entry);
			return { entry, response: res };
		} catch (err) {
			const error = err instanceof Error ? err : new Error(String(err));
			/** @type {NotificationEntry} */
			const entry = {
				...base,
				status: null,
				responseBody: '',
				responseContentType: '',
				error: stopController.signal.aborted ? 'sandbox stopped' : error.message,
				ok: false,
			};
			recordNotification(entry);
			return { entry, error };
		}
	}

	/**
	 * Delivers one notification, retrying while the receiver does not take it (header comment).
	 * @param {string} url @param {string} body @param {Record<string, string>} fields
	 * @param {string} invoiceId
	 */
	async function deliver(url, body, fields, invoiceId) {
		for (let attempt = 1; attempt <= 1 + notificationRetries; attempt++) {
			if (stopController.signal.aborted) return;
			if (attempt > 1 && !(await wait(notificationRetryDelayMs))) return;
			const meta = { source: /** @type {const} */ ('delivery'), attempt, forge: null, invoiceId };
			const { entry, error } = await postNotification(url, body, fields, meta);
			if (entry.ok || error instanceof NotPostedError) return;
		}
	}

	/**
	 * Records the paymentStatus of an invoice's change and queues its notification, built now (its
	 * paymentData is the time of the change), when the invoice or the shop has a Result URL.
	 * @param {Invoice} inv
	 * @param {number} paymentStatus
	 */
	function notify(inv, paymentStatus) {
		inv.paymentStatus = paymentStatus;
		// Reference §5: the invoice's ResultUrl overrides the shop's Result URL.
		const url = inv.resultUrl || shop.resultUrl;
		if (!url) return;
		const fields = notificationFields(inv, paymentStatus, Date.now());
		const body = formEncode(fields, 'utf8');
		deliveryQueue = deliveryQueue.then(() =>
			deliver(url, body, fields, inv.invoiceId).catch(() => undefined),
		);
	}

	/**
	 * @param {Invoice} inv
	 * @param {InvoiceState} state
	 * @param {number} paymentStatus
	 */
	function changeInvoiceState(inv, state, paymentStatus) {
		inv.state = state;
		inv.changedAt = Date.now();
		notify(inv, paymentStatus);
	}

	/** @type {Sandbox['sendNotification']} */
	async function sendNotification(url, what, how = {}) {
		const forge = how.forge ?? null;
		if (forge !== null && !NOTIFICATION_FORGES.includes(forge)) {
			throw new TypeError(`sendNotification: unknown forge ${String(forge)}`);
		}
		/** @type {string} */
		let body;
		/** @type {Record<string, string>} */
		let fields;
		/** @type {string | null} */
		let invoiceId = null;
		if (forge === 'replay') {
			if (!lastNotification) throw new TypeError('sendNotification: no notification to replay yet');
			({ body, fields } = lastNotification);
		} else {
			if (what === undefined || what === null || typeof what !== 'object') {
				throw new TypeError('sendNotification: give { invoiceId, paymentStatus? } or the fields');
			}
			if ('invoiceId' in what) {
				const inv = invoices.get(String(what.invoiceId)) ?? invoiceByOrder(String(what.invoiceId));
				if (!inv) throw new TypeError(`sendNotification: no invoice ${what.invoiceId}`);
				const status =
					what.paymentStatus === undefined ? inv.paymentStatus : Number(what.paymentStatus);
				if (!Number.isInteger(status)) {
					throw new TypeError(`sendNotification: bad paymentStatus ${what.paymentStatus}`);
				}
				fields = notificationFields(inv, status, Date.now());
				invoiceId = inv.invoiceId;
			} else {
				fields = { ...what };
				if (!('hash' in fields)) fields.hash = notificationHash(fields, shop.shopSecretKey);
			}
			if (forge === 'hash') {
				// The classic mix-up (reference §3 pitfalls): hashed with the Sign key, not the shop's.
				const wrongKey =
					shop.signSecretKey === shop.shopSecretKey
						? `${shop.signSecretKey}-wrong`
						: shop.signSecretKey;
				fields.hash = notificationHash(fields, wrongKey);
			} else if (forge === 'otherShop') {
				fields.eshopId = how.eshopId ?? String(Number(shop.eshopId) + 1);
				fields.hash = notificationHash(fields, shop.shopSecretKey);
			} else if (forge === 'missingField') {
				const field = how.field ?? 'hash';
				if (!(field in fields)) throw new TypeError(`sendNotification: no field ${field} to drop`);
				delete fields[field];
			}
			body = formEncode(fields, forge === 'cp1251' ? 'cp1251' : 'utf8');
		}
		const meta = { source: /** @type {const} */ ('manual'), attempt: 1, forge, invoiceId };
		const { response, error } = await postNotification(url, body, fields, meta);
		if (!response) throw error ?? new Error('sendNotification: no answer');
		return response;
	}

	/** @type {Sandbox['payInvoice']} */
	function payInvoice(idOrOrder, payer = {}) {
		const inv = invoices.get(idOrOrder) ?? invoiceByOrder(idOrOrder);
		if (!inv) throw new TypeError(`payInvoice: no invoice ${idOrOrder}`);
		if (inv.state !== 'Created') {
			throw new TypeError(`payInvoice: invoice ${inv.invoiceId} is ${inv.state}, not Created`);
		}
		const expiry = inv.expireDate === '' ? undefined : parseImDate(inv.expireDate);
		if (expiry !== undefined && expiry <= Date.now()) {
			throw new TypeError(`payInvoice: invoice ${inv.invoiceId} expired at ${inv.expireDate}`);
		}
		// The buyer's details are the sandbox's own defaults (no value list is published).
		inv.payer = {
			payMethod: 'BankCard',
			shortPan: '411111******1111',
			country: 'RU',
			bank: 'Sandbox Bank',
			ipAddress: '127.0.0.1',
			...payer,
		};
		if (inv.holdMode) changeInvoiceState(inv, 'Held', PAYMENT_STATUS.held);
		else changeInvoiceState(inv, 'Paid', PAYMENT_STATUS.paid);
		return inv;
	}

	/** @type {Sandbox['settlePayout']} */
	function settlePayout(id, state, errorMessage) {
		const op = payouts.get(String(id).toLowerCase());
		if (!op) throw new TypeError(`settlePayout: no payout operation ${id}`);
		if (state !== 'Completed' && state !== 'Failed') {
			throw new TypeError(`settlePayout: state must be Completed or Failed, got ${state}`);
		}
		if (op.state !== 'InProcess') {
			throw new TypeError(`settlePayout: ${op.id} is ${op.state}; only an InProcess one settles`);
		}
		op.state = state;
		op.progress = null;
		if (errorMessage !== undefined) op.errorMessage = errorMessage;
		return op;
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
	 * Body Hash check of purchaseToPaid / purchaseToRefund: Hash and PurchaseHash share one MD5 formula
	 * with the shop SecretKey, `EshopId::OrderId::<action>::SecretKey` (seeds/004 for ToPaid; for Refund
	 * an inference by analogy [I], reference §2.1: the purchaseToRefund page is cut before its Hash).
	 * @param {'ToPaid' | 'Refund'} action
	 * @returns {(f: (name: string) => string | undefined) => boolean | null}
	 */
	const purchaseActionHashValid = (action) => (f) => {
		if (shop.shopSecretKey === '') return null;
		const expected = md5Hex(
			`${f('EshopId') ?? ''}::${f('OrderId') ?? ''}::${action}::${shop.shopSecretKey}`,
		);
		const purchaseHash = f('PurchaseHash');
		return (
			safeEqual(f('Hash'), expected) &&
			(purchaseHash === undefined || safeEqual(purchaseHash, expected))
		);
	};

	/**
	 * The invoice a purchaseToPaid / purchaseToRefund names by InvoiceId or OrderId (reference §7 Q2),
	 * or the refusal to answer with.
	 * @param {(name: string) => string | undefined} f
	 * @returns {{ invoice: Invoice, idParam: string } | { refusal: Answer }}  idParam: the identifier the
	 *   invoice was found by, named in later refusals
	 */
	function purchaseInvoice(f) {
		if (f('EshopId') !== shop.eshopId) {
			return { refusal: businessRefusal(3, 'Магазин не найден', 'EshopId') };
		}
		const invoiceId = f('InvoiceId');
		const orderId = f('OrderId');
		if (invoiceId !== undefined) {
			if (!INVOICE_ID_RE.test(invoiceId)) {
				return { refusal: businessRefusal(3, 'Некорректный номер СКО', 'InvoiceId') };
			}
			const invoice = invoices.get(invoiceId);
			if (!invoice) return { refusal: businessRefusal(4, 'СКО не найден', 'InvoiceId') };
			if (orderId !== undefined && invoice.orderId !== orderId) {
				return { refusal: businessRefusal(4, 'СКО с таким номером покупки не найден', 'OrderId') };
			}
			return { invoice, idParam: 'InvoiceId' };
		}
		if (orderId !== undefined) {
			const invoice = invoiceByOrder(orderId);
			if (!invoice) return { refusal: businessRefusal(4, 'СКО не найден', 'OrderId') };
			return { invoice, idParam: 'OrderId' };
		}
		return { refusal: businessRefusal(3, 'Не указан номер покупки или СКО', 'OrderId') };
	}

	/**
	 * MerchantReceipt travels as a JSON string (reference §6); validated before anything changes.
	 * @param {(name: string) => string | undefined} f
	 * @returns {{ receipt: Record<string, unknown> | null } | { refusal: Answer }}
	 */
	function merchantReceipt(f) {
		const receiptText = f('MerchantReceipt');
		if (receiptText === undefined) return { receipt: null };
		try {
			const parsed = JSON.parse(receiptText);
			if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
				return { receipt: parsed };
			}
		} catch {
			// refused below
		}
		return { refusal: businessRefusal(7, 'Некорректный чек', 'MerchantReceipt') };
	}

	/**
	 * merchant/purchaseToPaid (seeds/004). `ToPaid` is a literal (reference §0); an absent OrderId
	 * keeps an empty segment (reference §3 vector 3).
	 * @type {Endpoint}
	 */
	const purchaseToPaid = {
		signString: (f) =>
			`${f('EshopId') ?? ''}::${f('OrderId') ?? ''}::ToPaid::${shop.signSecretKey}`,
		hashValid: purchaseActionHashValid('ToPaid'),
		run(f) {
			const found = purchaseInvoice(f);
			if ('refusal' in found) return found.refusal;
			const { invoice, idParam } = found;
			if (invoice.state === 'Paid')
				return businessRefusal(5, 'Средства по СКО уже зачислены', idParam);
			if (invoice.state === 'Created') return businessRefusal(6, 'СКО не захолдирован', idParam);
			if (invoice.state === 'Refund') {
				return businessRefusal(8, 'СКО отменён, средства возвращены плательщику', idParam);
			}
			const checked = merchantReceipt(f);
			if ('refusal' in checked) return checked.refusal;
			invoice.captures += 1;
			if (checked.receipt) invoice.receipt = checked.receipt;
			changeInvoiceState(invoice, 'Paid', PAYMENT_STATUS.paid);
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
	 * merchant/purchaseToRefund (reference §2.1: Sign `EshopId::OrderId::Refund::SignSecretKey` [C],
	 * vector 4; Hash by analogy, see purchaseActionHashValid). It releases a held invoice, cancels a
	 * created one, refunds a paid one [C use cases]; all three end in `Refund`, the one documented state
	 * name (reference §4.1). Full amount only: the partial-refund field is not published (§7 Q5). The
	 * answer has the shape of purchaseToPaid's (PurchaseActionData is unpublished, §4.1).
	 * @type {Endpoint}
	 */
	const purchaseToRefund = {
		signString: (f) =>
			`${f('EshopId') ?? ''}::${f('OrderId') ?? ''}::Refund::${shop.signSecretKey}`,
		hashValid: purchaseActionHashValid('Refund'),
		run(f) {
			const found = purchaseInvoice(f);
			if ('refusal' in found) return found.refusal;
			const { invoice, idParam } = found;
			if (invoice.state === 'Refund') {
				return businessRefusal(5, 'По СКО уже выполнен возврат', idParam);
			}
			const checked = merchantReceipt(f);
			if ('refusal' in checked) return checked.refusal;
			const before = invoice.state;
			invoice.refunds += 1;
			// A created invoice took no money; a held or paid one gives it back.
			if (before !== 'Created') invoice.refundAmount = invoice.amount;
			if (checked.receipt) invoice.receipt = checked.receipt;
			const status = before === 'Paid' ? PAYMENT_STATUS.refunded : PAYMENT_STATUS.cancelled;
			changeInvoiceState(invoice, 'Refund', status);
			return {
				op: { ...PROCESSED },
				result: {
					State: { Code: 0, Desc: 'Успешно обработан' },
					InvoiceId: invoice.invoiceId,
					OrderId: invoice.orderId,
					InvoiceState: 'Refund',
				},
				accepted: true,
			};
		},
	};

	/**
	 * merchant/createInvoice (reference §2.1 [C]). With RecipientCurrency TST, Authorization and Sign
	 * may be left out (dev/info/access [C]); when sent they are checked. The body Hash (when the shop has
	 * a SecretKey) is the Sign's values with `::SecretKey`; PurchaseHash, when sent, must be
	 * md5(`EshopId::OrderId::ServiceName::RecipientAmount::RecipientCurrency::SecretKey`).
	 * @type {Endpoint}
	 */
	const createInvoice = {
		credentialsOptional: (f) => f('RecipientCurrency') === 'TST',
		signString: (f) =>
			[...CREATE_INVOICE_SIGN_FIELDS.map((name) => f(name) ?? ''), shop.signSecretKey].join('::'),
		hashValid(f) {
			if (shop.shopSecretKey === '') return null;
			const purchaseHash = f('PurchaseHash');
			return (
				safeEqual(f('Hash'), createInvoiceHash(f)) &&
				(purchaseHash === undefined || safeEqual(purchaseHash, createInvoicePurchaseHash(f)))
			);
		},
		hashErrorParam: (f) => (safeEqual(f('Hash'), createInvoiceHash(f)) ? 'PurchaseHash' : 'Hash'),
		run(f) {
			const refusal = createInvoiceFieldRefusal(f);
			if (refusal) return refusal;
			const checked = merchantReceipt(f);
			if ('refusal' in checked) return checked.refusal;
			const orderId = /** @type {string} */ (f('OrderId'));
			// The shop option "Принимать только уникальный номер покупки" is on by default (seeds/004,
			// OrderId): the sandbox's shop keeps it on, so an order number is used once.
			if (invoiceByOrder(orderId)) {
				return businessRefusal(5, 'Счёт с таким номером покупки уже создан', 'OrderId');
			}
			const holdTime = f('HoldTime');
			const invoice = addInvoice({
				orderId,
				amount: f('RecipientAmount'),
				currency: f('RecipientCurrency'),
				state: 'Created',
				serviceName: f('ServiceName') ?? '',
				userName: f('UserName') ?? '',
				email: f('Email') ?? '',
				resultUrl: f('ResultUrl') ?? '',
				holdMode: f('HoldMode') === '1',
				holdTime: holdTime === undefined ? null : Number(holdTime),
				expireDate: f('ExpireDate') ?? '',
			});
			invoice.preference = f('Preference') ?? '';
			invoice.receipt = checked.receipt;
			notify(invoice, PAYMENT_STATUS.created);
			return {
				op: { ...PROCESSED },
				result: { State: { Code: 0, Desc: 'Успешно обработан' }, InvoiceId: invoice.invoiceId },
				accepted: true,
			};
		},
	};

	/** @param {(name: string) => string | undefined} f */
	function createInvoiceHash(f) {
		return md5Hex(
			[...CREATE_INVOICE_SIGN_FIELDS.map((name) => f(name) ?? ''), shop.shopSecretKey].join('::'),
		);
	}

	/** @param {(name: string) => string | undefined} f */
	function createInvoicePurchaseHash(f) {
		return md5Hex(
			[
				...CREATE_INVOICE_PURCHASE_HASH_FIELDS.map((name) => f(name) ?? ''),
				shop.shopSecretKey,
			].join('::'),
		);
	}

	/**
	 * Field checks of createInvoice (reference §2.1 body fields), first failure only.
	 * @param {(name: string) => string | undefined} f
	 * @returns {Answer | undefined}
	 */
	function createInvoiceFieldRefusal(f) {
		/** @param {string} param @param {string} desc */
		const bad = (param, desc) => businessRefusal(3, desc, param);
		if (f('EshopId') !== shop.eshopId) return bad('EshopId', 'Магазин не найден');
		const orderId = f('OrderId');
		// Required here: the sandbox finds invoices and notifies by it (the page's required marks are cut).
		if (orderId === undefined) return bad('OrderId', 'Не указан номер покупки');
		if (charLength(orderId) > 50) return bad('OrderId', 'Номер покупки длиннее 50 символов');
		if (charLength(f('ServiceName') ?? '') > 1024) {
			return bad('ServiceName', 'Описание покупки длиннее 1024 символов');
		}
		const amount = f('RecipientAmount');
		// Minimum 1.00 (dev/protocol/html/createInvoice; wiki/160333899 says 10.00: reference §7 Q9).
		if (amount === undefined || !AMOUNT_RE.test(amount) || Number(amount) < 1) {
			return bad('RecipientAmount', 'Сумма: число с двумя знаками после точки, не меньше 1.00');
		}
		const currency = f('RecipientCurrency');
		if (currency === undefined || !INVOICE_CURRENCIES.includes(currency)) {
			return bad('RecipientCurrency', `Валюта: одна из ${INVOICE_CURRENCIES.join(', ')}`);
		}
		if (charLength(f('UserName') ?? '') > 255) return bad('UserName', 'Имя длиннее 255 символов');
		if (charLength(f('Email') ?? '') > 100) return bad('Email', 'E-mail длиннее 100 символов');
		for (const param of ['SuccessUrl', 'FailUrl', 'BackUrl', 'ResultUrl']) {
			if (charLength(f(param) ?? '') > 512) return bad(param, 'Адрес длиннее 512 символов');
		}
		const expireDate = f('ExpireDate');
		if (expireDate !== undefined) {
			const expiry = parseImDate(expireDate);
			if (expiry === undefined) return bad('ExpireDate', 'Дата: формат yyyy-MM-dd HH:mm:ss');
			if (expiry <= Date.now()) return bad('ExpireDate', 'Срок оплаты уже прошёл');
		}
		const holdMode = f('HoldMode') ?? '0'; // absent = 0 (reference §2.1: HoldMode 1/0)
		if (holdMode !== '0' && holdMode !== '1') return bad('HoldMode', 'HoldMode: 1 или 0');
		const holdTime = f('HoldTime');
		// Reference §2.1 [C] SDK CreateInvoiceDataModel: hours, 0 to 119.
		if (holdTime !== undefined && (!/^\d{1,3}$/.test(holdTime) || Number(holdTime) > 119)) {
			return bad('HoldTime', 'HoldTime: целое число часов от 0 до 119');
		}
		// Reference §2.1 [C] wiki/4849803 and the SDK: a hold needs both ExpireDate and HoldTime.
		if (holdMode === '1') {
			if (expireDate === undefined) return bad('ExpireDate', 'Для холдирования нужен ExpireDate');
			if (holdTime === undefined) return bad('HoldTime', 'Для холдирования нужен HoldTime');
		}
		return undefined;
	}

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
	 * one to one ('Created', 'Held', 'Paid', 'Refund').
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
			// No partial payments or refunds in the sandbox: the current amount is the invoice amount
			// (what IntellectMoney shows after a full refund is not published; kept unchanged).
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
	 * personal/payout/createOperation (reference §2.3 [C]; the page is cut after Account, so the checks
	 * of the later fields are the sandbox's reading). Card payouts need a Luhn-valid Pan of 13–19
	 * digits; SBP payouts the recipient's phone as Account (7 and ten digits) and a BankId. A field of
	 * the other kind is refused (Pan is "only for OutBankCard" [C]; Account/BankId with a card likewise,
	 * a sandbox choice that keeps clients from sending what they do not mean).
	 * @type {Endpoint}
	 */
	const createOperation = {
		signString: (f) =>
			[...CREATE_OPERATION_SIGN_FIELDS.map((name) => f(name) ?? ''), shop.signSecretKey].join('::'),
		hashValid: () => null,
		run(f) {
			const refusal = userTokenRefusal(f);
			if (refusal) return refusal;
			/** @param {string} param @param {string} desc */
			const bad = (param, desc) => businessRefusal(3, desc, param);
			const eshopId = f('EshopId');
			if (eshopId !== undefined && eshopId !== shop.eshopId)
				return bad('EshopId', 'Магазин не найден');
			const preferenceType = f('PreferenceType');
			if (preferenceType !== 'OutBankCard' && preferenceType !== 'OutSbp') {
				return bad('PreferenceType', 'Способ выплаты: OutBankCard или OutSbp');
			}
			const pan = f('Pan');
			const account = f('Account');
			const bankId = f('BankId');
			if (preferenceType === 'OutBankCard') {
				if (pan === undefined || !/^\d{13,19}$/.test(pan) || !luhnValid(pan)) {
					return bad('Pan', 'Некорректный номер карты');
				}
				if (account !== undefined) return bad('Account', 'Account только для выплаты по СБП');
				if (bankId !== undefined) return bad('BankId', 'BankId только для выплаты по СБП');
			} else {
				if (pan !== undefined) return bad('Pan', 'Pan только для выплаты на карту');
				if (account === undefined || !SBP_PHONE_RE.test(account)) {
					return bad('Account', 'Телефон получателя: 7 и десять цифр');
				}
				if (bankId === undefined) return bad('BankId', 'Не указан банк получателя');
			}
			const amount = f('Amount');
			if (amount === undefined || !AMOUNT_RE.test(amount) || Number(amount) <= 0) {
				return bad('Amount', 'Сумма: число с двумя знаками после точки, больше 0');
			}
			const currency = f('Currency');
			if (currency !== 'RUB' && currency !== 'TST') return bad('Currency', 'Валюта: RUB или TST');
			const recipientName = f('RecipientName');
			if (recipientName === undefined) return bad('RecipientName', 'Не указан получатель');

			const failsOnCard = pan === FAILING_PAYOUT_PAN;
			const fails = failsOnCard || recipientName === FAILING_RECIPIENT_NAME;
			/** @type {PayoutOperation} */
			const op = {
				id: randomUUID(),
				amount,
				state: 'Created',
				executions: 0,
				outcome: 'InProcess',
				errorMessage: failsOnCard
					? 'Карта получателя отклонена банком'
					: 'Платеж не прошел в банке',
				recipient: {
					preferenceType,
					pan: pan ?? '',
					account: account ?? '',
					bankId: bankId ?? '',
					currency,
					recipientName,
				},
				progress: { readsLeft: payoutSettleAfterReads, finalState: fails ? 'Failed' : 'Completed' },
			};
			payouts.set(op.id, op);
			return { op: { ...PROCESSED }, result: payoutOperationData(op), accepted: true };
		},
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
			const { op } = found;
			// Simulated bank processing of a createOperation payout (header comment, "Payout progress").
			if (op.state === 'InProcess' && op.progress) {
				if (op.progress.readsLeft > 0) op.progress.readsLeft -= 1;
				else {
					op.state = op.progress.finalState;
					op.progress = null;
				}
			}
			return { op: { ...PROCESSED }, result: payoutOperationData(op), accepted: true };
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
		[ENDPOINT_CREATE_INVOICE]: createInvoice,
		[ENDPOINT_CAPTURE]: purchaseToPaid,
		[ENDPOINT_REFUND]: purchaseToRefund,
		[ENDPOINT_PAYOUT_CREATE]: createOperation,
		[ENDPOINT_PAYOUT]: executeOperation,
		[ENDPOINT_PAYOUT_STATE]: getOperationState,
		[ENDPOINT_INVOICES_HISTORY]: getInvoicesHistory,
	};

	/**
	 * Queued faults, first in first out.
	 * @type {Array<{ endpoint: string | undefined, remaining: number, kind: FaultKind, latencyMs: number, match: Record<string, string> }>}
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
		faults.push({
			endpoint,
			remaining: count,
			kind: spec.kind,
			latencyMs: faultLatencyMs,
			match: { ...(spec.match ?? {}) },
		});
	}

	/**
	 * Consumes one of the first queued fault that matches the endpoint and the body fields.
	 * @param {string} endpoint @param {(name: string) => string | undefined} f
	 * @returns {{ kind: FaultKind, latencyMs: number } | null}
	 */
	function takeFault(endpoint, f) {
		const i = faults.findIndex(
			(q) =>
				(q.endpoint === undefined || q.endpoint === endpoint) &&
				Object.entries(q.match).every(([name, value]) => f(name) === value),
		);
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
	 * @param {string} rawText  the request body as received (for 'echoHtml')
	 */
	async function sendFault(req, res, kind, rawText) {
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
			case 'redirect307':
				// A misconfigured proxy pointing elsewhere: a client that followed it would carry the
				// signed request to /elsewhere/…, which the log would show as an unknown endpoint.
				await send(res, 307, 'text/html; charset=utf-8', '<html>Moved</html>', {
					headers: {
						location: `http://${req.headers.host ?? '127.0.0.1'}/elsewhere/${(req.url ?? '/').replace(/^\//, '')}`,
					},
				});
				return;
			case 'echoHtml': {
				// A page that echoes the request, headers and body: the keys would show in an error.
				const echo = `${JSON.stringify(req.headers)} ${rawText}`.replace(/[<>&]/g, ' ');
				const page = `<html><head><title>${echo}</title></head><body>${echo}</body></html>`;
				await send(res, 200, 'text/html; charset=utf-8', page);
				return;
			}
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
		if (fault?.kind === 'drip') {
			// The real answer, one byte every 200 ms: a client whose timeout is only for the silence
			// between bytes would wait minutes.
			res.writeHead(status, { 'content-type': contentType });
			for (const byte of Buffer.from(body, 'utf8')) {
				if (res.destroyed || !(await wait(200))) return;
				res.write(Buffer.of(byte));
			}
			res.end();
			return;
		}
		await send(res, fault?.kind === 'http202' ? 202 : status, contentType, body, {
			truncate: fault?.kind === 'truncated',
		});
	}

	/** @param {LogEntry} entry */
	function record(entry) {
		log.push(entry);
		requestHook?.(entry);
	}

	/**
	 * The buyer's side, for a running sandbox (`npm start`, `npm run sandbox`): pays an invoice named by
	 * `orderId` or `invoiceId` as payInvoice does, so its notification goes out. Not part of
	 * IntellectMoney's API, and not in the request log.
	 * @param {import('node:http').ServerResponse} res @param {(name: string) => string | undefined} f
	 */
	function payAsBuyer(res, f) {
		const id = f('invoiceId') ?? f('orderId') ?? '';
		/** @type {[number, Record<string, unknown>]} */
		let answer;
		try {
			const inv = payInvoice(id);
			answer = [200, { invoiceId: inv.invoiceId, orderId: inv.orderId, state: inv.state }];
		} catch (error) {
			answer = [409, { error: error instanceof Error ? error.message : String(error) }];
		}
		res.writeHead(answer[0], { 'content-type': 'application/json; charset=utf-8' });
		res.end(JSON.stringify(answer[1]));
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
		if (method === 'POST' && endpoint === BUYER_PAYS) {
			payAsBuyer(res, fieldReader(fields ?? {}));
			return;
		}
		const route =
			method === 'POST' && Object.hasOwn(endpoints, endpoint) ? endpoints[endpoint] : undefined;
		const f = fieldReader(fields ?? {});
		// TST createInvoice: a header left out is not checked (null); one sent must be right.
		const credentialsOptional =
			route !== undefined && fields !== null && (route.credentialsOptional?.(f) ?? false);
		const authorization = headerValue(req.headers, 'authorization');
		const authValid =
			authorization === undefined && credentialsOptional
				? null
				: authorization === `Bearer ${shop.bearerToken}`;
		const fault = takeFault(endpoint, f);
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

		if (!route) {
			if (blockingFault) {
				const response = { error: `fault: ${blockingFault}` };
				record({ ...base, signValid: null, hashValid: null, verdict: 'refused', response });
				await sendFault(req, res, blockingFault, raw?.toString('utf8') ?? '');
				return;
			}
			const response = { error: 'unknown endpoint' };
			record({ ...base, signValid: null, hashValid: null, verdict: 'refused', response });
			const body = JSON.stringify(response);
			await answerProcessed(req, res, fault, 404, 'application/json; charset=utf-8', body);
			return;
		}

		const sign = headerValue(req.headers, 'sign');
		const signValid =
			fields === null || (sign === undefined && credentialsOptional)
				? null
				: safeEqual(sign, sha256Hex(route.signString(f)));
		const hashValid = fields === null ? null : route.hashValid(f);

		if (blockingFault) {
			// Nothing is processed; the checks above are pure, so the log can still show them.
			const response = { error: `fault: ${blockingFault}` };
			record({ ...base, signValid, hashValid, verdict: 'refused', response });
			await sendFault(req, res, blockingFault, raw?.toString('utf8') ?? '');
			return;
		}

		/** @type {Answer} */
		let answer;
		if (authValid === false) {
			answer = authRefusal('Ошибка авторизации: неверный Bearer-токен', 'Authorization');
		} else if (fields === null) {
			answer = {
				op: { Code: 2, Desc: 'Некорректное тело запроса' },
				result: null,
				accepted: false,
			};
		} else if (signValid === false) {
			answer = authRefusal('Неверная подпись запроса (Sign)', 'Sign');
		} else if (hashValid === false) {
			const param = route.hashErrorParam?.(f) ?? 'Hash';
			answer = authRefusal(`Неверная подпись данных (${param})`, param);
		} else {
			answer = route.run(f);
		}

		// The envelope echoes the shop number only where the request carries one (merchant API).
		const eshopField = endpoint.startsWith('merchant/') ? f('EshopId') : undefined;
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
		payInvoice,
		addPayoutOperation,
		getPayoutOperation: (id) => payouts.get(id.toLowerCase()),
		settlePayout,
		issueUserToken,
		expireUserTokens() {
			for (const token of userTokens.keys()) userTokens.set(token, 0);
		},
		issuedUserTokens: () => [...userTokens.keys()],
		ledger() {
			/** @type {Ledger} */
			const result = { captures: {}, refunds: {}, payoutExecutions: {} };
			for (const inv of invoices.values()) {
				result.captures[inv.invoiceId] = inv.captures;
				result.refunds[inv.invoiceId] = inv.refunds;
			}
			for (const op of payouts.values()) result.payoutExecutions[op.id] = op.executions;
			return result;
		},
		injectFaults,
		pendingFaults: () => faults.reduce((n, q) => n + q.remaining, 0),
		clearFaults() {
			faults.length = 0;
		},
		notifications,
		clearNotifications() {
			notifications.length = 0;
		},
		waitForNotification,
		flushNotifications: () => deliveryQueue,
		sendNotification,
		stop() {
			stopping ??= new Promise((resolve, reject) => {
				stopController.abort();
				for (const waiter of notificationWaiters) {
					clearTimeout(waiter.timer);
					waiter.reject(new Error('sandbox stopped'));
				}
				notificationWaiters.clear();
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
 * @property {(f: (name: string) => string | undefined) => boolean} [credentialsOptional]  true = the
 *   Authorization and Sign headers may be left out (checked when sent): createInvoice in TST
 * @property {(f: (name: string) => string | undefined) => string} [hashErrorParam]  the field named
 *   when hashValid is false (default 'Hash')
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
 * invoices (order-1001, order-1002), one created (order-1003), one created with a hold (order-1004:
 * payInvoice makes it Held; it expires three days after seeding), a payout that goes InProcess (the
 * GUID of the seeds/000 example) and one that Fails (the GUID of reference §3 vector 5).
 * @param {Sandbox} sandbox
 * @returns {{ invoices: Invoice[], payouts: PayoutOperation[] }}
 */
export function seedDemoData(sandbox) {
	const invoices = [
		sandbox.addInvoice({ invoiceId: '3000001001', orderId: 'order-1001' }),
		sandbox.addInvoice({ invoiceId: '3000001002', orderId: 'order-1002', amount: '250.00' }),
		sandbox.addInvoice({ invoiceId: '3000001003', orderId: 'order-1003', state: 'Created' }),
		sandbox.addInvoice({
			invoiceId: '3000001004',
			orderId: 'order-1004',
			amount: '300.00',
			state: 'Created',
			serviceName: 'Демо-заказ с холдированием',
			email: 'buyer@example.com',
			holdMode: true,
			holdTime: 72,
			expireDate: imDate(Date.now() + 3 * 24 * 60 * 60 * 1000),
		}),
	];
	const payouts = [
		sandbox.addPayoutOperation({ id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' }),
		sandbox.addPayoutOperation({ id: '5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a23', outcome: 'Failed' }),
	];
	return { invoices, payouts };
}

/**
 * `node dev/sandbox.mjs [--port N] [--latency-ms N] [--result-url URL]`: a seeded sandbox for demos;
 * --result-url sets the shop's Result URL, where invoice notifications are posted.
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
	const resultUrlAt = argv.findIndex((a) => a === '--result-url' || a.startsWith('--result-url='));
	const resultUrl =
		resultUrlAt < 0
			? ''
			: argv[resultUrlAt].includes('=')
				? argv[resultUrlAt].slice('--result-url='.length)
				: (argv[resultUrlAt + 1] ?? '');
	if (resultUrlAt >= 0 && !/^https?:\/\//.test(resultUrl)) {
		throw new Error(`--result-url needs an http(s) URL, got ${resultUrl}`);
	}
	const sandbox = await startSandbox({
		port: numberArg('--port', 8085),
		latencyMs: numberArg('--latency-ms', 0),
		shop: { resultUrl },
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
			(i) =>
				`  ${i.invoiceId}  ${i.orderId}  ${i.state}  ${i.amount} ${i.currency}${i.state === 'Created' && i.holdMode ? '  (hold on payment)' : ''}`,
		),
		'Seeded payout operations (id / outcome of executeOperation):',
		...payouts.map((o) => `  ${o.id}  ${o.outcome}`),
		'',
		'Endpoints: POST merchant/createInvoice, merchant/purchaseToPaid, merchant/purchaseToRefund,',
		'           personal/user/getUserToken, personal/payment/getInvoicesHistory,',
		'           personal/payout/createOperation, personal/payout/executeOperation,',
		'           personal/payout/getOperationState',
		s.resultUrl
			? `Notifications: POSTed to ${s.resultUrl} on every invoice state change`
			: 'Notifications: none (no --result-url; an invoice created with a ResultUrl still gets them)',
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
