import { randomUUID } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertValidAttachments, attachmentFromUi, isHttpUrl } from '../../helpers/attachments';
import { binaryPropertyNamesFrom, uploadBinaryFiles } from '../../helpers/files';
import { jsonObjectListParameter, jsonObjectParameter } from '../../helpers/json';
import { postIdFrom } from '../../helpers/resolve';
import { mattermostApiRequest } from '../../transport';
import { EXAMPLE_ID, MATTERMOST_ID_PATTERN } from '../common.descriptions';
import {
	DEFAULT_LOOK_BACK_HOURS,
	IDEMPOTENCY_PROP,
	type Idempotency,
	idempotencyOf,
	MAX_IDEMPOTENCY_KEY_LENGTH,
	MAX_LOOK_BACK_HOURS,
	postOnce,
} from './idempotency';

/**
 * What Post, Send Direct Message and Send Group Message share: the fields that make up a post,
 * their checks (all made before any request), the file uploads and the create request.
 */

/** PostMessageMaxRunesV2 of the Mattermost server. */
export const MAX_MESSAGE_RUNES = 16383;

/** The server keeps at most 300 characters of file_ids JSON: 10 files per post. */
export const MAX_FILES_PER_POST = 10;

const attachmentUrlField = (displayName: string, name: string, placeholder: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	placeholder,
});

export const messageProperty: INodeProperties = {
	displayName: 'Message',
	name: 'message',
	type: 'string',
	typeOptions: { rows: 4 },
	default: '',
	placeholder: 'e.g. Deployment finished :tada:',
	description: 'The text of the post, in Markdown. May be empty when the post has attachments or files.',
};

const buttonsProperty: INodeProperties = {
	displayName: 'Buttons',
	name: 'buttons',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Button',
	default: {},
	description:
		'Message buttons. A click is sent to a Mattermost Suite Trigger (Source: Interactive Action), which can update the message.',
	options: [
		{
			displayName: 'Button',
			name: 'button',
			values: [
				{
					displayName: 'Context (JSON)',
					name: 'context',
					type: 'json',
					default: '{}',
					description:
						'A JSON object sent back with each click, such as a build number. Mattermost hides it from users. The button ID is added to it as action.',
				},
				{
					displayName: 'ID',
					name: 'id',
					type: 'string',
					default: '',
					placeholder: 'e.g. approve',
					description: 'Letters and digits only (Mattermost never fires other IDs). The trigger receives it as context.action. Leave empty to use the letters and digits of the label.',
				},
				{
					displayName: 'Label',
					name: 'name',
					type: 'string',
					default: '',
					required: true,
					placeholder: 'e.g. Approve',
				},
				{
					displayName: 'Send Clicks To',
					name: 'target',
					type: 'options',
					options: [
						{
							name: 'Mattermost Suite Trigger in This Workflow',
							value: 'trigger',
							description: 'The production URL and secret of the Interactive Action trigger, derived by the node from the workflow',
						},
						{
							name: 'URL',
							value: 'url',
							description: 'Any URL, e.g. the Production URL of a trigger in another workflow',
						},
					],
					default: 'trigger',
				},
				{
					displayName: 'Style',
					name: 'style',
					type: 'options',
					options: [
						{
							name: 'Danger',
							value: 'danger',
						},
						{
							name: 'Default',
							value: 'default',
						},
						{
							name: 'Good',
							value: 'good',
						},
						{
							name: 'Primary',
							value: 'primary',
						},
						{
							name: 'Success',
							value: 'success',
						},
						{
							name: 'Warning',
							value: 'warning',
						},
						],
					default: 'default',
				},
				{
					displayName: 'Trigger Node Name',
					name: 'triggerNode',
					type: 'string',
					default: '',
					placeholder: 'e.g. Mattermost Suite Trigger',
					description: 'The name of the Mattermost Suite Trigger (Source: Interactive Action, with a Secret) in this workflow. Empty means Mattermost Suite Trigger. Clicks are answered while the workflow is published.',
				},
				{
					displayName: 'URL',
					name: 'url',
					type: 'string',
					default: '',
					placeholder: 'e.g. https://n8n.example.com/webhook/0f4c8a52-1b7e-4c11-9a53-6b1d2e3f4a5b/webhook',
					description: 'Where Mattermost sends the click (POST, JSON)',
				},
			],
		},
	],
};

