import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { interactiveActionUrl } from './actionEndpoints';
import { jsonObjectParameter } from './json';

const COLOR = /^(good|warning|danger|#[0-9a-f]{3}|#[0-9a-f]{6})$/i;
/** Action (button and menu) IDs Mattermost's action route accepts. */
const ACTION_ID = /^[A-Za-z0-9]+$/;
const URL_FIELDS = ['author_link', 'author_icon', 'title_link', 'image_url', 'thumb_url', 'footer_icon'];
const TEXT_FIELDS = ['fallback', 'color', 'pretext', 'author_name', 'title', 'text', 'footer', ...URL_FIELDS];

interface AttachmentFieldsUi {
	field?: Array<{ title?: string; value?: string; short?: boolean }>;
}

interface ButtonUi {
	name?: string;
	id?: string;
	style?: string;
	target?: 'trigger' | 'url';
	triggerNode?: string;
	url?: string;
	context?: unknown;
}

/** The name n8n gives a new Mattermost Suite Trigger: what an empty Trigger Node Name means. */
const DEFAULT_TRIGGER_NODE = 'Mattermost Suite Trigger';

/**
 * The URL and secret of the Interactive Action trigger of this workflow a button sends its clicks
 * to, derived from the workflow's definition: the trigger's parameters and the workflow's ID
 * (static data would not reach a queue-mode worker).
 */
function triggerEndpoint(ctx: IExecuteFunctions, triggerNode: string, what: string, itemIndex: number): { url: string; secret: string } {
	const name = triggerNode || DEFAULT_TRIGGER_NODE;
	const fail = (message: string, description: string): never => {
		throw new NodeOperationError(ctx.getNode(), `${what}: ${message}`, { description, itemIndex });
	};
	const otherWorkflow =
		'For a trigger in another workflow, set Send Clicks To to URL and paste that trigger\'s Production URL.';
	let parameters: IDataObject;
	try {
		parameters = (ctx.getWorkflowDataProxy(itemIndex).$(name) as { params: IDataObject }).params;
	} catch {
		return fail(
			`this workflow has no node named "${name}" to send button clicks to`,
			`Add a Mattermost Suite Trigger with Source: Interactive Action to this workflow and set Trigger Node Name to its name${triggerNode ? '' : ' (empty means "Mattermost Suite Trigger")'}. ${otherWorkflow}`,
		);
	}
	if (parameters.source !== 'interactiveAction') {
		return fail(
			`the node "${name}" is not a Mattermost Suite Trigger with Source: Interactive Action`,
			`Set Trigger Node Name to the Mattermost Suite Trigger that receives the clicks, or set that node's Source to Interactive Action. ${otherWorkflow}`,
		);
	}
	const secret = typeof parameters.secret === 'string' ? parameters.secret : '';
	if (secret === '') {
		return fail(
			`the trigger "${name}" has no Secret`,
			'Buttons sent to a trigger in this workflow need its Secret: the trigger\'s Production URL is derived from it, and each click must carry it. Set a Secret in the trigger and publish the workflow again.',
		);
	}
	const workflowId = ctx.getWorkflow().id;
	if (!workflowId) {
		return fail('this workflow has no ID yet', `Save the workflow, then run the node again. ${otherWorkflow}`);
	}
	return { url: interactiveActionUrl(ctx.getInstanceBaseUrl(), workflowId, secret), secret };
}

/** Message buttons from the node's Buttons fields, each pointing at a trigger or a URL. */
function buttonsFromUi(ctx: IExecuteFunctions, entry: IDataObject, where: string, itemIndex: number): IDataObject[] {
	const buttons = (entry.buttons as { button?: ButtonUi[] } | undefined)?.button ?? [];
	return buttons.map((button, index) => {
		const label = String(button.name ?? '').trim();
		const what = `${where}, button ${index + 1}${label ? ` "${label}"` : ''}`;
		if (label === '') {
			throw new NodeOperationError(ctx.getNode(), `${what} has no Label`, {
				description: 'Give every button the text it shows, e.g. Approve.',
				itemIndex,
			});
		}
		const id = String(button.id ?? '').trim() || label.replace(/[^A-Za-z0-9]/g, '') || `button${index + 1}`;
		const context = { ...(jsonObjectParameter(ctx, button.context, `${what}: Context (JSON)`, itemIndex, '{"build": 42}') ?? {}) };
		let url: string;
		if (button.target === 'url') {
			url = String(button.url ?? '').trim();
			if (!isHttpUrl(url)) {
				throw new NodeOperationError(ctx.getNode(), `${what}: URL "${url}" is not an http(s) URL`, {
					description:
						'Give the full address Mattermost should send the click to, e.g. the Production URL of a Mattermost Suite Trigger: https://n8n.example.com/webhook/…/webhook.',
					itemIndex,
				});
			}
		} else {
			const endpoint = triggerEndpoint(ctx, String(button.triggerNode ?? '').trim(), what, itemIndex);
			url = endpoint.url;
			context.secret = endpoint.secret;
		}
		if (context.action === undefined) context.action = id;
		return { id, type: 'button', name: label, style: button.style || 'default', integration: { url, context } };
	});
}

/** Builds a Slack-compatible attachment from the node's Attachment fields, leaving out empty ones. */
export function attachmentFromUi(ctx: IExecuteFunctions, entry: IDataObject, position: number, itemIndex: number): IDataObject {
	const attachment: IDataObject = {};
	for (const key of TEXT_FIELDS) {
		const value = entry[key];
		if (typeof value === 'string' && value.trim() !== '') attachment[key] = value.trim();
	}
	const fields = (entry.fields as AttachmentFieldsUi | undefined)?.field ?? [];
	if (fields.length > 0) {
		attachment.fields = fields.map((field) => ({
			title: field.title ?? '',
			value: field.value ?? '',
			short: field.short === true,
		}));
	}
	const actions = buttonsFromUi(ctx, entry, `Attachment ${position + 1}`, itemIndex);
	if (actions.length > 0) attachment.actions = actions;
	return attachment;
}

export function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:';
	} catch {
		return false;
	}
}

