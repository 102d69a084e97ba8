/**
 * An in-memory ICredentialsHelper for running node code inside real n8n-core contexts.
 *
 * Mirrors n8n 2.41.1's cli `credentials-helper.ts` (CredentialsHelper) wherever the
 * behaviour is observable by a node: how `authenticate` applies a credential type's generic
 * `authenticate` block or function, how `preAuthentication` refreshes expirable fields, how
 * `getDecrypted` applies the credential type's defaults and resolves expressions in the data,
 * and how `getCredentialsProperties` merges the properties of `extends` parents.
 * Only storage differs: data lives in a plain object keyed by credential type instead of an
 * encrypted database row. Not modelled: credential overwrites, external secrets, dynamic
 * (per-user) credentials, the AI gateway, OAuth dynamic-client-registration fields and JSON-leaf
 * expression fields.
 */
import { getAdditionalKeys } from 'n8n-core';
import {
	ICredentials,
	ICredentialsHelper,
	NodeHelpers,
	UnexpectedError,
	UserError,
	Workflow,
	getCredentialOwnRequestAllowedDomains,
	isExpression,
} from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentialsEncrypted,
	ICredentialsExpressionResolveValues,
	IExecuteData,
	IGetDecryptedCredentialsOptions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

/** One write the node code made through the helper (token refresh, OAuth token update). */
export interface CredentialUpdateRecord {
	method: 'updateCredentials' | 'updateCredentialsOauthTokenData';
	type: string;
	nodeCredentials: INodeCredentialsDetails;
	data: ICredentialDataDecryptedObject;
}

/** The id every harness credential gets: n8n references credentials by id, we key them by type. */
export function credentialIdFor(type: string): string {
	return `${type}-id`;
}

/**
 * Plain-text ICredentials. n8n-core's `Credentials` encrypts through a key provider that only the
 * cli wires up (from its database), so it cannot be used standalone; nothing in n8n-core reads the
 * encrypted form, so an unencrypted holder is observably the same for node code.
 */
class InMemoryCredentials extends ICredentials {
	private plain: ICredentialDataDecryptedObject;

	constructor(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	) {
		super(nodeCredentials, type);
		this.plain = structuredClone(data);
	}

	async getData(): Promise<ICredentialDataDecryptedObject> {
		return structuredClone(this.plain);
	}

	getDataToSave(): ICredentialsEncrypted {
		return { id: this.id, name: this.name, type: this.type, data: JSON.stringify(this.plain) };
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.plain = structuredClone(data);
	}

	async updateData(
		toUpdate: Partial<ICredentialDataDecryptedObject>,
		toDelete: string[] = [],
	): Promise<void> {
		const updated = { ...this.plain, ...toUpdate } as ICredentialDataDecryptedObject;
		for (const key of toDelete) delete updated[key];
		this.plain = updated;
	}
}

/** The stand-in node n8n's CredentialsHelper uses to resolve credential expressions. */
const mockNode: INode = {
	id: 'credentials-mock-node',
	name: '',
	typeVersion: 1,
	type: 'mock',
	position: [0, 0],
	parameters: {},
};

const mockNodeTypes: INodeTypes = {
	getByName: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getByNameAndVersion: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getKnownTypes: () => ({}),
};

export class TestCredentialsHelper extends ICredentialsHelper {
	private readonly store: Record<string, ICredentialDataDecryptedObject>;

	private readonly types = new Map<string, ICredentialType>();

	/** Every write made through updateCredentials / updateCredentialsOauthTokenData, in order. */
	readonly updates: CredentialUpdateRecord[] = [];

	constructor(
		credentials: Record<string, ICredentialDataDecryptedObject>,
		credentialTypes: ICredentialType[],
	) {
		super();
		this.store = structuredClone(credentials);
		for (const type of credentialTypes) this.types.set(type.name, type);
	}

	/** Like n8n's CredentialTypes.getByName: unknown names are an error. */
	getCredentialType(name: string): ICredentialType {
		const type = this.types.get(name);
		if (!type) {
			throw new UnexpectedError(`Unknown credential type "${name}"`, {
				tags: { credentialType: name },
			});
		}
		return type;
	}

