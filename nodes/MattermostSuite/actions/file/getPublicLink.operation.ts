import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { fileIdFrom } from '../../helpers/files';
import { adviseOn, mattermostApiRequest } from '../../transport';
import { showOnlyFor } from '../common.descriptions';
import { fileIdProperty } from './descriptions';

const properties: INodeProperties[] = [fileIdProperty];

export const description = showOnlyFor(
	{ show: { resource: ['file'], operation: ['getPublicLink'] } },
	properties,
);

const ENABLE_PUBLIC_LINKS =
	'Ask a Mattermost admin to enable FileSettings.EnablePublicLink (System Console > Site Configuration > Public Links > Enable Public File Links).';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const fileId = fileIdFrom(this, this.getNodeParameter('fileId', itemIndex), itemIndex);
	try {
		const response = (await mattermostApiRequest.call(this, 'GET', `/files/${fileId}/link`, {
			itemIndex,
			subject: `file ${fileId}`,
		})) as IDataObject;
		return [{ json: { id: fileId, link: response.link } }];
	} catch (error) {
		if (!(error instanceof NodeApiError)) throw new NodeOperationError(this.getNode(), error, { itemIndex });
		let advice: string | undefined;
		if (error.httpCode === '501' || (error.httpCode === '403' && /public link/i.test(error.message))) {
			advice = `Public file links are disabled on this server. ${ENABLE_PUBLIC_LINKS}`;
		} else if (error.httpCode === '403') {
			advice = `The token's user may not read this file, or public file links are disabled on this server. ${ENABLE_PUBLIC_LINKS} Otherwise use a token of a member of the file's channel.`;
		} else if (error.httpCode === '400') {
			advice = "Mattermost gives public links only for files attached to a post. Post the file in a message first (its ID in the post's file_ids), then ask for the link.";
		}
		if (advice) adviseOn(error, advice);
		// Hands back the same error, with the advice above.
		throw new NodeApiError(this.getNode(), error as unknown as JsonObject);
	}
}
