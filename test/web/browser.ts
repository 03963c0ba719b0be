import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type StartOptions, startServer, type TestServer } from '../support/app.js';
import { buildDashboard } from './build-dashboard.js';

export const CHROMIUM = '/usr/bin/chromium';
/** Quiet and self-contained: no updates, sync or first-run pages reaching out from the test box. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const SHOTS = path.resolve('test-results/dashboard');
/** The documented screenshots (docs/DASHBOARD.md), rewritten only on request. */
const DOC_IMAGES = path.resolve('docs/images');

/** The two screens every behaviour is checked on. */
export const SIZES = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;
export type SizeName = keyof typeof SIZES;

export interface Dashboard {
  server: TestServer;
  base: string;
  browser: Browser;
  close: () => Promise<void>;
}

/**
 * A listening server with a freshly built dashboard and a headless Chromium. Each signed-in
 * page gets its own browser context, so sessions never leak between users or tests.
 */
export async function openDashboard(options: StartOptions = {}): Promise<Dashboard> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install it with apt-get install -y chromium (docs/DASHBOARD.md)`);
  const dist = await buildDashboard();
  const server = await startServer({ ...options, env: { DASHBOARD_DIR: dist, ...options.env } });
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  mkdirSync(SHOTS, { recursive: true });
  return {
    server,
    base,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
      rmSync(dist, { recursive: true, force: true });
    },
  };
}

/**
 * The dashboard of a test file: opened before its tests, closed after them. The object is filled
 * in when the file's tests start, so it can be declared at the top of the file.
 */
export function useDashboard(options: StartOptions = {}): Dashboard {
  const dashboard = {} as Dashboard;
  beforeAll(async () => {
    Object.assign(dashboard, await openDashboard(options));
  }, 120_000);
  afterAll(async () => {
    await dashboard.close?.();
  });
  return dashboard;
}

export interface PageOptions {
  size?: SizeName;
  email?: string;
  password?: string;
  /** Confirmation dialogs: accepted unless told otherwise; the messages are kept in `dialogs`. */
  confirm?: boolean;
}

/** A new browser context at `size`, signed in through the form (as the admin unless told). */
export async function signedInPage(dashboard: Dashboard, options: PageOptions = {}): Promise<Page & { dialogs: string[] }> {
  const context = await dashboard.browser.newContext({ viewport: SIZES[options.size ?? 'desktop'], acceptDownloads: true });
  const page = Object.assign(await context.newPage(), { dialogs: [] as string[] });
  page.setDefaultTimeout(10_000);
  page.on('dialog', (dialog) => {
    page.dialogs.push(dialog.message());
    void (dialog.type() === 'confirm' && options.confirm !== false ? dialog.accept() : dialog.dismiss());
  });
  await page.goto(dashboard.base);
  await signIn(page, options.email ?? ADMIN_EMAIL, options.password ?? ADMIN_PASSWORD);
  await page.getByRole('heading', { name: 'Instances', level: 1 }).waitFor();
  return page;
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A screenshot for the test report; with UPDATE_DOC_SCREENSHOTS=1 also the one docs/DASHBOARD.md shows. */
export async function shot(page: Page, name: string, options: { doc?: boolean } = {}): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  if (options.doc && process.env.UPDATE_DOC_SCREENSHOTS === '1') {
    mkdirSync(DOC_IMAGES, { recursive: true });
    await page.screenshot({ path: path.join(DOC_IMAGES, `${name}.png`), fullPage: false, scale: 'css', type: 'png' });
  }
}

/** How much wider the page is than the screen: 0 when nothing scrolls sideways. */
/** Makes the page believe its tab is hidden (or shown again), as switching tabs would. */
export const setHidden = (page: Page, hidden: boolean) =>
  page.evaluate((value) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => value });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (value ? 'hidden' : 'visible') });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);

export const sidewaysOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/**
 * The WCAG contrast ratio of an element's text colour (or `property`, e.g. outline-color)
 * against the first opaque background behind it, as the browser computed them.
 */
export async function contrastOf(target: Locator, property: 'color' | 'outline-color' = 'color'): Promise<number> {
  return target.evaluate((el, prop) => {
    const rgb = (value: string) => (value.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]) => {
      const lin = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const fg = rgb(getComputedStyle(el).getPropertyValue(prop));
    // The outline is drawn outside the element, over what is behind it, not over its own background.
    let node: Element | null = prop === 'outline-color' ? el.parentElement : el;
    let bg = [255, 255, 255];
    for (; node; node = node.parentElement) {
      const value = rgb(getComputedStyle(node).backgroundColor);
      if (value.length === 3 || (value.length === 4 && value[3] === 1)) {
        bg = value.slice(0, 3);
        break;
      }
    }
    const [a, b] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
  }, property);
}

/** Temporary directories the tests make for downloads. */
export const tempDir = () => mkdtempSync(path.join(tmpdir(), 'wa-browser-'));
