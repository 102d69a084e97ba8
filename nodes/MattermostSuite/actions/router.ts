import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import * as channel from './channel';
import * as file from './file';
import * as message from './message';
import * as reaction from './reaction';
import * as team from './team';
import * as user from './user';

type OperationModule = {
	execute: (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]>;
};

const resources: Record<string, Record<string, OperationModule>> = {
	channel: channel.operations,
	file: file.operations,
	message: message.operations,
	reaction: reaction.operations,
	team: team.operations,
	user: user.operations,
};

/**
 * "Continue (using error output)": n8n (1.x and 2.x) moves an item to the error output only when
 * its JSON holds nothing but `error` (an `error` field on the item itself would do too, but then
 * n8n cuts the JSON down to the message), so the details go inside `error` there.
 */
function errorItemJson(node: INode, error: NodeApiError | NodeOperationError, itemIndex: number): IDataObject {
	const description = error.description ?? undefined;
	if (node.onError === 'continueErrorOutput') return { error: { message: error.message, description, itemIndex } };
	return { error: error.message, description, itemIndex };
}

/** Request Options > Batching, read once per run as n8n's HTTP Request node does. */
function batchingOf(ctx: IExecuteFunctions): { size: number; intervalMs: number } {
	const batch = ctx.getNodeParameter('requestOptions.batching.batch', 0, {}) as IDataObject;
	const size = Math.floor(Number(batch.batchSize ?? 1));
	const intervalMs = Number(batch.batchInterval ?? 0);
	return {
		size: Number.isFinite(size) && size >= 1 ? size : 1,
		intervalMs: Number.isFinite(intervalMs) && intervalMs > 0 ? intervalMs : 0,
	};
}

type ItemOutcome = { results: INodeExecutionData[] } | { error: NodeApiError | NodeOperationError };

async function runItem(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutcome> {
	const resource = this.getNodeParameter('resource', itemIndex) as string;
	const operation = this.getNodeParameter('operation', itemIndex) as string;
	const operationModule = resources[resource]?.[operation];
	try {
		if (!operationModule) {
			throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`, {
				itemIndex,
			});
		}
		return { results: await operationModule.execute.call(this, itemIndex) };
	} catch (error) {
		if (error.context) error.context.itemIndex = itemIndex;
		// Both constructors hand back an error of their own class unchanged.
		const nodeError =
			error instanceof NodeApiError
				? new NodeApiError(this.getNode(), error as unknown as JsonObject)
				: new NodeOperationError(this.getNode(), error, { itemIndex });
		return { error: nodeError };
	}
}

/**
 * Runs the items in Items per Batch lanes side by side (1 by default: one after the other), each
 * lane pausing Batch Interval between its items. The output keeps the input's order whatever order
 * the answers come in. Without continueOnFail a failed item stops the lanes from starting more
 * items; those already under way finish, and the run fails with the first failed item.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const { size, intervalMs } = batchingOf(this);
	const continueOnFail = this.continueOnFail();
	const outcomes: ItemOutcome[] = [];
	let nextIndex = 0;
	let stopped = false;
	const lane = async () => {
		for (let first = true; !stopped && nextIndex < items.length; first = false) {
			if (!first && intervalMs > 0) await sleep(intervalMs);
			if (stopped || nextIndex >= items.length) return;
			const itemIndex = nextIndex++;
			const outcome = await runItem.call(this, itemIndex);
			outcomes[itemIndex] = outcome;
			if ('error' in outcome && !continueOnFail) stopped = true;
		}
	};
	await Promise.all(Array.from({ length: Math.min(size, items.length) }, lane));

	const returnData: INodeExecutionData[] = [];
	for (const [itemIndex, outcome] of outcomes.entries()) {
		if ('error' in outcome) {
			if (!continueOnFail) throw outcome.error;
			returnData.push({ json: errorItemJson(this.getNode(), outcome.error, itemIndex), pairedItem: { item: itemIndex } });
			continue;
		}
		for (const result of outcome.results) returnData.push({ ...result, pairedItem: { item: itemIndex } });
	}
	return [returnData];
}
