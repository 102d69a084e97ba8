// Entry point of the package: n8n loads the files listed in package.json's "n8n" section;
// this module exposes the same classes to anyone who requires the package.
module.exports = {
	MattermostSuite: require('./dist/nodes/MattermostSuite/MattermostSuite.node').MattermostSuite,
	MattermostSuiteApi: require('./dist/credentials/MattermostSuiteApi.credentials').MattermostSuiteApi,
};
