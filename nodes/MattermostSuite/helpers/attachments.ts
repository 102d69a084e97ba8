import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

const COLOR = /^(good|warning|danger|#[0-9a-f]{3}|#[0-9a-f]{6})$/i;
const URL_FIELDS = ['author_link', 'author_icon', 'title_link', 'image_url', 'thumb_url', 'footer_icon'];
const TEXT_FIELDS = ['fallback', 'color', 'pretext', 'author_name', 'title', 'text', 'footer', ...URL_FIELDS];

interface AttachmentFieldsUi {
	field?: Array<{ title?: string; value?: string; short?: boolean }>;
}

/** Builds a Slack-compatible attachment from the node's Attachment fields, leaving out empty ones. */
export function attachmentFromUi(entry: IDataObject): IDataObject {
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
	return attachment;
}

function isHttpUrl(value: string): boolean {
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
	});
}
