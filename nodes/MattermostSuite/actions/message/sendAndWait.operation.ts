import { randomUUID } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, SEND_AND_WAIT_OPERATION, WAIT_INDEFINITELY } from 'n8n-workflow';

import { isMattermostId, postIdFrom, resolveChannelId, userById, userByUsername } from '../../helpers/resolve';
import { isNotFound, mattermostApiRequest } from '../../transport';
import { channelRLC, showOnlyFor, userRLC } from '../common.descriptions';
import { assertMessageLength, listParameter } from './postContent';
import { dialogFields, dialogTitle, type FormField } from './sendAndWaitForm';
import { directChannelId } from './sendDirectMessage.operation';

/**
 * Message > Send and Wait for Response: posts a question with interactive buttons, puts the
 * execution to wait, and resumes it from the node's webhook (sendAndWaitWebhook.ts) when someone
 * answers in Mattermost. Everything the webhook needs travels in the buttons' hidden context and
 * in the signed resume URL, so a restarted n8n or a queue-mode webhook process can take the answer.
 */

/** Action ids (letters and digits only, or Mattermost never fires them). */
export const APPROVE_ACTION = 'approve';
export const DECLINE_ACTION = 'decline';
export const RESPOND_ACTION = 'respond';

/** The post prop that records the answer; a post carrying it takes no second one. */
export const ANSWER_PROP = 'mattermost_suite_answer';

const BUTTON_STYLES = [
	{ name: 'Danger', value: 'danger' },
	{ name: 'Default', value: 'default' },
	{ name: 'Good', value: 'good' },
	{ name: 'Primary', value: 'primary' },
	{ name: 'Success', value: 'success' },
	{ name: 'Warning', value: 'warning' },
];

