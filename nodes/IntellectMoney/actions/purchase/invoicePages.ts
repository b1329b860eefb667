/**
 * The shop's invoice list, read page by page (`personal/payment/getInvoicesHistory` with Skip and
 * Take, dev/personal/api/getInvoicesHistory, docs/intellectmoney-api.md §2.2). IntellectMoney
 * publishes no page limit and no total, so the list is over only when a page comes back EMPTY: a page
 * shorter than asked might be IntellectMoney's own cap, so Skip moves on by what was received. A page
 * that fails (a refusal, or a transport failure after the read's retries) fails the whole read:
 * nothing read before it is passed on as if it were the whole list. An invoice listed twice means the
 * list moved while it was read (an invoice may have been skipped), so that fails too. Bounded twice:
 * at most MAX_INVOICES invoices received (counted within a page too) and MAX_PAGE_REQUESTS pages asked
 * for, and a page longer than asked is refused: an answer that breaks the paging rules is not a list.
 */
import { NodeApiError } from 'n8n-workflow';
import type { JsonObject } from 'n8n-workflow';

import type { ImEnvelope, ImInvoiceData, ImInvoicesHistoryData } from '../../../../shared/api';
import { ENDPOINTS } from '../../../../shared/signature';
import { throwIfRefused } from '../../../../shared/transport/refusal';
import type { RequestSettings } from '../../../../shared/transport/request';
import { repeatableRequest } from '../../../../shared/transport/retry';
import { ItemError } from '../../errors';
import type { RunScope } from '../scope';
import { invoiceIdOf } from './invoiceState';

/** Invoices asked for per request: a few hundred kB at most, with each invoice's payments. */
export const PAGE_SIZE = 100;

/** The most invoices one item reads (1,000 pages): beyond it, narrow the dates. */
export const MAX_INVOICES = 100_000;

/**
 * The most pages one item asks for: what MAX_INVOICES takes in full pages, and the empty page that
 * ends the list. A server whose pages are shorter than asked (a cap of its own) can list fewer
 * invoices within it, and is told so, instead of being asked up to 100,000 times, one invoice each.
 */
export const MAX_PAGE_REQUESTS = MAX_INVOICES / PAGE_SIZE + 1;

const NARROW =
	'Narrow the search with Created From / To or Changed From / To (Filters), then read the rest in another run.';

/**
 * Reads the pages in order and hands each page's invoices of this shop to `take`, until the list is
 * over or `take` answers false (it has enough). `query` holds the search fields (EshopId, dates).
 */
export async function readInvoicePages(
	run: RunScope,
	query: Record<string, string>,
	settings: RequestSettings,
	take: (invoices: ImInvoiceData[]) => boolean,
): Promise<void> {
	const seen = new Set<string>();
	const node = run.node.getNode();
	for (let skip = 0, requests = 0; ; requests++) {
		if (requests >= MAX_PAGE_REQUESTS) {
			throw new NodeApiError(node, { message: 'too many pages' } as JsonObject, {
				message: `IntellectMoney's invoice list did not end within ${MAX_PAGE_REQUESTS} pages`,
				description:
					`Its pages were shorter than the ${PAGE_SIZE} invoices asked for: ${skip} invoices in ${requests} requests, ` +
					`and the list went on, so nothing was passed on. ${NARROW}`,
			});
		}
		const page = await readPage(
			run,
			{ ...query, Skip: String(skip), Take: String(PAGE_SIZE) },
			settings,
		);
		if (page.length === 0) return;
		if (page.length > PAGE_SIZE) {
			throw new NodeApiError(node, { message: 'page longer than asked' } as JsonObject, {
				message: `IntellectMoney sent ${page.length} invoices for a page of ${PAGE_SIZE}`,
				description:
					`The page from Skip ${skip} is longer than asked (Take ${PAGE_SIZE}), so the paging cannot be trusted ` +
					"and nothing was passed on. Run it again later; if it stays so, tell IntellectMoney's support.",
			});
		}
		if (skip + page.length > MAX_INVOICES) {
			throw new ItemError(`More than ${MAX_INVOICES} invoices match`, NARROW);
		}
		for (const invoice of page) {
			const id = invoiceIdOf(invoice);
			if (id === '') {
				throw new ItemError(
					'IntellectMoney listed an invoice without an Id',
					`The invoice list from Skip ${skip} has an entry without an invoice number, so the list cannot ` +
						`be read reliably. Nothing was passed on; check the invoices in the cabinet.`,
				);
			}
			if (seen.has(id)) {
				throw new ItemError(
					`Invoice ${id} was listed twice: the invoice list changed while it was read`,
					'An invoice can be missed when the list shifts between two pages, so nothing was passed on. Run it again, or narrow the dates.',
				);
			}
			seen.add(id);
		}
		const eshopId = query.EshopId;
		const ours = page.filter(
			(invoice) => invoice.EShopId === undefined || String(invoice.EShopId) === eshopId,
		);
		if (!take(ours)) return;
		skip += page.length;
	}
}

/** One page: its invoices, or the item's error (IntellectMoney's refusal, a list-less answer). */
async function readPage(
	run: RunScope,
	body: Record<string, string>,
	settings: RequestSettings,
): Promise<ImInvoiceData[]> {
	let signed: Record<string, string> = body;
	const envelope: ImEnvelope<ImInvoicesHistoryData> = await run.userTokens.read(
		settings,
		async (userToken) => {
			// IncludePaymentTransactions: the payments tell when a hold began (holdExpiry.ts).
			// `True` is what python-intellectmoney sends (a bool, form-encoded), and what a .NET server
			// would print the flag as were it to sign the bound value: it signs the same either way [I].
			signed = { UserToken: userToken, ...body, IncludePaymentTransactions: 'True' };
			return await repeatableRequest(run.node, ENDPOINTS.invoiceHistory, signed, settings);
		},
	);
	throwIfRefused(run.node.getNode(), envelope, ENDPOINTS.invoiceHistory, signed);
	const list = envelope.Result?.InvoicesHistoryList;
	if (!Array.isArray(list)) {
		throw new ItemError(
			"IntellectMoney's answer has no invoice list",
			`The answer to the page from Skip ${body.Skip} has no InvoicesHistoryList (OperationState.Code ` +
				`${envelope.OperationState?.Code ?? '-'}), so nothing was passed on. Run it again later.`,
		);
	}
	return list;
}
