import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * The interactive dialog that Free Text and Form answers are given in: built from the node's
 * parameters when the Respond button is clicked, and used again to check and read the submission.
 */

/** Dialog.IsValid limits of the Mattermost server (model/integration_action.go). */
const DIALOG_TITLE_MAX_RUNES = 24;
const ELEMENT_DISPLAY_NAME_MAX_RUNES = 24;
const TEXT_MAX_LENGTH = 150;
const TEXTAREA_MAX_LENGTH = 3000;

export const FREE_TEXT_ELEMENT = 'text';
export const DEFAULT_DIALOG_TITLE = 'Your Response';

export type FieldType = 'text' | 'textarea' | 'number' | 'email' | 'dropdown';

export interface FormField {
	fieldLabel?: string;
	fieldType?: FieldType;
	requiredField?: boolean;
	fieldOptions?: { values?: Array<{ option?: string }> };
	placeholder?: string;
}

/** One dialog element and what the answer to it is called in the output. */
export interface DialogField {
	element: IDataObject;
	/** The output key: the field's label (or `text` for a free-text answer). */
	outputKey: string;
	fieldType: FieldType;
	required: boolean;
	options: string[];
}

const runes = (value: string) => [...value].length;

type Context = IExecuteFunctions | IWebhookFunctions;

function fail(ctx: Context, message: string, description: string): never {
	throw new NodeOperationError(ctx.getNode(), message, { description, itemIndex: 0 });
}

/** The fields of the dialog for a response type, checked against what Mattermost accepts. */
export function dialogFields(ctx: Context, responseType: string, formFields: FormField[]): DialogField[] {
	if (responseType === 'freeText') {
		return [
			{
				element: { display_name: 'Response', name: FREE_TEXT_ELEMENT, type: 'textarea', optional: false, max_length: TEXTAREA_MAX_LENGTH },
				outputKey: FREE_TEXT_ELEMENT,
				fieldType: 'textarea',
				required: true,
				options: [],
			},
		];
	}
	if (formFields.length === 0) {
		fail(ctx, 'The form has no fields', 'Add at least one field under Form Fields, or use Response Type Free Text.');
	}
	const labels = new Set<string>();
	return formFields.map((field, index) => {
		const label = String(field.fieldLabel ?? '').trim();
		const where = `Form field ${index + 1}`;
		if (label === '') fail(ctx, `${where} has no Field Name`, 'Give every field the label the dialog shows, e.g. Reason.');
		if (runes(label) > ELEMENT_DISPLAY_NAME_MAX_RUNES) {
			fail(ctx, `${where}: Field Name "${label}" is ${runes(label)} characters long`, `Mattermost dialogs show at most ${ELEMENT_DISPLAY_NAME_MAX_RUNES} characters per field name. Shorten it; put longer explanations in the message or the Placeholder.`);
		}
		if (labels.has(label)) fail(ctx, `${where}: another field is named "${label}" too`, 'The answers are returned by field name: give every field its own name.');
		labels.add(label);
		const fieldType = field.fieldType ?? 'text';
		const required = field.requiredField === true;
		const element: IDataObject = { display_name: label, name: `field${index}`, optional: !required };
		if (field.placeholder) element.placeholder = field.placeholder;
		let options: string[] = [];
		switch (fieldType) {
			case 'textarea':
				Object.assign(element, { type: 'textarea', max_length: TEXTAREA_MAX_LENGTH });
				break;
			case 'number':
				Object.assign(element, { type: 'text', subtype: 'number', max_length: TEXT_MAX_LENGTH });
				break;
			case 'email':
				Object.assign(element, { type: 'text', subtype: 'email', max_length: TEXT_MAX_LENGTH });
				break;
			case 'dropdown':
				options = (field.fieldOptions?.values ?? []).map((entry) => String(entry.option ?? '').trim()).filter((option) => option !== '');
				if (options.length === 0) fail(ctx, `${where} "${label}" is a dropdown without options`, 'Add the choices under Field Options.');
				Object.assign(element, { type: 'select', options: options.map((option) => ({ text: option, value: option })) });
				break;
			case 'text':
				Object.assign(element, { type: 'text', max_length: TEXT_MAX_LENGTH });
				break;
			default:
				fail(ctx, `${where}: Field Type "${String(fieldType)}" is not supported`, 'Use text, textarea, number, email or dropdown.');
		}
		return { element, outputKey: label, fieldType, required, options };
	});
}

export function dialogTitle(ctx: Context, title: unknown): string {
	const text = typeof title === 'string' && title.trim() !== '' ? title.trim() : DEFAULT_DIALOG_TITLE;
	if (runes(text) > DIALOG_TITLE_MAX_RUNES) {
		fail(ctx, `Response Form Title "${text}" is ${runes(text)} characters long`, `Mattermost dialog titles have at most ${DIALOG_TITLE_MAX_RUNES} characters. Shorten it, and put longer text in Response Form Description.`);
	}
	return text;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Checks a submission like a form would: the problems by element name (shown under the fields,
 * the dialog stays open), else the answers by output key.
 */
export function readSubmission(
	fields: DialogField[],
	submission: IDataObject,
): { errors: Record<string, string> } | { answers: IDataObject } {
	const errors: Record<string, string> = {};
	const answers: IDataObject = {};
	for (const field of fields) {
		const name = field.element.name as string;
		const raw = submission[name];
		const text = raw === undefined || raw === null ? '' : String(raw).trim();
		if (text === '') {
			if (field.required) errors[name] = 'This field is required.';
			else answers[field.outputKey] = field.fieldType === 'number' ? null : '';
			continue;
		}
		if (field.fieldType === 'number') {
			const value = Number(text);
			if (!Number.isFinite(value)) errors[name] = 'Enter a number, e.g. 42.';
			else answers[field.outputKey] = value;
		} else if (field.fieldType === 'email' && !EMAIL.test(text)) {
			errors[name] = 'Enter an email address, e.g. alice@example.com.';
		} else if (field.fieldType === 'dropdown' && !field.options.includes(text)) {
			errors[name] = 'Choose one of the options.';
		} else {
			answers[field.outputKey] = text;
		}
	}
	return Object.keys(errors).length > 0 ? { errors } : { answers };
}
