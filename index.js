// n8n does not read this file: it loads the files listed in package.json's "n8n" section.
// For code that requires the package, it exports the same two nodes and two credentials.
module.exports = {
	MattermostSuite: require('./dist/nodes/MattermostSuite/MattermostSuite.node').MattermostSuite,
	MattermostSuiteTrigger: require('./dist/nodes/MattermostSuiteTrigger/MattermostSuiteTrigger.node')
		.MattermostSuiteTrigger,
	MattermostSuiteApi: require('./dist/credentials/MattermostSuiteApi.credentials').MattermostSuiteApi,
	MattermostSuiteOAuth2Api: require('./dist/credentials/MattermostSuiteOAuth2Api.credentials')
		.MattermostSuiteOAuth2Api,
};
