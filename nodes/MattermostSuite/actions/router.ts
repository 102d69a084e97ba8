import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

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

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const returnData: INodeExecutionData[] = [];

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const resource = this.getNodeParameter('resource', itemIndex) as string;
		const operation = this.getNodeParameter('operation', itemIndex) as string;
		const operationModule = resources[resource]?.[operation];
		try {
			if (!operationModule) {
				throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`, {
					itemIndex,
				});
			}
			const results = await operationModule.execute.call(this, itemIndex);
			for (const result of results) returnData.push({ ...result, pairedItem: { item: itemIndex } });
		} catch (error) {
			if (error.context) error.context.itemIndex = itemIndex;
			// Both constructors hand back an error of their own class unchanged.
			const nodeError =
				error instanceof NodeApiError
					? new NodeApiError(this.getNode(), error as unknown as JsonObject)
					: new NodeOperationError(this.getNode(), error, { itemIndex });
			if (this.continueOnFail()) {
				returnData.push({ json: errorItemJson(this.getNode(), nodeError, itemIndex), pairedItem: { item: itemIndex } });
				continue;
			}
			throw nodeError;
		}
	}
	return [returnData];
}
