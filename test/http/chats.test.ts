import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstance, createUser, eventually, linkInstance, receiveMessage, startServer, type TestServer, type TestUser } from '../support/app.js';
import { TEST_POSTGRES_URL } from '../support/postgres.js';

const providers: Array<'sqlite' | 'postgres'> = TEST_POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];

interface Chat {
  chatId: string;
  phone: string;
  name: string;
  isGroup: boolean;
  unreadCount: number;
  lastActivityAt: string;
  lastMessage: { id: string; type: string; preview: string | null; fromMe: boolean; status: string; timestamp: string } | null;
}

for (const provider of providers) {
  describe(`the conversation list on ${provider}`, () => {
    let server: TestServer;
    let user: TestUser;
    let id: string;
    let seq = 0;
    /** A number no other test of this file writes from. */
    const newNumber = () => `7900333${String(++seq).padStart(4, '0')}`;

    const chats = async (query = '', as: TestUser = user) => {
      const res = await server.request('GET', `/api/instances/${id}/chats${query}`, { as });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body as { chats: Chat[]; pagination: { total: number; limit: number; skip: number; hasMore: boolean } };
    };
    const chatOf = async (phone: string) => (await chats(`?search=${phone}`)).chats.find((c) => c.phone === phone);
    /** Waits until the chat with `phone` shows `check`. */
    const chatWhen = (phone: string, check: (chat: Chat) => boolean, what: string) =>
      eventually(async () => {
        const chat = await chatOf(phone);
        return chat && check(chat) ? chat : undefined;
      }, 5000, what);
    const receive = (from: string, text: string, pushName?: string) => receiveMessage(server, user, id, { from, text, pushName });
    const read = (chatId: string, as: TestUser = user) => server.request('POST', `/api/instances/${id}/chats/${encodeURIComponent(chatId)}/read`, { as });

    beforeAll(async () => {
      server = await startServer({ provider });
      user = await createUser(server);
      id = (await linkInstance(server, user)).id;
    });
    afterAll(() => server.close());

    it('shows a message from a new number as a chat with one unread, named by its push name', async () => {
      const from = newNumber();
      const messageId = await receive(from, 'Hello there', 'Carol');
      const chat = await chatWhen(from, () => true, 'the new chat');
      expect(chat).toEqual({
        chatId: `${from}@s.whatsapp.net`,
        phone: from,
        name: 'Carol',
        isGroup: false,
        unreadCount: 1,
        lastActivityAt: expect.any(String),
        lastMessage: { id: messageId, type: 'text', preview: 'Hello there', fromMe: false, status: 'received', timestamp: chat.lastActivityAt, deleted: false },
      });
    });

    it('counts every inbound message as unread until the chat is read', async () => {
      const from = newNumber();
      for (const text of ['one', 'two', 'three']) await receive(from, text);
      const chat = await chatWhen(from, (c) => c.unreadCount === 3, 'three unread');
      expect(chat.lastMessage?.preview).toBe('three');
      expect(chat.name).toBe(from);

      const marked = await read(from);
      expect(marked.status).toBe(200);
      expect(marked.body).toMatchObject({ chatId: `${from}@s.whatsapp.net`, unreadCount: 0 });
      expect((await chatOf(from))?.unreadCount).toBe(0);
      // By JID as well as by number.
      expect((await read(`${from}@s.whatsapp.net`)).status).toBe(200);
    });

    it('moves the last message to an outbound one without touching unread', async () => {
      const from = newNumber();
      await receive(from, 'question?');
      await chatWhen(from, (c) => c.unreadCount === 1, 'the inbound message');
      const sent = await server.request('POST', `/api/whatsapp/${id}/send`, { as: user, body: { phone: from, message: 'answer!' } });
      expect(sent.status).toBe(200);
      const chat = await chatWhen(from, (c) => c.lastMessage?.id === sent.body.id, 'the outbound message');
      expect(chat.unreadCount).toBe(1);
      expect(chat.lastMessage).toMatchObject({ type: 'text', preview: 'answer!', fromMe: true });
    });

    it('cuts a long text to a 200-character preview', async () => {
      const from = newNumber();
      await receive(from, 'ä'.repeat(500));
      const chat = await chatWhen(from, () => true, 'the chat');
      expect(chat.lastMessage?.preview).toBe(`${'ä'.repeat(200)}…`);
    });

    it('lists chats by newest activity, the latest stored first within one second', async () => {
      const [a, b, c] = [newNumber(), newNumber(), newNumber()];
      await receive(a, 'first');
      await receive(b, 'second');
      await receive(c, 'third');
      await chatWhen(c, () => true, 'the third chat');
      const order = () => chats().then((page) => page.chats.map((chat) => chat.phone).filter((p) => [a, b, c].includes(p)));
      expect(await order()).toEqual([c, b, a]);
      await receive(a, 'again');
      await chatWhen(a, (chat) => chat.lastMessage?.preview === 'again', 'the newer message');
      expect(await order()).toEqual([a, c, b]);
      expect((await chats()).chats[0].phone).toBe(a);
    });

    it('searches the name, push name and number; pages with total and hasMore', async () => {
      const named = newNumber();
      await receive(named, 'hi', 'Zebulon_Q');
      await chatWhen(named, () => true, 'the named chat');
      expect((await chats('?search=zebulon_')).chats.map((c) => c.phone)).toEqual([named]);
      expect((await chats(`?search=${named.slice(-6)}`)).chats.map((c) => c.phone)).toEqual([named]);
      expect((await chats('?search=%25')).chats).toEqual([]);
      const saved = await server.request('POST', `/api/instances/${id}/contacts/save`, { as: user, body: { number: named, name: 'Zeb Saved' } });
      expect(saved.status).toBe(200);
      expect((await chats('?search=zeb saved')).chats.map((c) => c.name)).toEqual(['Zeb Saved']);

      const all = await chats();
      expect(all.pagination).toEqual({ total: all.chats.length, limit: 50, skip: 0, hasMore: false });
      const page = await chats('?limit=2&skip=1');
      expect(page.pagination).toEqual({ total: all.pagination.total, limit: 2, skip: 1, hasMore: all.pagination.total > 3 });
      expect(page.chats.map((c) => c.chatId)).toEqual(all.chats.slice(1, 3).map((c) => c.chatId));
    });

    it('refuses bad paging and unknown parameters, naming them', async () => {
      for (const query of ['?limit=0', '?limit=1001', '?skip=-1', '?search=' + 'x'.repeat(201), '?sort=name']) {
        const res = await server.request('GET', `/api/instances/${id}/chats${query}`, { as: user });
        expect(res.status, query).toBe(400);
        expect(res.body.error, query).toEqual(expect.any(String));
      }
    });

    it('answers 404 for a chat the instance never had a message with, and 400 for a bad chat id', async () => {
      const res = await read(newNumber());
      expect(res.status).toBe(404);
      expect(res.body.error).toMatch(/not found/);
      const bad = await read('12');
      expect(bad.status).toBe(400);
      expect(bad.body.details[0]).toMatchObject({ field: 'chatId' });
    });

    it("answers 404 for another user's instance, and lets an admin read it", async () => {
      const stranger = await createUser(server);
      const from = newNumber();
      await receive(from, 'private');
      await chatWhen(from, () => true, 'the chat');
      const list = await server.request('GET', `/api/instances/${id}/chats`, { as: stranger });
      expect(list.status).toBe(404);
      expect((await read(from, stranger)).status).toBe(404);
      expect((await chatOf(from))?.unreadCount).toBe(1);
      expect((await chats('', server.admin)).chats.some((c) => c.phone === from)).toBe(true);
      const own = await createInstance(server, stranger);
      expect((await server.request('GET', `/api/instances/${own.id}/chats`, { as: stranger })).body.chats).toEqual([]);
    });

    it('answers messages of one second in history in the order stored, newest first', async () => {
      const from = newNumber();
      const history = async () => (await server.request('GET', `/api/instances/${id}/chats/${from}/messages?limit=3`, { as: user })).body.messages as Array<{ messageId: string; timestamp: string }>;
      // WhatsApp times have one-second resolution: send until three land in the same second.
      for (let attempt = 1; ; attempt++) {
        const stored = [await receive(from, 'a'), await receive(from, 'b'), await receive(from, 'c')];
        const messages = await eventually(async () => {
          const page = await history();
          return page[0]?.messageId === stored[2] ? page : undefined;
        }, 5000, 'the three messages');
        if (new Set(messages.map((m) => m.timestamp)).size > 1 && attempt < 5) continue;
        expect(new Set(messages.map((m) => m.timestamp)).size).toBe(1);
        expect(messages.map((m) => m.messageId)).toEqual([...stored].reverse());
        return;
      }
    });

    it('keeps chats and unread counts across a restart', async () => {
      const from = newNumber();
      await receive(from, 'before restart');
      await receive(from, 'still unread');
      const before = await chatWhen(from, (c) => c.unreadCount === 2, 'two unread');
      server = await server.restart();
      expect(await chatOf(from)).toEqual(before);
    });
  });
}
