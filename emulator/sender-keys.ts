import {
  GroupCipher,
  GroupSessionBuilder,
  SenderKeyDistributionMessage,
  SenderKeyName,
  SenderKeyRecord,
} from 'baileys/lib/Signal/Group/index.js';

const unpad = (padded: Uint8Array) => padded.subarray(0, padded.length - (padded[padded.length - 1] ?? 0));

function senderKeyName(groupJid: string, address: string): SenderKeyName {
  const [id, device] = address.split('.');
  return new SenderKeyName(groupJid, { id: id ?? address, deviceId: Number(device ?? 0), toString: () => address });
}

/**
 * Every sender key a simulated phone holds (its own for each group it writes to, and those other
 * members sent it), with libsignal's group cipher as Baileys ships it. Keyed by the holder.
 */
export class SenderKeys {
  private readonly records = new Map<string, SenderKeyRecord>();
  /** Devices that already got a sender's key for a group: WhatsApp sends it once per device. */
  private readonly distributed = new Set<string>();

  private store(holder: string) {
    return {
      loadSenderKey: async (name: SenderKeyName) => this.records.get(`${holder}|${name.toString()}`) ?? new SenderKeyRecord(),
      storeSenderKey: async (name: SenderKeyName, record: SenderKeyRecord) => void this.records.set(`${holder}|${name.toString()}`, record),
    };
  }

  /** The holder takes the key a member's device distributed (an SKDM from its pairwise message). */
  async receive(holder: string, groupJid: string, from: string, skdm: Uint8Array): Promise<void> {
    const message = new SenderKeyDistributionMessage(null, null, null, null, Buffer.from(skdm));
    await new GroupSessionBuilder(this.store(holder)).process(senderKeyName(groupJid, from), message);
  }

  async decrypt(holder: string, groupJid: string, from: string, ciphertext: Uint8Array): Promise<Buffer> {
    return Buffer.from(unpad(await new GroupCipher(this.store(holder), senderKeyName(groupJid, from)).decrypt(ciphertext)));
  }

  /** The holder's own key for the group (made on first use): its distribution message and a ciphertext. */
  async encrypt(holder: string, groupJid: string, plaintext: Uint8Array): Promise<{ skdm: Uint8Array; ciphertext: Uint8Array }> {
    const name = senderKeyName(groupJid, `${holder}.0`);
    const skdm = await new GroupSessionBuilder(this.store(holder)).create(name);
    const ciphertext = await new GroupCipher(this.store(holder), name).encrypt(plaintext);
    return { skdm: skdm.serialize(), ciphertext };
  }

  /** Whether this is the first time `to` gets the holder's key for the group (and remembers it did). */
  firstFor(holder: string, groupJid: string, to: string): boolean {
    const key = `${holder}|${groupJid}|${to}`;
    if (this.distributed.has(key)) return false;
    this.distributed.add(key);
    return true;
  }
}
