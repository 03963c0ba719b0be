import { parseArgs } from 'node:util';
import { controlUrl, startControlServer } from './control.js';
import { WhatsAppEmulator } from './emulator.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'control-port': { type: 'string', default: '0' },
    'media-port': { type: 'string', default: '0' },
    phone: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});

const emulator = await WhatsAppEmulator.start({
  port: Number(values.port),
  mediaPort: Number(values['media-port']),
  phone: values.phone,
  log: values.verbose ? (msg, extra) => console.log(`[emulator] ${msg}`, extra ?? '') : undefined,
});
const control = await startControlServer(emulator, Number(values['control-port']));

console.log(`WhatsApp emulator listening (loopback only)
  websocket url     ${emulator.url}
  root public key   ${emulator.rootPublicKey}
  control api       ${controlUrl(control)}
  media host        https://${emulator.mediaHost}
  media CA (PEM)    ${emulator.mediaCaPath}   (our server: WA_EMULATOR_MEDIA_CA=<this file>; other clients: NODE_EXTRA_CA_CERTS=<this file>)
  phone number      ${emulator.defaultPhone}`);

const shutdown = async () => {
  control.close();
  await emulator.close();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
