const { Workflow } = require('n8n-workflow');
const nodeTypes = { getByName: () => ({ description: { properties: [] } }), getByNameAndVersion: () => ({ description: { properties: [] } }), getKnownTypes: () => ({}) };
const node = { id: '1', name: 'n', type: 'x', typeVersion: 1, position: [0,0], parameters: {} };
const wf = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
const expr = require('fs').readFileSync('/tmp/expr.txt','utf8').trim();
for (const baseUrl of ['mm.example.com:8065', ' https://x.com/mattermost/api/v4/ ', 'ftp://x', 'not a url', 'HTTP://A.B//', 'https://x.com/API/V4', '', undefined, 'http://127.0.0.1:8065/api/v4//']) {
  try {
    const v = wf.expression.getParameterValue(expr, null, 0, 0, node.name, [], 'internal', { $credentials: { baseUrl } });
    console.log(JSON.stringify(baseUrl), '->', JSON.stringify(v));
  } catch (e) { console.log(JSON.stringify(baseUrl), 'ERR', e.constructor.name, e.message, e.description); }
}
