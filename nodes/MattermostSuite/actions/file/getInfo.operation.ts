import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { fileIdFrom } from '../../helpers/files';
import { mattermostApiRequest } from '../../transport';
import { showOnlyFor } from '../common.descriptions';
import { fileIdProperty } from './descriptions';

const properties: INodeProperties[] = [fileIdProperty];

export const description = showOnlyFor(
	{ show: { resource: ['file'], operation: ['getInfo'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const fileId = fileIdFrom(this, this.getNodeParameter('fileId', itemIndex), itemIndex);
	const info = await mattermostApiRequest.call(this, 'GET', `/files/${fileId}/info`, {
		itemIndex,
		subject: `file ${fileId}`,
	});
	return [{ json: info as IDataObject }];
}
