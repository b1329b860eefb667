// @ts-check
/**
 * The sandbox's public types (JSDoc only): its shop, invoices, payouts, request and notification
 * logs, faults, options and the Sandbox object that startSandbox returns. Re-exported by index.mjs.
 */

/**
 * Credentials of the one shop the sandbox knows.
 * @typedef {object} ShopConfig
 * @property {string} eshopId
 * @property {string} bearerToken
 * @property {string} signSecretKey  key of the SHA-256 `Sign` header (docs/intellectmoney-api.md §0)
 * @property {string} shopSecretKey  key of the MD5 body `Hash` and of the notification `hash`;
 *   '' = the shop has none, Hash unchecked (notifications are then hashed with an empty key)
 * @property {string} login          Personal API login for getUserToken
 * @property {string} password
 * @property {string} eshopAccount   the shop's IntellectMoney account number, sent as `eshopAccount` in
 *   notifications (docs/intellectmoney-api.md §3 example 8 uses 1234567)
 * @property {string} resultUrl      the shop's Result URL ('' = none): notifications of invoices created
 *   without a ResultUrl go here (docs/intellectmoney-api.md §5 "Where configured")
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
 * @property {number} paymentStatus  notification paymentStatus of the last state change (docs/intellectmoney-api.md §5)
 * @property {string} refundAmount  '0.00' until a purchaseToRefund gives money back (a released hold
 *   or a refund): then the amount; sent as `refundAmount` in notifications
 * @property {InvoicePayment[]} payments  its HistoryList (getInvoicesHistory with
 *   IncludePaymentTransactions): the buyer's payment, and the money given back
 */

/**
 * One payment of an invoice (HistoryData). `Purchase`, `Refund` and `Confirm` are words of
 * python-intellectmoney's models; which IntellectMoney uses when is the sandbox's choice.
 * @typedef {object} InvoicePayment
 * @property {number} id
 * @property {number} at  epoch ms; its CreationDate
 * @property {'Purchase' | 'Refund'} type  InvoicePaymentType
 * @property {'Confirm'} state
 * @property {string} amount
 */

/**
 * An IntellectMoney account with its balance over time (getAccountData, accounts.mjs).
 * @typedef {object} Account
 * @property {string} accountId
 * @property {string} currency
 * @property {Array<{ from: number, balance: string }>} balances  in time order: the balance from each
 *   moment (epoch ms) on; before the first there is none
 */

/**
 * @typedef {object} AccountInput
 * @property {string} [accountId]  default: unique random 7 digits
 * @property {string} [balance]  default '0.00'; two decimals, may be negative
 * @property {string} [currency]  default 'RUB'
 * @property {Date | number} [openedAt]  default: 30 days ago
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
 * @property {Date | number} [paidAt]  Held or Paid only: when the buyer paid (its HistoryList payment
 *   and ChangeDate); default createdAt
 * @property {string} [serviceName]
 * @property {string} [userName]
 * @property {string} [email]
 * @property {string} [resultUrl]
 * @property {boolean} [holdMode]  default: true for a Held invoice, false otherwise
 * @property {number | null} [holdTime]
 * @property {string} [expireDate]
 */

/**
 * `Completed` is a sandbox invention (payouts.mjs, "Payout progress").
 * @typedef {'Created' | 'InProcess' | 'Failed' | 'Completed'} PayoutState
 */
/** @typedef {'InProcess' | 'Failed'} PayoutOutcome */

/**
 * Recipient of a payout made with createOperation (docs/intellectmoney-api.md §2.3).
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
 * The response envelope (docs/intellectmoney-api.md §4).
 * @typedef {object} Envelope
 * @property {StateInfo} OperationState
 * @property {string} OperationId
 * @property {number | null} EshopId
 * @property {Record<string, unknown> | null} Result
 * @property {Array<Record<string, unknown>>} [Errors]  only with the `refusalShape` switch (live-differs.mjs)
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
 * @property {number} [payoutSettleAfterReads]  default 2 (payouts.mjs, "Payout progress")
 * @property {number} [notificationRetries]  default 2: attempts after the first
 * @property {number} [notificationRetryDelayMs]  default 200
 * @property {number} [notificationTimeoutMs]  default 5000: a receiver silent that long is a failed attempt
 * @property {string[]} [liveDiffers]  switches that answer as a differing live API would (live-differs.mjs);
 *   default none
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
 * @property {(input?: AccountInput) => Account} addAccount  an account with its opening balance
 * @property {(accountId: string) => Account | undefined} getAccount
 * @property {(accountId: string, balance: string, at?: Date | number) => Account} setAccountBalance
 *   the balance from `at` (default now) on; throws a TypeError for an unknown account, a bad amount
 *   or a time before its last change
 * @property {(input?: PayoutOperationInput) => PayoutOperation} addPayoutOperation
 * @property {(id: string) => PayoutOperation | undefined} getPayoutOperation
 * @property {(id: string, state: 'Completed' | 'Failed', errorMessage?: string) => PayoutOperation}
 *   settlePayout  ends an InProcess operation by hand; throws a TypeError otherwise
 * @property {(token?: string) => string} issueUserToken  registers a valid user token, as getUserToken
 *   would (e.g. the `b1f0c3de` of docs/intellectmoney-api.md §3 example 5); returns it
 * @property {() => void} expireUserTokens
 * @property {() => string[]} issuedUserTokens
 * @property {() => Ledger} ledger
 * @property {(switches: string[]) => void} playLiveDiffers  replaces the live-differs switches
 *   (live-differs.mjs; [] = none); throws a TypeError on an unknown one
 * @property {(spec: FaultSpec) => void} injectFaults  queues faults (faults.mjs); throws a
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
 * @property {(invoiceIdOrOrderId: string, paymentStatus?: number) => Record<string, string>}
 *   notificationFor  the signed notification of an invoice as IntellectMoney would send it now (its
 *   paymentData is now), by default for its last state change; sends nothing. Throws a TypeError for
 *   an unknown invoice
 * @property {(url: string, fields: Record<string, string>) => Promise<NotificationEntry | undefined>}
 *   deliverNotification  one delivery of these fields (sent as given; `hash` filled in when absent)
 *   with the retry policy, started at once (not queued behind the state-change deliveries, and not
 *   awaited by flushNotifications), so a load test can run many at the same time; logged as
 *   'delivery'. Resolves with the last attempt (undefined when stop() came first)
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

/**
 * The IntellectMoney credential's fields, as an operator enters them (credentialFor).
 * @typedef {{ eshopId: string, bearerToken: string, signSecretKey: string, shopSecretKey: string, login: string, password: string, baseUrl: string }} CredentialData
 */

export {};