	/** The data currently stored for a type (after any updates the node made). */
	getStoredData(type: string): ICredentialDataDecryptedObject | undefined {
		const data = this.store[type];
		return data === undefined ? undefined : structuredClone(data);
	}

	// ---------------------------------------------------------------- authenticate

	/** Same algorithm as n8n's CredentialsHelper.authenticate. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions;
		const credentialType = this.getCredentialType(typeName);
		const { authenticate } = credentialType;

		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}

		if (typeof authenticate === 'object') {
			if (!workflow || !node) {
				throw new UnexpectedError(
					'Workflow and node are required for declarative credential authentication',
				);
			}
			if (requestOptions.headers === undefined) requestOptions.headers = {};

			if (authenticate.type === 'generic') {
				// { headers: {...}, qs: {...}, body: {...}, auth: {...} }: resolve key and value of each
				// entry against `$credentials` and assign it into that part of the request.
				const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
				for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
					for (const [key, value] of Object.entries(outerValue as Record<string, string>)) {
						const keyResolved = this.resolveValue(key, { $credentials: credentials }, workflow, node);
						const valueResolved = this.resolveValue(
							value,
							{ $credentials: credentials },
							workflow,
							node,
						);
						if (!target[outerKey]) target[outerKey] = {};
						target[outerKey][keyResolved] = valueResolved;
					}
				}
			}
		}

		return requestOptions as IHttpRequestOptions;
	}

	/** n8n resolves generic-auth templates with getSimpleParameterValue in mode 'internal'. */
	private resolveValue(
		parameterValue: string,
		additionalKeys: IWorkflowDataProxyAdditionalKeys,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(parameterValue)) return parameterValue;
		const returnValue = workflow.expression.getSimpleParameterValue(
			node,
			parameterValue,
			'internal',
			additionalKeys,
			undefined,
			'',
		);
		if (!returnValue) return '';
		return returnValue.toString();
	}

	// ---------------------------------------------------------------- pre-authentication

	/**
	 * Same rules as n8n: only credential types with a hidden `expirable` property take part; the
	 * hook runs when that property is empty, when the previous request got a 401
	 * (`credentialsExpired`), or during a credential test; the result is persisted.
	 */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.getCredentialType(typeName);
		const expirableProperty = credentialType.properties.find(
			(property) => property.type === 'hidden' && property?.typeOptions?.expirable === true,
		);
		if (expirableProperty?.name === undefined) return undefined;

		// n8n recognises its credential-test stand-in node this way.
		const isTestingCredentials =
			node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';

		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		if (
			credentials[expirableProperty.name] !== '' &&
			!credentialsExpired &&
			!isTestingCredentials
		) {
			return undefined;
		}

		const output = (await credentialType.preAuthentication.call(
			restrictToCredentialDomains(helpers, credentials),
			credentials,
		)) as ICredentialDataDecryptedObject;
		if (output[expirableProperty.name] === undefined) return undefined;

		if (node.credentials) {
			const nodeCredentials = node.credentials[credentialType.name];
			const storedData = await (await this.getCredentials(nodeCredentials, credentialType.name)).getData();
			const dataToPersist: ICredentialDataDecryptedObject = { ...storedData };
			for (const [key, value] of Object.entries(output)) {
				// n8n never overwrites a field the user stored as an expression.
				if (key === expirableProperty.name || !isExpression(storedData[key])) {
					dataToPersist[key] = value;
				}
			}
			await this.updateCredentials(nodeCredentials, credentialType.name, dataToPersist);
			return Object.assign(credentials, output);
		}
		return undefined;
	}

	/** In-memory transform used by n8n's OAuth2 request path: no guard, no persistence. */
	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.getCredentialType(typeName);
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		const output = await credentialType.preAuthentication.call(
			restrictToCredentialDomains(helpers, credentials),
			credentials,
		);
		return (output as ICredentialDataDecryptedObject) ?? undefined;
	}

	// ---------------------------------------------------------------- types & properties

	/** All ancestors named in `extends`, transitively, in n8n's CredentialTypes.getParentTypes order. */
	getParentTypes(name: string): string[] {
		const extendsArr = this.types.get(name)?.extends ?? [];
		const result = [...extendsArr];
		for (const parent of extendsArr) result.push(...this.getParentTypes(parent));
		return result;
	}

	/** The harness does not model `restrictToSupportedNodes`: every credential is usable. */
	isCredentialUsableByNode(_credentialType: string, _nodeType: string): boolean {
		return true;
	}

	/** Same merge as n8n: parents first, the type's own properties take precedence. */
	getCredentialsProperties(type: string): INodeProperties[] {
		const oauthTokenData: INodeProperties = {
			displayName: 'oauthTokenData',
			name: 'oauthTokenData',
			type: 'json',
			required: false,
			default: {},
		};
		const credentialTypeData = this.types.get(type);
		if (credentialTypeData === undefined) {
			// n8n's built-in OAuth parents are not part of a community package; a child type that
			// extends them still needs the special token property.
			if (['oAuth1Api', 'oAuth2Api'].includes(type)) return [oauthTokenData];
			throw new UnexpectedError('Unknown credential type', { tags: { credentialType: type } });
		}

		if (credentialTypeData.extends === undefined) {
			if (['oAuth1Api', 'oAuth2Api'].includes(type)) {
				return [...credentialTypeData.properties, oauthTokenData];
			}
			return credentialTypeData.properties;
		}

		const combineProperties: INodeProperties[] = [];
		for (const credentialsTypeName of credentialTypeData.extends) {
			NodeHelpers.mergeNodeProperties(
				combineProperties,
				this.getCredentialsProperties(credentialsTypeName),
			);
		}
		NodeHelpers.mergeNodeProperties(combineProperties, credentialTypeData.properties);
		return combineProperties;
	}

	// ---------------------------------------------------------------- storage

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		return new InMemoryCredentials(nodeCredentials, type, this.getRaw(nodeCredentials, type));
	}

	private getRaw(nodeCredentials: INodeCredentialsDetails, type: string): ICredentialDataDecryptedObject {
		if (!nodeCredentials?.id) {
			// Same message as n8n's CredentialMissingIdError.
			throw new UserError(
				`Credential "${nodeCredentials?.name}" of type "${type}" has no ID. Please select the credential again.`,
			);
		}
		const data = this.store[type];
		if (data === undefined) {
			// Same message as n8n's CredentialNotFoundError.
			throw new UserError(`Credential with ID "${nodeCredentials.id}" does not exist for type "${type}".`);
		}
		return structuredClone(data);
	}

	/**
	 * Stored data with the type's defaults applied and expressions resolved, as n8n's
	 * getDecrypted → applyDefaultsAndOverwrites does (there are no overwrites in tests).
	 */
	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
		_options?: IGetDecryptedCredentialsOptions,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.getRaw(nodeCredentials, type);
		if (raw === true) return data;
		return await this.applyDefaultsAndOverwrites(
			additionalData,
			data,
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/** The part of n8n's applyDefaultsAndOverwrites that matters without a database. */
	async applyDefaultsAndOverwrites(
		additionalData: IWorkflowExecuteAdditionalData,
		decryptedDataOriginal: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const credentialsProperties = this.getCredentialsProperties(type);

		let decryptedData = NodeHelpers.getNodeParameters(
			credentialsProperties,
			{ ...decryptedDataOriginal } as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;

		// getNodeParameters drops keys that are not declared properties; n8n puts these back.
		if (decryptedDataOriginal.oauthTokenData !== undefined) {
			decryptedData.oauthTokenData = decryptedDataOriginal.oauthTokenData;
		}
		for (const key of ['allowedHttpRequestDomains', 'allowedDomains']) {
			if (decryptedData[key] === undefined && decryptedDataOriginal[key] !== undefined) {
				decryptedData[key] = decryptedDataOriginal[key];
			}
		}

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });

		if (expressionResolveValues) {
			try {
				decryptedData = expressionResolveValues.workflow.expression.getParameterValue(
					decryptedData as INodeParameters,
					expressionResolveValues.runExecutionData,
					expressionResolveValues.runIndex,
					expressionResolveValues.itemIndex,
					expressionResolveValues.node.name,
					expressionResolveValues.connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					decryptedData,
				) as ICredentialDataDecryptedObject;
			} catch (e) {
				(e as Error).message += ' [Error resolving credentials]';
				throw e;
			}
		} else {
			const workflow = new Workflow({
				nodes: [{ ...mockNode }],
				connections: {},
				active: false,
				nodeTypes: mockNodeTypes,
			});
			decryptedData = await workflow.expression.withIsolate(async () =>
				this.resolveCredentialExpressions(
					workflow,
					credentialsProperties,
					decryptedData,
					mode,
					additionalKeys,
				),
			);
		}

		return decryptedData;
	}

	/**
	 * n8n resolves the whole object at once; if that fails it retries per property and leaves out
	 * properties marked `ignoreCredentialExpressionResolveError`, else rethrows the first error.
	 */
	private resolveCredentialExpressions(
		workflow: Workflow,
		credentialsProperties: INodeProperties[],
		decryptedData: ICredentialDataDecryptedObject,
		mode: WorkflowExecuteMode,
		additionalKeys: IWorkflowDataProxyAdditionalKeys,
	): ICredentialDataDecryptedObject {
		const resolve = (value: INodeParameters) =>
			workflow.expression.getComplexParameterValue(
				mockNode,
				value,
				mode,
				additionalKeys,
				undefined,
				undefined,
				decryptedData,
			) as ICredentialDataDecryptedObject;
		try {
			return resolve(decryptedData as INodeParameters);
		} catch (originalError) {
			const propertiesByName = new Map(credentialsProperties.map((p) => [p.name, p]));
			const resolvedData: ICredentialDataDecryptedObject = {};
			for (const [name, value] of Object.entries(decryptedData)) {
				try {
					const resolved = resolve({ [name]: value } as INodeParameters);
					if (Object.prototype.hasOwnProperty.call(resolved, name)) resolvedData[name] = resolved[name];
				} catch {
					if (propertiesByName.get(name)?.typeOptions?.ignoreCredentialExpressionResolveError === true) {
						continue;
					}
					throw originalError;
				}
			}
			return resolvedData;
		}
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store[type] = structuredClone(data);
		this.updates.push({
			method: 'updateCredentials',
			type,
			nodeCredentials,
			data: structuredClone(data),
		});
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
		_additionalData: IWorkflowExecuteAdditionalData,
	): Promise<void> {
		// n8n only persists the oauthTokenData key of what it is given.
		this.store[type] = { ...(this.store[type] ?? {}), oauthTokenData: data.oauthTokenData };
		this.updates.push({
			method: 'updateCredentialsOauthTokenData',
			type,
			nodeCredentials,
			data: structuredClone(data),
		});
	}
}

/**
 * n8n wraps the helpers handed to a credential's preAuthentication so its requests obey the
 * credential's own allowed-domains setting; same here.
 */
function restrictToCredentialDomains(
	helpers: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): IHttpRequestHelper {
	return {
		helpers: {
			httpRequest: async (requestOptions: IHttpRequestOptions): Promise<unknown> => {
				const allowedDomains = getCredentialOwnRequestAllowedDomains(credentials);
				if (allowedDomains === undefined) return await helpers.helpers.httpRequest(requestOptions);
				if (requestOptions.allowedDomains !== undefined) {
					throw new UserError(
						'This credential restricts requests to specific domains, which cannot be combined with the domains its authentication step asks for.',
					);
				}
				return await helpers.helpers.httpRequest({ ...requestOptions, allowedDomains });
			},
		},
	} as IHttpRequestHelper;
}
