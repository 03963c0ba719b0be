import { Agent as HttpsAgent } from 'node:https';
import { rootCertificates } from 'node:tls';
import { Agent as UndiciAgent } from 'undici';

/**
 * How Baileys reaches media hosts when one of them has a certificate the public roots don't
 * vouch for (the emulator's self-signed host). Uploads go through `node:https`, downloads
 * through `fetch`, so each needs its own agent; both keep the public roots.
 */
export interface MediaTrust {
  uploadAgent: HttpsAgent;
  downloadDispatcher: UndiciAgent;
  close(): Promise<void>;
}

export function mediaTrust(extraCaPem: string): MediaTrust {
  const ca = [...rootCertificates, extraCaPem];
  const uploadAgent = new HttpsAgent({ ca, keepAlive: true });
  const downloadDispatcher = new UndiciAgent({ connect: { ca } });
  return {
    uploadAgent,
    downloadDispatcher,
    async close() {
      uploadAgent.destroy();
      await downloadDispatcher.close();
    },
  };
}