const properties: INodeProperties[] = [
	{
		displayName: 'Send To',
		name: 'sendTo',
		type: 'options',
		options: [
			{ name: 'Channel', value: 'channel' },
			{ name: 'User', value: 'user', description: 'In a direct message channel with the credential\'s user' },
		],
		default: 'channel',
	},
	{ ...channelRLC, displayOptions: { show: { sendTo: ['channel'] } } },
	{
		...userRLC,
		description: 'The user to ask, in a direct message channel with the credential\'s user',
		displayOptions: { show: { sendTo: ['user'] } },
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. Deploy build 42 to production?',
		description: 'The question, in Markdown. The buttons to answer it are added below.',
	},
	{
		displayName: 'Response Type',
		name: 'responseType',
		type: 'options',
		default: 'approval',
		options: [
			{ name: 'Approval', value: 'approval', description: 'Approve (and Decline) buttons in the message' },
			{ name: 'Free Text', value: 'freeText', description: 'A button that opens a Mattermost dialog with one text box' },
			{ name: 'Form', value: 'form', description: 'A button that opens a Mattermost dialog with the fields below' },
		],
	},
	{
		displayName: 'Approval Options',
		name: 'approvalOptions',
		type: 'fixedCollection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { responseType: ['approval'] } },
		options: [
			{
				displayName: 'Values',
				name: 'values',
				values: [
					{ displayName: 'Approve Button Label', name: 'approveLabel', type: 'string', default: 'Approve' },
					{ displayName: 'Approve Button Style', name: 'buttonApprovalStyle', type: 'options', options: BUTTON_STYLES, default: 'success' },
					{
						displayName: 'Disapprove Button Label',
						name: 'disapproveLabel',
						type: 'string',
						default: 'Decline',
						displayOptions: { show: { approvalType: ['double'] } },
					},
					{
						displayName: 'Disapprove Button Style',
						name: 'buttonDisapprovalStyle',
						type: 'options',
						options: BUTTON_STYLES,
						default: 'danger',
						displayOptions: { show: { approvalType: ['double'] } },
					},
					{
						displayName: 'Type of Approval',
						name: 'approvalType',
						type: 'options',
						default: 'single',
						options: [
							{ name: 'Approve Only', value: 'single' },
							{ name: 'Approve and Disapprove', value: 'double' },
						],
					},
				],
			},
		],
	},
	{
		displayName: 'Form Fields',
		name: 'formFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Form Field',
		default: {},
		displayOptions: { show: { responseType: ['form'] } },
		options: [
			{
				displayName: 'Values',
				name: 'values',
				values: [
					{
						displayName: 'Field Name',
						name: 'fieldLabel',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'e.g. Reason',
						description: 'The label the dialog shows (at most 24 characters) and the answer\'s key in the output',
					},
					{
						displayName: 'Field Options',
						name: 'fieldOptions',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true, sortable: true },
						placeholder: 'Add Field Option',
						default: { values: [{ option: '' }] },
						displayOptions: { show: { fieldType: ['dropdown'] } },
						options: [
							{
								displayName: 'Values',
								name: 'values',
								values: [{ displayName: 'Option', name: 'option', type: 'string', default: '' }],
							},
						],
					},
					{
						displayName: 'Field Type',
						name: 'fieldType',
						type: 'options',
						default: 'text',
						options: [
							{ name: 'Dropdown List', value: 'dropdown' },
							{ name: 'Email', value: 'email' },
							{ name: 'Number', value: 'number' },
							{ name: 'Text', value: 'text' },
							{ name: 'Textarea', value: 'textarea' },
						],
					},
					{ displayName: 'Placeholder', name: 'placeholder', type: 'string', default: '', placeholder: 'e.g. Why?' },
					{
						displayName: 'Required Field',
						name: 'requiredField',
						type: 'boolean',
						default: false,
						description: 'Whether the dialog refuses to submit without an answer to this field',
					},
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
				displayName: 'Limit Wait Time',
				name: 'limitWaitTime',
				type: 'fixedCollection',
				default: { values: { limitType: 'afterTimeInterval', resumeAmount: 45, resumeUnit: 'minutes' } },
				description:
					'After this time (or at this date) the workflow goes on without an answer, with timedOut: true and the post ID (e.g. to update the message with Update Message)',
				options: [
					{
						displayName: 'Values',
						name: 'values',
						values: [
							{
								displayName: 'Limit Type',
								name: 'limitType',
								type: 'options',
								default: 'afterTimeInterval',
								options: [
									{ name: 'After Time Interval', value: 'afterTimeInterval', description: 'Waits for a certain amount of time' },
									{ name: 'At Specified Time', value: 'atSpecifiedTime', description: 'Waits until the set date and time' },
								],
							},
							{
								displayName: 'Amount',
								name: 'resumeAmount',
								type: 'number',
								default: 1,
								typeOptions: { minValue: 0, numberPrecision: 2 },
								displayOptions: { show: { limitType: ['afterTimeInterval'] } },
								description: 'The time to wait',
							},
							{
								displayName: 'Unit',
								name: 'resumeUnit',
								type: 'options',
								default: 'hours',
								options: [
									{ name: 'Minutes', value: 'minutes' },
									{ name: 'Hours', value: 'hours' },
									{ name: 'Days', value: 'days' },
								],
								displayOptions: { show: { limitType: ['afterTimeInterval'] } },
							},
							{
								displayName: 'Max Date and Time',
								name: 'maxDateAndTime',
								type: 'dateTime',
								default: '',
								displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
								description: 'Continue the execution at this date and time',
							},
						],
					},
				],
			},
			{
				displayName: 'Message Button Label',
				name: 'messageButtonLabel',
				type: 'string',
				default: 'Respond',
				displayOptions: { show: { '/responseType': ['freeText', 'form'] } },
				description: 'The button that opens the dialog',
			},
			{
				displayName: 'Reply To Post',
				name: 'rootId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 4xp9fdt77pncbef59f4k1qe83o',
				description: 'ID or permalink of a post: the question is posted as a reply in its thread',
			},
			{
				displayName: 'Responders',
				name: 'responders',
				type: 'string',
				default: '',
				placeholder: 'e.g. alice, bob',
				description:
					'Usernames or user IDs of the people who may answer, separated by commas. Others get a note that only they may answer. Empty: anyone who sees the message.',
			},
			{
				displayName: 'Response Form Button Label',
				name: 'responseFormButtonLabel',
				type: 'string',
				default: 'Submit',
				displayOptions: { show: { '/responseType': ['freeText', 'form'] } },
			},
			{
				displayName: 'Response Form Description',
				name: 'responseFormDescription',
				type: 'string',
				default: '',
				displayOptions: { show: { '/responseType': ['freeText', 'form'] } },
				description: 'Text shown at the top of the dialog, in Markdown. Empty: the message.',
			},
			{
				displayName: 'Response Form Title',
				name: 'responseFormTitle',
				type: 'string',
				default: '',
				placeholder: 'e.g. Deployment Review',
				displayOptions: { show: { '/responseType': ['freeText', 'form'] } },
				description: 'Title of the dialog, at most 24 characters. Empty: Your Response.',
			},
		],
	},
];

export const description = showOnlyFor(
	{ show: { resource: ['message'], operation: [SEND_AND_WAIT_OPERATION] } },
	properties,
);

/** A user allowed to answer. */
export interface Responder {
	id: string;
	username: string;
}

/** What every button carries back in its (hidden) integration context. */
export interface AnswerContext {
	action: string;
	responders: Responder[];
}

interface LimitValues {
	limitType?: string;
	resumeAmount?: number;
	resumeUnit?: string;
	maxDateAndTime?: string;
}

const UNIT_MS: Record<string, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/** When the wait ends by itself: never, unless Limit Wait Time is set. */
function waitLimit(ctx: IExecuteFunctions, options: IDataObject): Date {
	const limit = (options.limitWaitTime as { values?: LimitValues } | undefined)?.values;
	if (!limit) return WAIT_INDEFINITELY;
	const waitTill =
		limit.limitType === 'atSpecifiedTime'
			? new Date(String(limit.maxDateAndTime ?? ''))
			: new Date(Date.now() + Number(limit.resumeAmount ?? 1) * (UNIT_MS[limit.resumeUnit ?? 'hours'] ?? NaN));
	if (Number.isNaN(waitTill.getTime())) {
		throw new NodeOperationError(ctx.getNode(), 'Limit Wait Time is not a valid time', {
			description: 'Give an Amount and a Unit, or a Max Date and Time such as 2026-12-31T18:00:00.',
			itemIndex: 0,
		});
	}
	return waitTill;
}

