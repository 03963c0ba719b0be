/**
 * Runs inside a test's network namespace (`ip netns exec <ns> node --import tsx …`) and makes
 * it reachable from the test outside, through Unix sockets (a socket path crosses network
 * namespaces, a loopback address does not):
 *
 * - `--relay <socket>:<port>`: connections to the socket are piped to 127.0.0.1:<port> inside.
 * - `--emulator <dir>` with `--control <socket>`: the WhatsApp emulator on 127.0.0.1:443 over TLS
 *   with `<dir>/tls.key` and `<dir>/tls.pem`, its control API on the socket.
 *
 * Prints one JSON line `{ready: true, rootPublicKey?}` once everything listens.
 */
import { connect, createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startControlServer } from '../../emulator/control.js';
import { WhatsAppEmulator } from '../../emulator/emulator.js';

const { values } = parseArgs({ options: { relay: { type: 'string', multiple: true }, emulator: { type: 'string' }, control: { type: 'string' } } });

for (const spec of values.relay ?? []) {
  const [socketPath, port] = spec.split(/:(?=\d+$)/);
  const relay = createServer((client) => {
    const inside = connect(Number(port), '127.0.0.1');
    client.pipe(inside).pipe(client);
    client.on('error', () => inside.destroy());
    inside.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(socketPath, resolve));
}

let rootPublicKey: string | undefined;
if (values.emulator) {
  const tls = { key: readFileSync(`${values.emulator}/tls.key`, 'utf8'), cert: readFileSync(`${values.emulator}/tls.pem`, 'utf8') };
  const emulator = await WhatsAppEmulator.start({ port: 443, tls });
  if (!values.control) throw new Error('--emulator needs --control <socket>');
  await startControlServer(emulator, values.control);
  rootPublicKey = emulator.rootPublicKey;
}

process.stdout.write(`${JSON.stringify({ ready: true, rootPublicKey })}\n`);
