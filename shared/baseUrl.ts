/**
 * Where the credential may send its secrets: the Base URL policy, shared by the credential (which
 * refuses to sign a request for any other address) and the node (which says so before sending).
 *
 * Every request carries the Bearer token and the Sign header, and the user-token request carries
 * Login and Password; someone allowed to edit the credential but not to read its password fields
 * could otherwise point it at their own server. So only two kinds of address are accepted:
 * - IntellectMoney's own domain over https (the API is https://api.intellectmoney.ru/,
 *   dev/merchant/api/createInvoice; the cabinet and payment page are other intellectmoney.ru hosts);
 * - this machine (127.0.0.0/8, ::1, localhost), over http or https: the bundled sandbox, or a local
 *   proxy the operator runs.
 * A corporate proxy is reached through n8n's own proxy settings (HTTPS_PROXY), not the Base URL.
 */

export const DEFAULT_BASE_URL = 'https://api.intellectmoney.ru/';

const INTELLECTMONEY_DOMAIN = 'intellectmoney.ru';

/** The accepted Base URL (with a trailing slash), or why it is refused. */
export type BaseUrlCheck = { url: string; refused?: undefined } | { refused: string };

const IPV4_LOOPBACK = /^127(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isLoopbackHost(hostname: string): boolean {
	// WHATWG URL has already normalised the host: lower case, IPv4 in dotted form, IPv6 in brackets.
	return hostname === 'localhost' || hostname === '[::1]' || IPV4_LOOPBACK.test(hostname);
}

function isIntellectMoneyHost(hostname: string): boolean {
	return hostname === INTELLECTMONEY_DOMAIN || hostname.endsWith(`.${INTELLECTMONEY_DOMAIN}`);
}

/** Checks a credential's Base URL (empty = IntellectMoney's API). Never throws. */
export function checkBaseUrl(baseUrl: unknown): BaseUrlCheck {
	const text = typeof baseUrl === 'string' ? baseUrl.trim() : '';
	if (text === '') return { url: DEFAULT_BASE_URL };
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return { refused: 'it is not a full address (e.g. https://api.intellectmoney.ru/)' };
	}
	if (url.username !== '' || url.password !== '') {
		return { refused: 'it contains a user name or password' };
	}
	if (url.search !== '' || url.hash !== '') {
		return { refused: 'it contains a query (?) or a fragment (#)' };
	}
	const { protocol, hostname } = url;
	const loopback = isLoopbackHost(hostname);
	if (protocol === 'https:' && (isIntellectMoneyHost(hostname) || loopback)) {
		return { url: withTrailingSlash(url.href) };
	}
	if (protocol === 'http:' && loopback) return { url: withTrailingSlash(url.href) };
	if (isIntellectMoneyHost(hostname)) {
		return { refused: 'IntellectMoney is only reached over https://' };
	}
	if (protocol !== 'https:' && protocol !== 'http:') {
		return { refused: `${protocol} is not an address the node sends to (use https://)` };
	}
	return {
		refused: `${hostname || text} is neither IntellectMoney (https://…${INTELLECTMONEY_DOMAIN}) nor this machine (127.0.0.1, ::1, localhost), and the credential's keys are sent to no other host`,
	};
}

function withTrailingSlash(url: string): string {
	return url.endsWith('/') ? url : `${url}/`;
}
