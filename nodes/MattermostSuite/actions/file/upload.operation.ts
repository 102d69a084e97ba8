import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { binaryPropertyNamesFrom, uploadBinaryFiles } from '../../helpers/files';
import { resolveChannelId } from '../../helpers/resolve';
import { channelRLC, showOnlyFor } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		...channelRLC,
		description: 'The channel the files are uploaded for. The token\'s user must be a member of it.',
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		placeholder: 'e.g. data',
		hint: 'The name of the input binary field holding the file. Separate several names with commas to upload several files at once.',
		description: 'Binary field(s) of the input item to upload, e.g. "data" or "data, report"',
	},
];

export const description = showOnlyFor(
	{ show: { resource: ['file'], operation: ['upload'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const names = binaryPropertyNamesFrom(this.getNodeParameter('binaryPropertyName', itemIndex, 'data'));
	const channelId = await resolveChannelId(this, itemIndex);
	const infos = await uploadBinaryFiles(this, itemIndex, channelId, names);
	return infos.map((info) => ({ json: info }));
}
