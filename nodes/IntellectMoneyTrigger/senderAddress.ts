/**
 * Optional allow-list of sender IP addresses. Off by default: IntellectMoney publishes no sender list,
 * and the addresses in client code disagree: 91.212.151.242 (django-intellectmoney 2014 and 2022)
 * vs 62.122.184.254 (Al-Muhandis/IntellectMoney 2025), docs/intellectmoney-api.md §5. The hash is the real check; the
 * list only narrows who may knock.
 */

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-f:]+(:(\d{1,3}\.){3}\d{1,3})?$/;

/** An address in the form it is compared in: lower case, an IPv4-mapped IPv6 address as IPv4. */
export function normalizeAddress(address: string): string {
	const trimmed = address.trim().toLowerCase();
	const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/.exec(trimmed);
	return mapped ? mapped[1] : trimmed;
}

function isAddress(address: string): boolean {
	return IPV4.test(address) || (address.includes(':') && IPV6.test(address));
}

/** The entries of the "Allowed Sender IPs" option (comma, semicolon or space separated). */
export function parseAllowList(text: string): { addresses: string[]; invalid: string[] } {
	const entries = text
		.split(/[\s,;]+/)
		.map(normalizeAddress)
		.filter((entry) => entry !== '');
	return {
		addresses: entries.filter(isAddress),
		invalid: entries.filter((entry) => !isAddress(entry)),
	};
}

/** Whether `sender` (as n8n saw it) is on the list. */
export function isAllowedSender(sender: string | undefined, addresses: readonly string[]): boolean {
	if (sender === undefined || sender === '') return false;
	return addresses.includes(normalizeAddress(sender));
}
