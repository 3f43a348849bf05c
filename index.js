// n8n finds this package's nodes and credentials through the "n8n" section of
// package.json (dist/...), not through this entry point; it exists so that
// `require('n8n-nodes-alibaba-ecs')` resolves, and loads nothing heavy.
module.exports = {};