const attachmentsProperty: INodeProperties = {
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
				buttonsProperty,
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
};

export const binaryPropertiesOption: INodeProperties = {
	displayName: 'Binary Properties',
	name: 'binaryPropertyNames',
	type: 'string',
	default: '',
	placeholder: 'e.g. data, report',
	description:
		'Names of the input item\'s binary properties to upload and attach, separated by commas (at most 10 files per post)',
};

export const fileIdsOption: INodeProperties = {
	displayName: 'File IDs',
	name: 'fileIds',
	type: 'string',
	default: '',
	placeholder: 'e.g. 4xp9fdt77pncbef59f4k1qe83o, 9bx3fdt77pncbef59f4k1qe12a',
	description:
		'IDs of files already uploaded by the same user and not attached to any post yet (e.g. from File > Upload), separated by commas',
};

const postOptions: INodeProperties = {
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
		binaryPropertiesOption,
		fileIdsOption,
		{
			displayName: 'Idempotency Key',
			name: 'idempotencyKey',
			type: 'string',
			default: '',
			placeholder: 'e.g. {{ $json.orderNumber }}',
			description: `A key of each item's own (at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters), stored in the post's props.${IDEMPOTENCY_PROP}. When the channel already holds a post with this key from within the Look-Back Window, that post is returned with reused: true instead of posting again, so a re-run after a crash posts nothing twice. Costs one read of the channel's recent posts per run.`,
		},
		{
			displayName: 'Look-Back Window (Hours)',
			name: 'lookBackHours',
			type: 'number',
			typeOptions: { minValue: 0.1, maxValue: MAX_LOOK_BACK_HOURS, numberPrecision: 1 },
			default: DEFAULT_LOOK_BACK_HOURS,
			description: 'How far back Idempotency Key looks for a post with the same key',
		},
		{
			displayName: 'Override Icon URL',
			name: 'overrideIconUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/robot.png',
			description:
				'Picture shown instead of the poster\'s (props.override_icon_url). Mattermost applies it only when the System Console setting "Enable integrations to override profile picture icons" (EnablePostIconOverride) is on.',
		},
		{
			displayName: 'Override Username',
			name: 'overrideUsername',
			type: 'string',
			default: '',
			placeholder: 'e.g. Build Bot',
			description:
				'Name shown instead of the poster\'s (props.override_username). Mattermost applies it only when the System Console setting "Enable integrations to override usernames" (EnablePostUsernameOverride) is on.',
		},
		{
			displayName: 'Persistent Notifications',
			name: 'persistentNotifications',
			type: 'boolean',
			default: false,
			description:
				'Whether mentioned recipients are notified again and again until they react. Needs Priority Urgent and a Mattermost Professional or Enterprise licence.',
		},
		{
			displayName: 'Priority',
			name: 'priority',
			type: 'options',
			options: [
				{ name: 'None', value: 'none' },
				{ name: 'Important', value: 'important' },
				{ name: 'Urgent', value: 'urgent' },
			],
			default: 'none',
			description: 'Priority label of the message. Only root posts can have one, so not together with Reply To Post.',
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
		{
			displayName: 'Request Acknowledgement',
			name: 'requestedAck',
			type: 'boolean',
			default: false,
			description:
				'Whether recipients are asked to acknowledge the message. Needs a Mattermost Professional or Enterprise licence.',
		},
	],
};

/** Message, Attachments and Options, as Post, Send Direct Message and Send Group Message show them. */
export const postContentProperties: INodeProperties[] = [messageProperty, attachmentsProperty, postOptions];

/** Entries of a comma-separated text, or of a list an expression returned; blanks dropped. */
export function listParameter(value: unknown): string[] {
	return binaryPropertyNamesFrom(value);
}

