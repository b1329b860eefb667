// @ts-check
/**
 * The sandbox's own signing recipes (dev/sandbox/recipes.mjs) against the vectors of
 * test/vectors/intellectmoney-vectors.json, computed with Python's hashlib independently of both the
 * sandbox and the node: each recipe builds the vector's exact string from its fields, and hashes it
 * to the vector's digest. The other sandbox tests sign with this module, so this file is what keeps
 * them honest.
 */
import { describe, test, expect } from '@jest/globals';
import { ENDPOINTS } from '../../dev/sandbox/constants.mjs';
import {
	RECIPES,
	md5Hex,
	notificationHash,
	notificationHashString,
	sha256Hex,
} from '../../dev/sandbox/recipes.mjs';
import { fieldReader } from '../../dev/sandbox/wire.mjs';
import { VECTORS, vector } from '../vectors/vectors.mjs';

/** @param {'sha256' | 'md5'} algorithm @param {string} text */
const digestOf = (algorithm, text) => (algorithm === 'sha256' ? sha256Hex(text) : md5Hex(text));

/** @typedef {import('../vectors/vectors.mjs').SigningVector} SigningVector */

/** @type {Set<string>} */
const served = new Set(Object.values(ENDPOINTS));
const endpointVectors = VECTORS.filter((v) => v.endpoint !== null && served.has(v.endpoint));
const notificationVectors = VECTORS.filter((v) => v.endpoint === 'notification');
/** @param {readonly SigningVector[]} vectors @returns {Array<[string, SigningVector]>} */
const byId = (vectors) => vectors.map((v) => [v.id, v]);

describe('every served endpoint recipe reproduces the vectors', () => {
	test.each(byId(endpointVectors))('%s', (_id, v) => {
		const recipe = RECIPES[/** @type {string} */ (v.endpoint)];
		const part = /** @type {'sign' | 'hash' | 'purchaseHash'} */ (v.part);
		const build = recipe?.[part];
		if (!build) throw new Error(`the sandbox has no ${part} recipe for ${v.endpoint}`);
		// The body as the sandbox reads it: case-insensitive names, an empty value as absent.
		const text = build(fieldReader(v.fields), v.secret);
		expect(text).toBe(v.string);
		expect(digestOf(v.algorithm, text)).toBe(v.digest);
	});

	test('each recipe of the sandbox is covered by a vector, and each served endpoint has a Sign', () => {
		const covered = new Set(endpointVectors.map((v) => `${v.endpoint} ${v.part}`));
		for (const [endpoint, parts] of Object.entries(RECIPES)) {
			for (const part of Object.keys(parts)) expect(covered).toContain(`${endpoint} ${part}`);
		}
		expect(Object.keys(RECIPES).sort()).toEqual([...served].sort());
		// Body hashes exist for the merchant API only.
		for (const [endpoint, parts] of Object.entries(RECIPES)) {
			expect([endpoint, 'hash' in parts]).toEqual([endpoint, endpoint.startsWith('merchant/')]);
		}
	});

	test('the published examples 1–6 are among them', () => {
		for (const id of [
			'ref-1-purchaseToPaid-sign',
			'ref-2-purchaseToPaid-hash',
			'ref-3-purchaseToPaid-sign-invoice-id-only',
			'ref-4-purchaseToRefund-sign',
			'ref-5-executeOperation-sign',
			'ref-6-createInvoice-sign',
		]) {
			expect(endpointVectors).toContain(vector(id));
		}
	});
});

describe('the notification hash reproduces the vectors', () => {
	test.each(byId(notificationVectors))('%s', (_id, v) => {
		expect(notificationHashString(v.fields, v.secret)).toBe(v.string);
		expect(notificationHash(v.fields, v.secret)).toBe(v.digest);
		// UTF-8, not windows-1251 (docs/intellectmoney-api.md §3 example 8).
		expect(v.digestWindows1251).toBeDefined();
		expect(v.digest).not.toBe(v.digestWindows1251);
	});

	test('example 8 and an own case are there', () => {
		expect(notificationVectors.map((v) => v.id)).toEqual([
			'ref-8-notification-hash',
			'own-notification-hash-held',
		]);
	});
});

test('the digests are lower-case hex of the UTF-8 bytes (the bare vectors)', () => {
	for (const id of ['ref-0-empty-sha256', 'ref-0-empty-md5', 'own-join-empty-segments']) {
		const v = vector(id);
		expect(digestOf(v.algorithm, v.string)).toBe(v.digest);
	}
});
