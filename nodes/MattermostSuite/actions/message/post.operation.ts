import { randomUUID } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { assertValidAttachments, attachmentFromUi } from '../../helpers/attachments';
import { jsonObjectListParameter, jsonObjectParameter } from '../../helpers/json';
import { postIdFrom, resolveChannelId } from '../../helpers/resolve';
import { mattermostApiRequest } from '../../transport';
import { channelRLC } from '../common.descriptions';

/** PostMessageMaxRunesV2 of the Mattermost server. */
export const MAX_MESSAGE_RUNES = 16383;

const attachmentUrlField = (displayName: string, name: string, placeholder: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	placeholder,
});

const properties: INodeProperties[] = [
	channelRLC,
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'e.g. Deployment finished :tada:',
		description: 'The text of the post, in Markdown. May be empty when the post has attachments.',
	},
	{
		displayName: 'Attachments',
		name: 'attachments',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Attachment',
		default: {},
		description: 'Slack-compatible message attachments',
		options: [
			{
				displayName: 'Attachment',
				name: 'attachment',
				values: [
					{ displayName: 'Author Icon', name: 'author_icon', type: 'string', default: '', placeholder: 'e.g. https://example.com/avatar.png' },
					attachmentUrlField('Author Link', 'author_link', 'e.g. https://example.com/people/alice'),
					{ displayName: 'Author Name', name: 'author_name', type: 'string', default: '' },
					{
						displayName: 'Color',
						name: 'color',
						type: 'color',
						default: '',
						description: 'Colour of the bar beside the attachment: a hex colour, or (as an expression) good, warning or danger',
					},
					{ displayName: 'Fallback Text', name: 'fallback', type: 'string', default: '', description: 'Plain text shown where attachments cannot be' },
					{
						displayName: 'Fields',
						name: 'fields',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true },
						placeholder: 'Add Field',
						default: {},
						options: [
							{
								displayName: 'Field',
								name: 'field',
								values: [
									{ displayName: 'Title', name: 'title', type: 'string', default: '' },
									{ displayName: 'Value', name: 'value', type: 'string', default: '' },
									{
										displayName: 'Short',
										name: 'short',
										type: 'boolean',
										default: false,
										description: 'Whether the field is shown side by side with the next short field',
									},
								],
							},
						],
					},
					{ displayName: 'Footer', name: 'footer', type: 'string', default: '' },
					attachmentUrlField('Footer Icon', 'footer_icon', 'e.g. https://example.com/icon.png'),
					attachmentUrlField('Image URL', 'image_url', 'e.g. https://example.com/chart.png'),
					{ displayName: 'Pretext', name: 'pretext', type: 'string', default: '', description: 'Text shown above the attachment' },
					{ displayName: 'Text', name: 'text', type: 'string', typeOptions: { rows: 2 }, default: '' },
					attachmentUrlField('Thumb URL', 'thumb_url', 'e.g. https://example.com/thumb.png'),
					{ displayName: 'Title', name: 'title', type: 'string', default: '' },
					attachmentUrlField('Title Link', 'title_link', 'e.g. https://example.com/report'),
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Attachments (JSON)',
				name: 'attachmentsJson',
				type: 'json',
				default: '[]',
				description: 'Slack-compatible attachments as JSON (a list, or one object), added after the ones built above',
			},
			{
				displayName: 'Properties (JSON)',
				name: 'props',
				type: 'json',
				default: '{}',
				description: 'Extra post properties (props) as a JSON object, e.g. {"card": "Details shown in the RHS"}',
			},
			{
				displayName: 'Reply To Post',
				name: 'rootId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 4xp9fdt77pncbef59f4k1qe83o',
				description: 'ID or permalink of a post: the message is posted as a reply in its thread',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['post'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const message = this.getNodeParameter('message', itemIndex, '') as string;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	if ([...message].length > MAX_MESSAGE_RUNES) {
		throw new NodeOperationError(
			this.getNode(),
			`Message is ${[...message].length} characters long; Mattermost accepts at most ${MAX_MESSAGE_RUNES}`,
			{ description: 'Shorten the message, split it over several posts, or send the text as a file.', itemIndex },
		);
	}

	const attachmentsUi = (this.getNodeParameter('attachments.attachment', itemIndex, []) as IDataObject[]).map(
		attachmentFromUi,
	);
	const attachments = [
		...attachmentsUi,
		...jsonObjectListParameter(this, options.attachmentsJson, 'Attachments (JSON)', itemIndex, '{"text": "Build passed", "color": "good"}'),
	];
	assertValidAttachments(this, attachments, itemIndex);
	const props = jsonObjectParameter(this, options.props, 'Properties (JSON)', itemIndex, '{"card": "More details"}') ?? {};
	if (attachments.length > 0) props.attachments = attachments;

	if (message.trim() === '' && attachments.length === 0) {
		throw new NodeOperationError(this.getNode(), 'Message is empty and the post has no attachments', {
			description: 'Write a message, or add at least one attachment.',
			itemIndex,
		});
	}

	const channelId = await resolveChannelId(this, itemIndex);
	const body: IDataObject = {
		channel_id: channelId,
		message,
		// The server deduplicates creates that share this id, so a retried request posts once.
		pending_post_id: randomUUID(),
	};
	if (options.rootId) body.root_id = postIdFrom(this, options.rootId, itemIndex, 'Reply To Post');
	if (Object.keys(props).length > 0) body.props = props;

	const post = await mattermostApiRequest.call(this, 'POST', '/posts', {
		body,
		itemIndex,
		subject: body.root_id ? `channel ${channelId} or post ${String(body.root_id)}` : `channel ${channelId}`,
	});
	return [{ json: post as IDataObject }];
}
