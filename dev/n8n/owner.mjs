// @ts-check
/**
 * The owner login of a local n8n: created on first start, then used for REST calls.
 */

/** The owner login `npm start` creates (a local demo instance, so printing it is fine). */
export const DEMO_OWNER = {
	email: 'operator@example.com',
	password: 'Sandbox-Passw0rd',
	firstName: 'IntellectMoney',
	lastName: 'Operator',
};

/**
 * Logs in and returns the session cookie for REST calls.
 * @param {string} url @param {{ email: string, password: string }} owner
 */
export async function login(url, owner) {
	const response = await fetch(`${url}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		// n8n 1.x+ reads emailOrLdapLoginId; older releases read email.
		body: JSON.stringify({
			emailOrLdapLoginId: owner.email,
			email: owner.email,
			password: owner.password,
		}),
	});
	if (!response.ok) throw new Error(`login failed: HTTP ${response.status}`);
	return response.headers.get('set-cookie')?.split(';')[0] ?? '';
}

/**
 * Creates the instance owner if n8n still asks for one; returns whether it did.
 * @param {string} url @param {{ email: string, password: string, firstName: string, lastName: string }} owner
 */
export async function ensureOwner(url, owner) {
	const settings = /** @type {any} */ (await (await fetch(`${url}/rest/settings`)).json());
	if (!settings?.data?.userManagement?.showSetupOnFirstLoad) return false;
	const response = await fetch(`${url}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(owner),
	});
	if (!response.ok)
		throw new Error(`owner setup failed: HTTP ${response.status} ${await response.text()}`);
	return true;
}
