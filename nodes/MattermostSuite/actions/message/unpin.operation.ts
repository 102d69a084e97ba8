import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { postRLC, showOnlyFor } from '../common.descriptions';
import { setPinned } from './pin.operation';

const properties: INodeProperties[] = [{ ...postRLC, description: 'The post to unpin' }];

export const description = showOnlyFor(
	{ show: { resource: ['message'], operation: ['unpin'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	return await setPinned(this, itemIndex, false);
}
