import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { resolveChannelId } from '../../helpers/resolve';
import { channelRLC, showOnlyFor } from '../common.descriptions';
import { postContentProperties, preparePost, sendPreparedPost } from './postContent';

const properties: INodeProperties[] = [channelRLC, ...postContentProperties];

export const description = showOnlyFor(
	{ show: { resource: ['message'], operation: ['post'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const prepared = preparePost(this, itemIndex);
	const channelId = await resolveChannelId(this, itemIndex);
	return [{ json: await sendPreparedPost(this, itemIndex, prepared, channelId) }];
}