/** File IDs given as text or a list, each checked; duplicates dropped. */
export function fileIdsParameter(ctx: IExecuteFunctions, value: unknown, itemIndex: number): string[] {
	const pattern = new RegExp(MATTERMOST_ID_PATTERN);
	const ids = listParameter(value);
	for (const id of ids) {
		if (!pattern.test(id)) {
			throw new NodeOperationError(ctx.getNode(), `File ID "${id}" is not a Mattermost ID`, {
				description: `A Mattermost file ID is 26 lowercase letters and digits, e.g. ${EXAMPLE_ID}. Take it from the "id" of an uploaded file.`,
				itemIndex,
			});
		}
	}
	return [...new Set(ids)];
}

/**
 * Checks that every named binary property exists on the item, before anything is uploaded.
 * Returns the names without duplicates.
 */
export function assertBinaryProperties(ctx: IExecuteFunctions, names: string[], itemIndex: number): string[] {
	const unique = [...new Set(names)];
	const item = ctx.getInputData()[itemIndex];
	const available = Object.keys(item?.binary ?? {});
	for (const name of unique) {
		if (!available.includes(name)) {
			throw new NodeOperationError(ctx.getNode(), `The input item has no binary property "${name}"`, {
				description: available.length
					? `Binary properties of this item: ${available.join(', ')}. Fix the name in "Binary Properties".`
					: 'This item carries no binary data. Add a node before this one that reads or downloads the file, or clear "Binary Properties".',
				itemIndex,
			});
		}
	}
	return unique;
}

export function assertFileCount(ctx: IExecuteFunctions, count: number, itemIndex: number): void {
	if (count > MAX_FILES_PER_POST) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${count} files are too many for one post; Mattermost attaches at most ${MAX_FILES_PER_POST}`,
			{ description: 'Spread the files over several posts, e.g. by sending one item per group of 10 files.', itemIndex },
		);
	}
}

export function assertMessageLength(ctx: IExecuteFunctions, message: string, itemIndex: number): void {
	const runes = [...message].length;
	if (runes > MAX_MESSAGE_RUNES) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Message is ${runes} characters long; Mattermost accepts at most ${MAX_MESSAGE_RUNES}`,
			{ description: 'Shorten the message, split it over several posts, or send the text as a file.', itemIndex },
		);
	}
}

/** A post ready to be sent anywhere: every parameter read and checked, nothing requested yet. */
export interface PreparedPost {
	/** The create body without channel_id and file_ids. */
	body: IDataObject;
	binaryPropertyNames: string[];
	fileIds: string[];
	/** Set when the post is made at most once per Idempotency Key. */
	idempotency?: Idempotency;
}

/** Reads and checks the post fields of an item; throws before any request on anything wrong. */
export function preparePost(ctx: IExecuteFunctions, itemIndex: number): PreparedPost {
	const message = ctx.getNodeParameter('message', itemIndex, '') as string;
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;

	assertMessageLength(ctx, message, itemIndex);

	const attachmentsUi = (ctx.getNodeParameter('attachments.attachment', itemIndex, []) as IDataObject[]).map(
		(entry, position) => attachmentFromUi(ctx, entry, position, itemIndex),
	);
	const attachments = [
		...attachmentsUi,
		...jsonObjectListParameter(ctx, options.attachmentsJson, 'Attachments (JSON)', itemIndex, '{"text": "Build passed", "color": "good"}'),
	];
	assertValidAttachments(ctx, attachments, itemIndex);
	const props = jsonObjectParameter(ctx, options.props, 'Properties (JSON)', itemIndex, '{"card": "More details"}') ?? {};
	if (attachments.length > 0) props.attachments = attachments;

	const overrideUsername = typeof options.overrideUsername === 'string' ? options.overrideUsername.trim() : '';
	if (overrideUsername) props.override_username = overrideUsername;
	const overrideIconUrl = typeof options.overrideIconUrl === 'string' ? options.overrideIconUrl.trim() : '';
	if (overrideIconUrl) {
		if (!isHttpUrl(overrideIconUrl)) {
			throw new NodeOperationError(ctx.getNode(), `Override Icon URL "${overrideIconUrl}" is not an http(s) URL`, {
				description: 'Give the full address of a picture, e.g. https://example.com/robot.png.',
				itemIndex,
			});
		}
		props.override_icon_url = overrideIconUrl;
	}

	const idempotency = idempotencyOf(ctx, options, itemIndex);
	if (idempotency) props[IDEMPOTENCY_PROP] = idempotency.key;

	const binaryPropertyNames = assertBinaryProperties(ctx, listParameter(options.binaryPropertyNames), itemIndex);
	const fileIds = fileIdsParameter(ctx, options.fileIds, itemIndex);
	assertFileCount(ctx, binaryPropertyNames.length + fileIds.length, itemIndex);

	if (message.trim() === '' && attachments.length === 0 && binaryPropertyNames.length + fileIds.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'Message is empty and the post has no attachments or files', {
			description: 'Write a message, or add at least one attachment or file.',
			itemIndex,
		});
	}

	const body: IDataObject = {
		message,
		// The server deduplicates creates that share this id, so a retried request posts once.
		pending_post_id: randomUUID(),
	};
	if (options.rootId) body.root_id = postIdFrom(ctx, options.rootId, itemIndex, 'Reply To Post');
	if (Object.keys(props).length > 0) body.props = props;

	const priority = priorityOf(ctx, options, itemIndex);
	if (priority) {
		if (body.root_id) {
			throw new NodeOperationError(ctx.getNode(), 'A reply cannot have a priority', {
				description:
					'Mattermost allows Priority, Request Acknowledgement and Persistent Notifications on root posts only. Remove them, or clear Reply To Post.',
				itemIndex,
			});
		}
		body.metadata = { priority };
	}
	return { body, binaryPropertyNames, fileIds, idempotency };
}

