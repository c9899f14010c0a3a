// A local S3-compatible server for the s3a:// check (S3SearchCheck): @20minutes/s3rver 4.0.4 on
// loopback, signatures checked. Usage: NODE_PATH=<its node_modules> node server.js DIR PORT BUCKET
// (PORT 0: any free port). Prints "s3rver listening on 127.0.0.1:<port>" once it serves.
'use strict';
const { AsyncLocalStorage } = require('async_hooks');
const S3rver = require('@20minutes/s3rver');
const v4 = require('@20minutes/s3rver/lib/signature/v4');

// s3rver rebuilds the canonical URI from the bucket and key it routed, so a bucket-level request
// (a listing: GET /bucket/?list-type=2...) becomes "/bucket", while the Java SDK signs the path it
// sent, "/bucket/" (as S3 itself does): every listing would fail with SignatureDoesNotMatch. Sign
// against the path as sent when that is the only difference; every signature is still verified.
const requestPath = new AsyncLocalStorage();
const getStringToSign = v4.getStringToSign;
v4.getStringToSign = (canonical, request) => {
  const sent = requestPath.getStore();
  const uri = sent !== undefined && sent === canonical.uri + '/' ? sent : canonical.uri;
  return getStringToSign({ ...canonical, uri }, request);
};

const [directory, port, bucket] = process.argv.slice(2);
if (!directory || port === undefined || !bucket) {
  console.error('usage: node server.js DIR PORT BUCKET');
  process.exit(2);
}
const server = new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  directory,
  silent: process.env.S3RVER_LOG !== '1', // errors reach stdout either way
  vhostBuckets: false,
  configureBuckets: [{ name: bucket, configs: [] }],
});
server.middleware.unshift((ctx, next) => requestPath.run(ctx.path, next));
server.run((err, address) => {
  if (err) {
    console.error(err);
    process.exit(1);
  }
  console.log(`s3rver listening on ${address.address}:${address.port}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
