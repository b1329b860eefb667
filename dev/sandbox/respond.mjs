// @ts-check
/**
 * Writes one HTTP answer, after the sandbox's `latencyMs` (the request is processed first).
 */
import { wait } from './state.mjs';

/**
 * @param {import('./state.mjs').SandboxState} state
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} contentType
 * @param {string} body
 * @param {{ headers?: Record<string, string>, truncate?: boolean }} [how]  truncate: announce the
 *   full Content-Length, write the first half of the bytes, then destroy the socket
 */
export async function send(state, res, status, contentType, body, how = {}) {
	const { latencyMs } = state.settings;
	if (latencyMs > 0 && !(await wait(state, latencyMs))) return;
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
