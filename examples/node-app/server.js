const http = require('http');
const ms = require('ms');

const port = Number(process.env.PORT || 8080);
const started = Date.now();

http.createServer((request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(`hello from node-app (Node ${process.version}), up ${ms(Date.now() - started)}\n`);
}).listen(port, () => console.log(`node-app listening on ${port}`));
