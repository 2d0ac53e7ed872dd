// A minimal forward HTTP proxy for scripts/fresh-machine-check.sh: the chroot of set-up (b) runs in
// a network namespace of its own (so that the host's PostgreSQL and Redis are not at its
// 127.0.0.1), and reaches the Debian mirror and the npm registry only through this proxy, which
// listens on the host end of the namespace's veth pair. Plain HTTP requests with an absolute URL
// (apt) and CONNECT tunnels (npm over https) only.
// Usage: node scripts/fresh-machine-proxy.mjs <listen-address> <port>
import { createServer, request } from 'node:http';
import { connect } from 'node:net';

const [host, port] = process.argv.slice(2);

const server = createServer((req, res) => {
  let target;
  try {
    target = new URL(req.url);
  } catch {
    res.writeHead(400).end('absolute URL required\n');
    return;
  }
  const upstream = request(
    target,
    { method: req.method, headers: { ...req.headers, connection: 'close' } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', (err) => {
    if (!res.headersSent) res.writeHead(502);
    res.end(`${err.message}\n`);
  });
  req.pipe(upstream);
});

server.on('connect', (req, client, head) => {
  const [name, p] = req.url.split(':');
  const upstream = connect(Number(p) || 443, name, () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  const close = () => {
    upstream.destroy();
    client.destroy();
  };
  upstream.on('error', () => {
    if (client.writable) client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    close();
  });
  client.on('error', close);
});

server.listen(Number(port), host, () => console.log(`proxy listening on ${host}:${port}`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
