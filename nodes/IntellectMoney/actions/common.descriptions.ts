import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** "Include Raw Response": adds IntellectMoney's whole answer to the output item as `raw`. */
export const includeRawOption: INodeProperties = {
	displayName: 'Include Raw Response',
	name: 'includeRaw',
	type: 'boolean',
	default: false,
	description: "Whether to add IntellectMoney's whole answer to the output item as `raw`",
};

/** "Timeout": how long to wait for IntellectMoney's answer to each request. */
export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeoutSeconds',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 300 },
	default: 30,
	description:
		'How long to wait for IntellectMoney to answer each request. A request left unanswered may still have been carried out: the node then checks the state before it reports or repeats anything.',
};

/** The request settings from an operation's options; a timeout outside 1–300 s is refused. */
export function requestSettings(
	node: IExecuteFunctions,
	itemIndex: number,
	options: { timeoutSeconds?: unknown },
): { timeoutMs?: number } {
	const seconds = options.timeoutSeconds;
	if (seconds === undefined || seconds === null || seconds === '') return {};
	if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 1 || seconds > 300) {
		throw new NodeOperationError(
			node.getNode(),
			'Timeout (Seconds) must be a number from 1 to 300',
			{
				itemIndex,
				description:
					'Set Options → Timeout (Seconds) to how long to wait for IntellectMoney, e.g. 30.',
			},
		);
	}
	return { timeoutMs: seconds * 1000 };
}
