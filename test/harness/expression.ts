import { getAdditionalKeys } from 'n8n-core';
import { Workflow, createRunExecutionData } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteData,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	NodeParameterValueType,
} from 'n8n-workflow';

import { buildAdditionalData } from './additional-data';
import { TestCredentialsHelper } from './credentials-helper';

const exprNode: INode = {
	id: 'expression-node',
	name: 'Temp-Node',
	type: 'harness.expression',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const exprNodeTypes: INodeTypes = {
	getByName: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getByNameAndVersion: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getKnownTypes: () => ({}),
};

/**
 * Evaluates an n8n expression string (`'={{ … }}'`, or a plain value, returned as is) with
 * n8n-workflow's real engine, the way RoutingNode resolves the `request` of a credential test
 * or a declarative node: `workflow.expression.getParameterValue(value, runExecutionData, 0, 0,
 * node.name, connectionInputData, 'internal', { ...getAdditionalKeys(...), $credentials }, …)`.
 * `$json` becomes the single input item. Throws n8n's ExpressionError on failure.
 */
export function evaluateExpression(
	expression: string,
	extra: { $credentials?: object; $json?: object } = {},
): NodeParameterValueType {
	const workflow = new Workflow({
		nodes: [{ ...exprNode }],
		connections: {},
		active: false,
		nodeTypes: exprNodeTypes,
	});
	const node = workflow.nodes[exprNode.name];
	const connectionInputData: INodeExecutionData[] = [{ json: (extra.$json ?? {}) as IDataObject }];
	const runExecutionData = createRunExecutionData({ resultData: { runData: {} } });
	const executeData: IExecuteData = { node, data: { main: [connectionInputData] }, source: null };
	const additionalData = buildAdditionalData(new TestCredentialsHelper({}, []));
	const additionalKeys = {
		...getAdditionalKeys(additionalData, 'internal', runExecutionData),
		...(extra.$credentials !== undefined ? { $credentials: extra.$credentials } : {}),
	};
	// Synchronous, as with n8n's default ('legacy') expression engine, which the harness never
	// replaces: the isolate-based engines need Expression.initExpressionEngine() at startup.
	return workflow.expression.getParameterValue(
		expression,
		runExecutionData,
		0,
		0,
		node.name,
		connectionInputData,
		'internal',
		additionalKeys,
		executeData,
		false,
	);
}