/**
 * Checks what Mattermost's SlackAttachment validation checks (it only logs most problems today,
 * and would post a broken attachment), so the user learns about them here.
 */
export function assertValidAttachments(ctx: IExecuteFunctions, attachments: IDataObject[], itemIndex: number): void {
	const actionIds = new Set<string>();
	attachments.forEach((attachment, position) => {
		const where = `Attachment ${position + 1}`;
		const fail = (message: string, description: string) => {
			throw new NodeOperationError(ctx.getNode(), `${where}: ${message}`, { description, itemIndex });
		};
		const color = attachment.color;
		if (color !== undefined && color !== '' && !(typeof color === 'string' && COLOR.test(color))) {
			fail(`Color "${String(color)}" is not a colour Mattermost accepts`, 'Use a hex colour such as #ff8800, or good, warning or danger.');
		}
		for (const key of URL_FIELDS) {
			const value = attachment[key];
			if (value !== undefined && value !== '' && !(typeof value === 'string' && isHttpUrl(value))) {
				fail(`${key} "${String(value)}" is not an http(s) URL`, `Give a full address, e.g. https://example.com/${key.includes('icon') || key.includes('image') || key.includes('thumb') ? 'picture.png' : 'page'}.`);
			}
		}
		if (attachment.title_link && !attachment.title) {
			fail('Title Link needs a Title', 'Mattermost shows the link on the title: add a Title, or remove the Title Link.');
		}
		if (attachment.author_link && !attachment.author_name) {
			fail('Author Link needs an Author Name', 'Mattermost shows the link on the author name: add an Author Name, or remove the Author Link.');
		}
		if (attachment.fields !== undefined && !Array.isArray(attachment.fields)) {
			fail('fields must be a list', 'Give fields as a list of {"title", "value", "short"} objects.');
		}
		if (attachment.actions !== undefined && !Array.isArray(attachment.actions)) {
			fail('actions must be a list', 'Give actions as a list of button or menu objects, e.g. [{"id": "approve", "name": "Approve", "integration": {"url": "…"}}].');
		}
		((attachment.actions as unknown[] | undefined) ?? []).forEach((action, index) => {
			const id = action && typeof action === 'object' ? (action as IDataObject).id : undefined;
			// Mattermost routes clicks through /posts/{post_id}/actions/{action_id:[A-Za-z0-9]+}: any
			// other id is stored but can never be clicked. A missing id is generated by the server.
			if (id !== undefined && id !== '' && !(typeof id === 'string' && ACTION_ID.test(id))) {
				fail(
					`Action ${index + 1} has the ID "${String(id)}", which Mattermost can never trigger`,
					'Button and menu IDs must be letters and digits only (no "_", "-" or spaces), e.g. "approve2".',
				);
			}
			// Mattermost runs the first action with the clicked id: a second one could never fire.
			if (typeof id === 'string' && id !== '') {
				if (actionIds.has(id)) {
					fail(`Action ${index + 1} has the ID "${id}", which an earlier button or menu of this post has`, 'Give every button and menu of a post its own ID.');
				}
				actionIds.add(id);
			}
		});
	});
}
