// @ts-check
/**
 * The benchmark's report as markdown (bench-results/latest.md): the table of every variant at every
 * latency, the ratios against the targets, and the CPU profiles.
 */
import { profileMarkdown } from './profile.mjs';

/** @typedef {import('./variants.mjs').Variant} Variant */

/** @type {Record<Variant, string>} */
const LABELS = {
	floor: '(a) floor: undici loop',
	floorK: '(a‖) floor: undici, K at once',
	helper: "(h) n8n's HTTP helper alone, no engine",
	peer: '(b) peer: Crypto ×2 → HTTP Request',
	node: '(c) IntellectMoney, sequential',
	nodeK: '(d) IntellectMoney, Parallel Requests K',
};

/** @param {number} ratio @param {boolean} met */
const verdict = (ratio, met) => (Number.isNaN(ratio) ? 'not measured' : met ? 'met' : 'not met');

/** @param {number} value @param {number} digits */
export const fixed = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

/** @param {any} report */
export function toMarkdown(report) {
	const { settings: used, machine, results, profiles } = report;
	const lines = [
		`### Capture throughput (${report.date.slice(0, 10)}, ${machine.cpus}, Node ${machine.node}, n8n-core ${machine.n8nCore})`,
		'',
		"(a) raw undici loop, keep-alive; (a‖) the same, K at once; (h) the same loop through n8n's own HTTP helper (what `this.helpers.httpRequest` runs), no engine; (b) n8n-core WorkflowExecute running Manual Trigger → Crypto (SHA-256 Sign) → Crypto (MD5 Hash) → HTTP Request 4.2, which sends all items at once (its default: no batching); (c) Manual Trigger → IntellectMoney; (d) the same with Parallel Requests K. All capture by Order ID with the same signed form requests; every run is checked at the sandbox (each invoice captured once, every signature valid).",
		'',
		`Medians of ${used.reps} runs; N = ${used.items} items at 0 ms, ${used.latencyItems} at other latencies; K = ${used.parallel}. ms/item = wall time / N; overhead = ms/item − floor's ms/item; CPU = the client process only (the sandbox runs in another). Memory per 1,000 items: peak RSS growth, heap retained after the run with its output still held, and heap left once the output is released. "noisy" = runs spread over 10 %.`,
		'',
		'| latency | variant | N | items/s | ms/item | overhead ms/item | client CPU ms/item | TCP conn./item | peak RSS MB | RSS growth MB/1k | heap retained MB/1k | heap left after release MB/1k | spread |',
		'| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
	];
	for (const [latencyMs, byVariant] of Object.entries(results)) {
		const floor = /** @type {any} */ (byVariant).floor;
		for (const [variant, r] of Object.entries(/** @type {Record<string, any>} */ (byVariant))) {
			const label = LABELS[/** @type {Variant} */ (variant)].replace(' K', ` ${r.parallel}`);
			lines.push(
				`| ${latencyMs} ms | ${label} | ${r.items} | ${fixed(r.itemsPerSecond, 0)} | ${fixed(r.msPerItem, 3)} | ${floor ? fixed(r.msPerItem - floor.msPerItem, 3) : '–'} | ${fixed(r.cpuMsPerItem, 3)} | ${fixed(r.connectionsPerItem, 2)} | ${fixed(r.peakRssMb, 0)} | ${fixed(r.rssGrowthMbPer1k, 2)} | ${fixed(r.retainedHeapMbPer1k, 2)} | ${fixed(r.residualHeapMbPer1k, 3)} | ${fixed(r.spread * 100, 0)} %${r.noisy ? ' noisy' : ''} |`,
			);
		}
	}
	lines.push(
		'',
		'| latency | c/a (ms/item) | h/a: n8n helper alone / floor | c/b (ms/item) | d/c (throughput) | targets |',
		'| ---: | ---: | ---: | ---: | ---: | --- |',
	);
	for (const [latencyMs, byVariant] of Object.entries(results)) {
		const { floor, helper, peer, node, nodeK } = /** @type {Record<string, any>} */ (byVariant);
		const ha = floor && helper ? helper.msPerItem / floor.msPerItem : NaN;
		const ca = floor && node ? node.msPerItem / floor.msPerItem : NaN;
		const cb = peer && node ? node.msPerItem / peer.msPerItem : NaN;
		const dc = node && nodeK ? node.msPerItem / nodeK.msPerItem : NaN;
		const targets = [];
		if (Number(latencyMs) === 0) {
			targets.push(`c ≤ b: ${verdict(cb, cb <= 1)}`, `c/a ≤ 1.5: ${verdict(ca, ca <= 1.5)}`);
		} else {
			targets.push(`d/c ≥ 8: ${verdict(dc, dc >= 8)}`);
		}
		lines.push(
			`| ${latencyMs} ms | ${fixed(ca, 2)} | ${fixed(ha, 2)} | ${fixed(cb, 2)} | ${fixed(dc, 2)} | ${targets.join('; ')} |`,
		);
	}
	for (const [variant, profile] of Object.entries(/** @type {Record<string, any>} */ (profiles))) {
		lines.push(
			'',
			profileMarkdown(
				profile.summary,
				used.items,
				`CPU profile of ${LABELS[/** @type {Variant} */ (variant)]} at 0 ms`,
			),
		);
	}
	return lines.join('\n');
}
