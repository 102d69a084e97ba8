import type { IDataObject, IWebhookFunctions, NodeParameterValueType } from 'n8n-workflow';

/** `$json` as a name of its own, not `$jsonx` or `a.$json`. */
const JSON_REFERENCE = /(?<![\w$.])\$json(?![\w$])/g;

/**
 * The item as a JavaScript expression. It goes through a string literal with every brace escaped:
 * a `}}` in a user's text would otherwise end the expression block early, and text after it
 * would be evaluated.
 */
function itemLiteral(item: IDataObject): string {
	const literal = JSON.stringify(JSON.stringify(item)).replace(/[{}]/g, (brace) =>
		brace === '{' ? '\\u007b' : '\\u007d',
	);
	return `JSON.parse(${literal})`;
}

/**
 * A parameter of the answer to Mattermost (Reply Text, Response Text, Action Response), with
 * `$json` in its expressions standing for the item the trigger outputs. n8n cannot do this
 * itself: a webhook's parameters see the raw request as `$json` on n8n 2.x and no `$json` at all
 * on 1.x. So the parameter is read unevaluated, each `$json` inside `{{ }}` becomes the item, and
 * n8n evaluates the rest as usual (`$now`, `$workflow`, functions…).
 */
export function answerParameter(ctx: IWebhookFunctions, name: string, item: IDataObject): NodeParameterValueType | object {
	const raw = ctx.getNodeParameter(name, '', { rawExpressions: true });
	if (typeof raw !== 'string' || !raw.startsWith('=')) return raw;
	const literal = itemLiteral(item);
	const expression = raw
		.slice(1)
		.replace(/\{\{[\s\S]*?\}\}/g, (block) => block.replace(JSON_REFERENCE, () => literal));
	return ctx.evaluateExpression(expression, 0);
}
