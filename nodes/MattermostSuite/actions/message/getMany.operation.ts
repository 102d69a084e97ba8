import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { postIdFrom, resolveChannelId } from '../../helpers/resolve';
import { simplifyPost } from '../../helpers/simplify';
import { mattermostApiRequestChannelPosts, type PostCursor } from '../../transport';
import { channelRLC, limitOf, returnAllOrLimit, showOnlyFor, simplifyProperty } from '../common.descriptions';

const properties: INodeProperties[] = [
	{ ...channelRLC, description: 'The channel to read posts from' },
	...returnAllOrLimit(),
	simplifyProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'After Post',
				name: 'after',
				type: 'string',
				default: '',
				placeholder: 'e.g. 4xp9fdt77pncbef59f4k1qe83o',
				description: 'ID or permalink of a post of the channel: only posts created after it are returned',
			},
			{
				displayName: 'Before Post',
				name: 'before',
				type: 'string',
				default: '',
				placeholder: 'e.g. 4xp9fdt77pncbef59f4k1qe83o',
				description: 'ID or permalink of a post of the channel: only posts created before it are returned',
			},
			{
				displayName: 'Order',
				name: 'order',
				type: 'options',
				options: [
					{ name: 'Newest First', value: 'newestFirst' },
					{ name: 'Oldest First', value: 'oldestFirst' },
				],
				default: 'newestFirst',
				description: 'Order of the output items. The posts picked are the same either way.',
			},
			{
				displayName: 'Since',
				name: 'since',
				type: 'dateTime',
				default: '',
				description:
					'Only posts created, edited or deleted after this time; deleted ones carry deleted_at (delete_at without Simplify). Mattermost answers at most 1000 posts for this.',
			},
		],
	},
];

export const description = showOnlyFor(
	{ show: { resource: ['message'], operation: ['getMany'] } },
	properties,
);

function sinceMillis(ctx: IExecuteFunctions, value: unknown, itemIndex: number): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const millis = typeof value === 'number' ? value : new Date(String(value)).getTime();
	if (!Number.isFinite(millis) || millis < 0) {
		throw new NodeOperationError(ctx.getNode(), `Since "${String(value)}" is not a date and time`, {
			description: 'Pick a date, or give an ISO date such as 2025-01-31T08:00:00Z.',
			itemIndex,
		});
	}
	// The server reads 0 as "no since"; 1 ms is the earliest time it accepts as one.
	return Math.max(1, Math.floor(millis));
}

/** A simplified post; one that Since found deleted says when it was deleted. */
function simplified(post: IDataObject): IDataObject {
	const result = simplifyPost(post);
	const deletedAt = Number(post.delete_at ?? 0);
	if (deletedAt > 0) result.deleted_at = new Date(deletedAt).toISOString();
	return result;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const limit = limitOf(this, itemIndex);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const cursor: PostCursor = {};
	if (options.after) cursor.after = postIdFrom(this, options.after, itemIndex, 'After Post');
	if (options.before) cursor.before = postIdFrom(this, options.before, itemIndex, 'Before Post');
	cursor.since = sinceMillis(this, options.since, itemIndex);
	const given = [cursor.since !== undefined && 'Since', cursor.after && 'After Post', cursor.before && 'Before Post'].filter(
		(name): name is string => typeof name === 'string',
	);
	if (given.length > 1) {
		throw new NodeOperationError(this.getNode(), `${given.join(' and ')} cannot be combined`, {
			description: 'Mattermost reads posts from one starting point at a time: keep one of Since, After Post and Before Post.',
			itemIndex,
		});
	}

	const channelId = await resolveChannelId(this, itemIndex);
	const posts = await mattermostApiRequestChannelPosts.call(this, channelId, cursor, {
		limit,
		itemIndex,
		subject: `channel ${channelId}`,
	});
	if (options.order === 'oldestFirst') posts.reverse();
	return posts.map((post) => ({ json: simplify ? simplified(post) : post }));
}
