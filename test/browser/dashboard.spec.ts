import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { DATA_SET_AS_OF } from '../../src/demo/demo-cohorts';
import { seedDemo } from '../../src/demo/seed-runner';
import { FixedClock } from '../../src/platform/clock';
import { startApi, TOKENS, type Api } from '../helpers/api-client';
import {
  CHROMIUM,
  HAS_CHROMIUM,
  launchChromium,
  openDashboard as open,
  SCREENSHOTS as OUTPUT,
  signIn,
  textOf,
} from '../helpers/browser';
const PHONE = { width: 390, height: 844 };
/** 10:00 WITA the day after the demo data set's date: every business date in it is past. */
const AFTER_DATA_SET = new Date(Date.parse(`${DATA_SET_AS_OF}T02:00:00.000Z`) + 86_400_000);

if (!HAS_CHROMIUM) {
  describe('the dashboard in a browser', () => {
    it.todo(`skipped: no Chromium at ${CHROMIUM} (apt-get install chromium to run it)`);
  });
} else {
  describe('the dashboard in a browser', () => {
    let api: Api;
    let url: string;
    let browser: Browser;

    beforeAll(async () => {
      api = await startApi({ clock: new FixedClock(AFTER_DATA_SET) });
      url = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
      await seedDemo({ url, operatorToken: TOKENS.operator, monitorToken: TOKENS.monitor });
      browser = await launchChromium();
      mkdirSync(OUTPUT, { recursive: true });
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await api?.stop();
    });

    const openDashboard = (viewport?: { width: number; height: number }) =>
      open(browser, url, viewport);

    it('asks for a viewer token, then shows 535 of 1,500 RSE women, 80 of 600 KUBe and ten regencies/cities', async () => {
      const { page, errors } = await openDashboard();
      expect(await page.isVisible('#sign-in')).toBe(true);
      expect(await page.isVisible('#report')).toBe(false);

      await signIn(page, TOKENS.viewer);
      await page.waitForSelector('#total-rse .count');
      expect(await textOf(page, '#total-rse .count')).toBe('535');
      expect(await textOf(page, '#total-rse .target')).toBe('1.500');
      expect(await textOf(page, '#total-kube .count')).toBe('80');
      expect(await textOf(page, '#total-kube .target')).toBe('600');
      expect(await textOf(page, '#total-rupiah .rupiah')).toBe('Rp4.275.000.000');
      expect(await page.locator('#regencies > li').count()).toBe(10);
      expect(await page.locator('#statuses > li').count()).toBe(5);
      expect(await textOf(page, '#lag-summary')).toBe(
        'Semua model baca sudah memuat peristiwa terakhir.',
      );

      await page.click('#kind-choice button:nth-child(2)');
      const kube = await page.locator('#regencies .numbers').allTextContents();
      expect(kube.filter((numbers) => numbers === '20 / 20')).toHaveLength(4);

      await page.screenshot({ path: join(OUTPUT, 'dashboard-desktop.png'), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    });

    it('refuses a token without the viewer role, and asks for one again', async () => {
      const { page } = await openDashboard();
      await signIn(page, TOKENS.operator);
      await page.waitForSelector('#message:not([hidden])');
      expect(await textOf(page, '#message')).toBe(
        'Token ditolak: masukkan token dengan peran viewer.',
      );
      expect(await page.isVisible('#sign-in')).toBe(true);
      expect(await page.isVisible('#report')).toBe(false);
      await page.close();
    });

    it('fits a phone, keeps the token for the session, and speaks English on request', async () => {
      const { page, errors } = await openDashboard(PHONE);
      await signIn(page, TOKENS.viewer);
      await page.waitForSelector('#total-rse .count');
      // Page width and viewport width: equal when nothing makes the page scroll sideways.
      const width = () =>
        page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]');
      expect(await width()).toEqual([PHONE.width, PHONE.width]);

      await page.reload();
      await page.waitForSelector('#total-rse .count');
      expect(await textOf(page, '#total-rse .count')).toBe('535');
      expect(await textOf(page, '#total-kube .count')).toBe('80');
      expect(await page.locator('#regencies > li').count()).toBe(10);

      await page.click('#language');
      expect(await textOf(page, 'h1')).toBe('Economic Empowerment Aid');
      expect(await textOf(page, '#total-rupiah .rupiah')).toBe('Rp4,275,000,000');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await width()).toEqual([PHONE.width, PHONE.width]);

      await page.screenshot({ path: join(OUTPUT, 'dashboard-phone.png'), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    });
  });
}
