import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { mattermostApiRequest } from '../../transport';
import { showOnlyFor, userRLC } from '../common.descriptions';
import { fetchActiveUser } from '../user/shared';
import { currentUserId } from './currentUser';
import { postContentProperties, preparePost, sendPreparedPost } from './postContent';

const properties: INodeProperties[] = [
	{ ...userRLC, description: 'The user to send the message to, in a direct message channel with the credential\'s user' },
	...postContentProperties,
];

export const description = showOnlyFor(
	{ show: { resource: ['message'], operation: ['sendDirectMessage'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const prepared = preparePost(this, itemIndex);
	const channelId = await directChannelId(this, itemIndex);
	return [{ json: await sendPreparedPost(this, itemIndex, prepared, channelId) }];
}

/** The direct message channel between the credential's user and the user of the User locator. */
export async function directChannelId(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	const recipient = await fetchActiveUser(
		ctx,
		itemIndex,
		'userId',
		'Mattermost would store the message, but a deactivated user cannot read it.',
	);
	const userId = recipient.id as string;
	const me = await currentUserId(ctx, itemIndex);
	// Creating a direct channel that exists already returns it unchanged.
	const channel = (await mattermostApiRequest.call(ctx, 'POST', '/channels/direct', {
		body: [me, userId],
		itemIndex,
		subject: `user ${userId}`,
	})) as IDataObject;
	return channel.id as string;
}
