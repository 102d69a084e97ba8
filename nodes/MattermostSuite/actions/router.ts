import type { IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
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
			if (this.continueOnFail()) {
				returnData.push({
					json: { error: error.message, description: error.description ?? undefined, itemIndex },
					pairedItem: { item: itemIndex },
				});
				continue;
			}
			if (error.context) error.context.itemIndex = itemIndex;
			// Both constructors hand back an error of their own class unchanged.
			throw error instanceof NodeApiError
				? new NodeApiError(this.getNode(), error as unknown as JsonObject)
				: new NodeOperationError(this.getNode(), error, { itemIndex });
		}
	}
	return [returnData];
}
