// @ts-check
/**
 * The signing vectors of intellectmoney-vectors.json (written by make_vectors.py with Python's
 * hashlib, independently of the node and the sandbox), for the JavaScript tests.
 */
import { readFileSync } from 'node:fs';

/**
 * A segment of a recipe: a body field by its name, or a literal written as it is.
 * @typedef {string | { literal: string }} RecipeSegment
 */

/**
 * @typedef {object} SigningVector
 * @property {string} id
 * @property {string} source  the published example it is, or "own case"
 * @property {string} case
 * @property {string | null} endpoint  e.g. 'merchant/purchaseToPaid', 'notification'; null = the bare
 *   rule (no recipe)
 * @property {'sign' | 'hash' | 'purchaseHash' | null} part
 * @property {'sha256' | 'md5'} algorithm
 * @property {Record<string, string>} fields  the body (or notification) fields as sent
 * @property {string[]} segments  the values in the recipe's order, before the secret
 * @property {string} secret
 * @property {string} string  the exact joined string that is hashed
 * @property {string} digest  of the string's UTF-8 bytes, lower-case hex
 * @property {string} [digestWindows1251]  of its windows-1251 bytes (notifications only)
 */

/**
 * @type {{ recipes: Record<string, Record<string, RecipeSegment[]>>, vectors: SigningVector[] }}
 */
const file = JSON.parse(
	readFileSync(new URL('./intellectmoney-vectors.json', import.meta.url), 'utf8'),
);

/** Endpoint (or 'notification') → part → segments before the secret. */
export const RECIPES = file.recipes;

/** @type {readonly SigningVector[]} */
export const VECTORS = file.vectors;

/**
 * The vector with this id; throws for an unknown one (a typo must not pass as an empty check).
 * @param {string} id
 * @returns {SigningVector}
 */
export function vector(id) {
	const found = VECTORS.find((v) => v.id === id);
	if (!found) throw new Error(`no signing vector ${id} in intellectmoney-vectors.json`);
	return found;
}

/**
 * The field names of a recipe that has no literal segment (the notification hash, say).
 * @param {string} endpoint @param {string} part
 * @returns {string[]}
 */
export function fieldNamesOf(endpoint, part) {
	const recipe = RECIPES[endpoint]?.[part];
	if (!recipe) throw new Error(`no recipe ${endpoint} ${part} in intellectmoney-vectors.json`);
	return recipe.map((segment) => {
		if (typeof segment !== 'string') throw new Error(`${endpoint} ${part} has a literal segment`);
		return segment;
	});
}
