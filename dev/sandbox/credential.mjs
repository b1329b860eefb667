// @ts-check
/**
 * The IntellectMoney credential an operator would enter for a sandbox's shop.
 */

/**
 * The node's credential fields, Base URL pointing at the sandbox, with optional changes (a wrong
 * key, say).
 * @param {import('./types.mjs').Sandbox} sandbox
 * @param {Partial<import('./types.mjs').CredentialData>} [overrides]
 * @returns {import('./types.mjs').CredentialData}
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