async function resolveResponders(ctx: IExecuteFunctions, value: unknown): Promise<Responder[]> {
	const responders: Responder[] = [];
	for (const entry of listParameter(value)) {
		const name = entry.replace(/^@/, '');
		const request = { itemIndex: 0, subject: `responder "${entry}"` };
		let user: IDataObject;
		try {
			user = isMattermostId(name) ? await userById(ctx, name, request) : await userByUsername(ctx, name, request);
		} catch (error) {
			if (!isNotFound(error)) throw new NodeApiError(ctx.getNode(), error as JsonObject);
			throw new NodeOperationError(ctx.getNode(), `Responder "${entry}" is not a Mattermost user`, {
				description: 'Responders takes usernames (e.g. alice) or user IDs, separated by commas. Check the spelling.',
				itemIndex: 0,
			});
		}
		if (!responders.some((known) => known.id === user.id)) {
			responders.push({ id: String(user.id), username: String(user.username) });
		}
	}
	return responders;
}

function approvalButtons(ctx: IExecuteFunctions): Array<{ action: string; name: string; style: string }> {
	const approval = ctx.getNodeParameter('approvalOptions.values', 0, {}) as IDataObject;
	const approve = { action: APPROVE_ACTION, name: String(approval.approveLabel || 'Approve'), style: String(approval.buttonApprovalStyle || 'success') };
	if (approval.approvalType !== 'double') return [approve];
	return [
		approve,
		{ action: DECLINE_ACTION, name: String(approval.disapproveLabel || 'Decline'), style: String(approval.buttonDisapprovalStyle || 'danger') },
	];
}

/**
 * n8n 1.x checks the signature of a resume URL only for executions that ask for it (its own Send
 * and Wait nodes do); n8n 2.x always checks it for sendAndWait nodes and has no such method.
 */
function requireSignedResume(ctx: IExecuteFunctions & { setSignatureValidationRequired?: () => void }): void {
	ctx.setSignatureValidationRequired?.();
}

/** Where the question is: what every result carries. */
export function postReference(post: IDataObject): IDataObject {
	const reference: IDataObject = { postId: post.id, channelId: post.channel_id };
	if (post.root_id) reference.rootId = post.root_id;
	return reference;
}

/**
 * Only the first item is asked: an execution waits for one answer, as n8n's own Send and Wait
 * operations do.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	if (itemIndex > 0) return [];
	const message = this.getNodeParameter('message', 0, '') as string;
	if (message.trim() === '') {
		throw new NodeOperationError(this.getNode(), 'Message is empty', {
			description: 'Write the question the buttons answer, e.g. Deploy build 42 to production?',
			itemIndex: 0,
		});
	}
	assertMessageLength(this, message, 0);
	const responseType = this.getNodeParameter('responseType', 0, 'approval') as string;
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const waitTill = waitLimit(this, options);
	let buttons: Array<{ action: string; name: string; style: string }>;
	if (responseType === 'approval') {
		buttons = approvalButtons(this);
	} else {
		// Checked now, so that a form Mattermost would refuse fails here and not at the first click.
		dialogFields(this, responseType, this.getNodeParameter('formFields.values', 0, []) as FormField[]);
		dialogTitle(this, options.responseFormTitle);
		buttons = [{ action: RESPOND_ACTION, name: String(options.messageButtonLabel || 'Respond'), style: 'primary' }];
	}
	const rootId = options.rootId ? postIdFrom(this, options.rootId, 0, 'Reply To Post') : '';
	const responders = await resolveResponders(this, options.responders);
	const sendTo = this.getNodeParameter('sendTo', 0, 'channel') as string;
	const channelId = sendTo === 'user' ? await directChannelId(this, 0) : await resolveChannelId(this, 0);

	requireSignedResume(this);
	const url = this.getSignedResumeUrl();
	const actions = buttons.map(({ action, name, style }) => {
		const context: AnswerContext = { action, responders };
		return { id: action, type: 'button', name, style, integration: { url, context } };
	});
	const body: IDataObject = {
		channel_id: channelId,
		message,
		// The server deduplicates creates that share this id, so a retried request posts once.
		pending_post_id: randomUUID(),
		props: { attachments: [{ actions }] },
	};
	if (rootId) body.root_id = rootId;
	const post = (await mattermostApiRequest.call(this, 'POST', '/posts', {
		body,
		itemIndex: 0,
		subject: rootId ? `channel ${channelId} or post ${rootId}` : `channel ${channelId}`,
	})) as IDataObject;

	const timedOut: INodeExecutionData = { json: { timedOut: true, ...postReference(post) }, pairedItem: { item: 0 } };
	// When the limit runs out n8n runs no node code: it passes on the waiting node's input. Making
	// that input the timed-out result is what lets the workflow see the expiry and the post.
	this.getExecuteData().data = { main: [[timedOut]] };
	await this.putExecutionToWait(waitTill);
	return [timedOut];
}
