// The CommonJS entry of `mtlskit` type-checked (see usage.mts): `require` gives the same API.
import mtlskit = require('../../../node/index.js');

export async function commonJs(): Promise<string> {
  const { ca, server, client } = await mtlskit.bundle({ hosts: ['localhost'] });
  const key: mtlskit.GenerateKeyResponse = mtlskit.generateKeySync();
  const report: mtlskit.Report = mtlskit.inspectSync(server.certificate);
  return [ca.certificate, client.chain, key.key, String(report.items.length)].join('\n');
}
