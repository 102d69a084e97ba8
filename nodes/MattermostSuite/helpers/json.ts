import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** A JSON parameter as an object: accepts an object, or text holding one. */
export function jsonObjectParameter(
	ctx: IExecuteFunctions,
	value: unknown,
	field: string,
	itemIndex: number,
	example: string,
): IDataObject | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const parsed = parseJson(ctx, value, field, itemIndex, example);
	if (parsed === undefined) return undefined;
	if (typeof parsed !== 'object' || Array.isArray(parsed) || parsed === null) {
		throw new NodeOperationError(ctx.getNode(), `${field} must be a JSON object`, {
			description: `Write it as an object in curly braces, e.g. ${example}`,
			itemIndex,
		});
	}
	return parsed as IDataObject;
}

/** A JSON parameter as a list of objects: accepts one object, a list, or text holding either. */
export function jsonObjectListParameter(
	ctx: IExecuteFunctions,
	value: unknown,
	field: string,
	itemIndex: number,
	example: string,
): IDataObject[] {
	if (value === undefined || value === null || value === '') return [];
	const parsed = parseJson(ctx, value, field, itemIndex, example);
	if (parsed === undefined) return [];
	const list = Array.isArray(parsed) ? parsed : [parsed];
	list.forEach((entry, position) => {
		if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
			throw new NodeOperationError(ctx.getNode(), `${field}: entry ${position + 1} is not a JSON object`, {
				description: `Give a list of objects, e.g. [${example}]`,
				itemIndex,
			});
		}
	});
	return list as IDataObject[];
}

function parseJson(ctx: IExecuteFunctions, value: unknown, field: string, itemIndex: number, example: string): unknown {
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return undefined;
	try {
		return JSON.parse(value);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `${field} is not valid JSON`, {
			description: `${(error as Error).message}. Example of a valid value: ${example}`,
			itemIndex,
		});
	}
}
