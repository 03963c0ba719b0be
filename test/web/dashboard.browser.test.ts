import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type TestServer } from '../support/app.js';
import { buildDashboard } from './build-dashboard.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.resolve('test-results/dashboard');
const XSS = '<img src=x onerror=alert(1)>';
/** Quiet and self-contained: no updates, sync or first-run pages reaching out from the test box. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let server: TestServer;
let dist: string;
let profile: string;
let browser: BrowserContext;
let base: string;
const dialogs: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install it with apt-get install -y chromium (docs/DASHBOARD.md)`);
  dist = await buildDashboard();
  // QR codes rotate every 3 s, so the test sees the picture follow a refresh (WhatsApp: ~20 s).
  server = await startServer({ env: { DASHBOARD_DIR: dist, SIMULATOR_QR_REFRESH_MS: '3000' } });
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  profile = mkdtempSync(path.join(tmpdir(), 'wa-chromium-'));
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  for (const dir of [dist, profile]) if (dir) rmSync(dir, { recursive: true, force: true });
});

async function newPage(width: number, height: number): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  await page.setViewportSize({ width, height });
  page.on('dialog', (dialog) => {
    // The dashboard's own confirmations are accepted; anything else would be an injected script.
    if (dialog.type() === 'confirm') return void dialog.accept();
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

describe('dashboard in a real browser', () => {
  let page: Page;
  let instanceId: string;

  it('signs in with the cookie session and survives a reload', async () => {
    page = await newPage(1280, 860);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && !/status of 401/.test(m.text()) && errors.push(m.text()));
    await page.goto(base);
    await shot(page, 'login-desktop');
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Instances', level: 1 }).waitFor();
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await page.reload();
    await page.getByRole('heading', { name: 'Instances', level: 1 }).waitFor();
    expect(errors).toEqual([]);
  });

  it('creates a simulator instance and shows its QR code, following its refreshes', async () => {
    await page.getByLabel('Name').fill('Browser phone');
    await page.getByLabel('Engine').selectOption('simulator');
    await page.getByRole('button', { name: 'Create instance' }).click();
    await page.waitForURL(/\/instances\/[^/]+$/);
    instanceId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    const qr = page.getByRole('img', { name: /QR code/ });
    await qr.waitFor();
    const first = await qr.getAttribute('src');
    expect(first).toMatch(/^data:image\/png;base64,/);
    expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 100)).toBe(true);
    await shot(page, 'instance-qr-desktop');
    await expect.poll(() => qr.getAttribute('src'), { timeout: 8000 }).not.toBe(first);
  });

  it('turns connected without a reload once the phone scans', async () => {
    await page.getByRole('button', { name: 'Simulate scan' }).click();
    await expect.poll(() => page.getByTestId('status').first().getAttribute('data-status'), { timeout: 10_000 }).toBe('connected');
    await page.getByTestId('linked-phone').waitFor();
    await shot(page, 'instance-connected-desktop');
  });

  it('sends a message and shows its ticks up to read', async () => {
    await page.getByRole('link', { name: 'Chat' }).click();
    await page.getByLabel('New chat: phone number').fill('79001234567');
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByRole('textbox', { name: /^Message/ }).fill('Hello from the dashboard');
    await page.getByRole('button', { name: 'Send' }).click();
    const sent = page.getByTestId('message').filter({ hasText: 'Hello from the dashboard' });
    await sent.waitFor();
    await expect.poll(() => sent.locator('.ticks').getAttribute('data-status'), { timeout: 10_000 }).toBe('read');
    expect(await sent.locator('.ticks').textContent()).toBe('✓✓');

    await page.getByLabel('Attach a file').setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 dashboard test') });
    await page.getByRole('textbox', { name: /^Message/ }).fill('The report');
    await page.getByRole('button', { name: 'Send' }).click();
    const file = page.getByTestId('message').filter({ hasText: 'report.pdf' });
    await file.waitFor();
    expect(await file.locator('.text').textContent()).toBe('The report');
  });

  it('shows an inbound message with markup as text, and no script runs', async () => {
    const inbound = await server.request('POST', `/api/simulator/instances/${encodeURIComponent(instanceId)}/inbound`, {
      as: server.admin,
      body: { from: '79001234567', pushName: 'Mallory', text: XSS },
    });
    expect(inbound.status).toBeLessThan(300);
    const received = page.getByTestId('message').filter({ hasText: XSS });
    await received.waitFor({ timeout: 10_000 });
    expect(await received.locator('.text').textContent()).toBe(XSS);
    expect(await page.locator('.messages img').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    await shot(page, 'chat-desktop');
  });

  it('lets an admin create a user', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    const email = `browser-${Date.now()}@test.local`;
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('browser-pass-1');
    await page.getByLabel('First name').fill('Browser');
    await page.getByLabel('Last name').fill('Made');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByTestId('user-row').filter({ hasText: email }).waitFor();
    await page.getByRole('status').filter({ hasText: `Created ${email}` }).waitFor();
    const users = await server.request('GET', '/api/users', { as: server.admin });
    expect(users.body.users.map((u: { email: string }) => u.email)).toContain(email);
    await shot(page, 'admin-users-desktop');
  });

  it('shows an API error from the server to the user', async () => {
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill('another-pass-1');
    await page.getByLabel('First name').fill('Dup');
    await page.getByLabel('Last name').fill('Licate');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/exist|already|use/i);
  });

  it('configures the webhook, sends a test event and retries the failed delivery', async () => {
    await page.goto(`${base}/instances/${encodeURIComponent(instanceId)}/webhook`);
    await page.getByLabel('Webhook URL').fill('http://127.0.0.1:9/hook');
    await page.getByLabel('Send events to this URL').check();
    await page.getByLabel('Retries').fill('0');
    await page.getByRole('button', { name: 'Add header' }).click();
    await page.getByLabel('Header 1 name').fill('X-Tenant');
    await page.getByLabel('Header 1 value').fill('dashboard');
    await page.getByRole('button', { name: 'Save webhook' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const saved = await server.request('GET', `/api/instances/${encodeURIComponent(instanceId)}`, { as: server.admin });
    expect(saved.body).toMatchObject({ webhookUrl: 'http://127.0.0.1:9/hook', webhookEnabled: true, webhookSettings: { maxRetries: 0, headers: { 'X-Tenant': 'dashboard' } } });

    await page.getByRole('button', { name: 'Send a test event' }).click();
    const row = page.getByRole('row').filter({ hasText: 'webhook_test' });
    await row.getByRole('button', { name: 'Retry' }).waitFor({ timeout: 10_000 });
    expect(await row.locator('.badge').textContent()).toBe('failed');
    await shot(page, 'webhook-desktop');
    await row.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('status').filter({ hasText: 'Retry queued.' }).waitFor();
  });

  it('shows the profile and rotates the API key', async () => {
    await page.getByRole('link', { name: 'Profile' }).click();
    await page.getByRole('button', { name: 'Show' }).click();
    const before = await page.getByTestId('api-key').textContent();
    expect(before).toBe(server.admin.apiKey);
    await page.getByRole('button', { name: 'Rotate key' }).click();
    await expect.poll(() => page.getByTestId('api-key').textContent()).not.toBe(before);
    const rotated = await page.getByTestId('api-key').textContent();
    expect((await server.request('GET', '/api/auth/me', { as: { apiKey: rotated! } })).status).toBe(200);
    expect((await server.request('GET', '/api/auth/me', { as: { apiKey: before! } })).status).toBe(401);
    await shot(page, 'profile-desktop');
  });

  it('imports contacts from WhatsApp and finds them by search', async () => {
    await page.goto(`${base}/instances/${encodeURIComponent(instanceId)}/contacts`);
    await page.getByRole('button', { name: 'Import from WhatsApp' }).click();
    await page.getByRole('status').waitFor();
    await page.getByLabel('Search by name or number').fill('Mallory');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Mallory' }).waitFor();
    await shot(page, 'contacts-desktop');
  });

  it('gets a pairing code for a phone number', async () => {
    const created = await server.request('POST', '/api/instances', { as: server.admin, body: { name: 'Paired phone', engine: 'simulator' } });
    await page.goto(`${base}/instances/${encodeURIComponent(created.body.id)}`);
    await page.getByLabel(/pairing code: phone number/).fill('+44 7700 900123');
    await page.getByRole('button', { name: 'Get code' }).click();
    await expect.poll(() => page.getByTestId('pairing-code').locator('strong').textContent()).toMatch(/^[A-Z0-9]{4}-?[A-Z0-9]{4}$/);
  });

  it('lets an admin set a default limit', async () => {
    await page.goto(`${base}/admin/limits`);
    await page.getByLabel('Messages sent per window').fill('1000');
    await page.getByLabel('Counting window').selectOption('month');
    await page.getByRole('button', { name: 'Save limits' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const limits = await server.request('GET', '/api/limits/default', { as: server.admin });
    expect(limits.body).toMatchObject({ limits: { maxMessagesSent: 1000 }, window: 'month' });
  });

  it('loads every other page without an error', async () => {
    for (const [url, name] of [
      [`/usage?instance=${encodeURIComponent(instanceId)}`, 'usage-desktop'],
      ['/admin/limits', 'limits-desktop'],
      ['/admin/system', 'system-desktop'],
    ] as const) {
      await page.goto(base + url);
      await page.locator('main h1').waitFor();
      await page.waitForLoadState('networkidle');
      await expect.poll(() => page.getByText('Loading…').count()).toBe(0);
      expect(await page.getByRole('alert').count(), `${url} shows an error`).toBe(0);
      expect(await page.getByTestId('not-available').count(), `${url} misses an API`).toBe(0);
      await shot(page, name);
    }
  });

  it('fits a 360 px wide phone screen', async () => {
    const phone = await newPage(360, 740);
    for (const [url, name] of [
      ['/instances', 'instances-360'],
      [`/instances/${encodeURIComponent(instanceId)}`, 'instance-360'],
      [`/instances/${encodeURIComponent(instanceId)}/chat?chat=79001234567`, 'chat-360'],
      ['/usage', 'usage-360'],
    ] as const) {
      await phone.goto(base + url);
      await phone.locator('main h1').waitFor();
      await phone.waitForLoadState('networkidle');
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${url} scrolls sideways`).toBeLessThanOrEqual(0);
      await shot(phone, name);
    }
    await phone.close();
  });

  it('shows a plain user only their own pages', async () => {
    const email = `plain-${Date.now()}@test.local`;
    const created = await server.request('POST', '/api/users', { as: server.admin, body: { email, password: 'plain-pass-1', firstName: 'Plain', lastName: 'User' } });
    expect(created.status).toBe(201);
    // A second browser with its own fresh profile: no cookie of the admin's session leaks in.
    const context = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
      const user = await context.newPage();
      user.setDefaultTimeout(10_000);
      await user.goto(base);
      await user.getByLabel('Email').fill(email);
      await user.getByLabel('Password').fill('plain-pass-1');
      await user.getByRole('button', { name: 'Sign in' }).click();
      await user.getByRole('heading', { name: 'Instances', level: 1 }).waitFor();
      expect(await user.getByRole('link', { name: 'Users' }).count()).toBe(0);
      await user.getByText('No instances yet').waitFor();
      await user.goto(`${base}/admin/users`);
      await user.waitForURL(`${base}/instances`);
      await user.goto(`${base}/instances/${encodeURIComponent(instanceId)}`);
      await user.getByRole('alert').filter({ hasText: /not found/i }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('signs out and back to the sign-in form', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.goto(`${base}/instances`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });
});