function priorityOf(ctx: IExecuteFunctions, options: IDataObject, itemIndex: number): IDataObject | undefined {
	const label = options.priority === undefined || options.priority === 'none' ? '' : String(options.priority);
	if (!['', 'important', 'urgent'].includes(label)) {
		throw new NodeOperationError(ctx.getNode(), `Priority "${label}" is not a Mattermost priority`, {
			description: 'Use none, important or urgent.',
			itemIndex,
		});
	}
	const requestedAck = options.requestedAck === true;
	const persistent = options.persistentNotifications === true;
	if (persistent && label !== 'urgent') {
		throw new NodeOperationError(ctx.getNode(), 'Persistent Notifications need Priority Urgent', {
			description: 'Set Priority to Urgent, or turn Persistent Notifications off.',
			itemIndex,
		});
	}
	if (!label && !requestedAck && !persistent) return undefined;
	const priority: IDataObject = { priority: label };
	if (requestedAck) priority.requested_ack = true;
	if (persistent) priority.persistent_notifications = true;
	return priority;
}

/**
 * Uploads the prepared post's binary files to the channel and creates the post there; with an
 * Idempotency Key, returns the channel's post with that key instead when there is one.
 */
export async function sendPreparedPost(
	ctx: IExecuteFunctions,
	itemIndex: number,
	prepared: PreparedPost,
	channelId: string,
): Promise<IDataObject> {
	if (!prepared.idempotency) return await createPreparedPost(ctx, itemIndex, prepared, channelId);
	const { post, reused } = await postOnce(ctx, itemIndex, channelId, prepared.idempotency, async () =>
		await createPreparedPost(ctx, itemIndex, prepared, channelId),
	);
	return { ...post, reused };
}

async function createPreparedPost(
	ctx: IExecuteFunctions,
	itemIndex: number,
	prepared: PreparedPost,
	channelId: string,
): Promise<IDataObject> {
	const body: IDataObject = { channel_id: channelId, ...prepared.body };
	const fileIds = [...prepared.fileIds];
	if (prepared.binaryPropertyNames.length > 0) {
		const uploaded = await uploadBinaryFiles(ctx, itemIndex, channelId, prepared.binaryPropertyNames);
		fileIds.push(...uploaded.map((file) => file.id as string));
	}
	if (fileIds.length > 0) body.file_ids = fileIds;
	return (await mattermostApiRequest.call(ctx, 'POST', '/posts', {
		body,
		itemIndex,
		subject: body.root_id ? `channel ${channelId} or post ${String(body.root_id)}` : `channel ${channelId}`,
	})) as IDataObject;
}
