// @ts-check
/**
 * TCP ports on 127.0.0.1 for the servers the project starts.
 */
import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1. @returns {Promise<number>} */
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/** A preferred port if it is free on 127.0.0.1, else any free one. @param {number} preferred */
export async function portNear(preferred) {
	const free = await new Promise((resolve) => {
		const probe = createServer();
		probe.once('error', () => resolve(false));
		probe.listen(preferred, '127.0.0.1', () => probe.close(() => resolve(true)));
	});
	return free ? preferred : await freePort();
}
