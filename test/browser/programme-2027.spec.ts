import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { TOKENS, type Api } from '../helpers/api-client';
import {
  CHROMIUM,
  HAS_CHROMIUM,
  launchChromium,
  openDashboard,
  SCREENSHOTS,
  signIn,
  textOf,
} from '../helpers/browser';
import { startApiIn2027, walk2027 } from '../helpers/programme-2027';

if (!HAS_CHROMIUM) {
  describe('2027 on the dashboard', () => {
    it.todo(`skipped: no Chromium at ${CHROMIUM} (apt-get install chromium to run it)`);
  });
} else {
  describe('2027 on the dashboard', () => {
    let api: Api;
    let browser: Browser;

    beforeAll(async () => {
      api = await startApiIn2027();
      await walk2027(api);
      browser = await launchChromium();
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await api?.stop();
    });

    it('shows 2027, defined by an admin, beside 2024–2026 with its own targets and aid', async () => {
      const url = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
      const { page, errors } = await openDashboard(browser, url);
      await signIn(page, TOKENS.viewer);
      await page.waitForSelector('#total-rse .count');
      expect(await page.locator('#year-choice button').allTextContents()).toEqual([
        '2024',
        '2025',
        '2026',
        '2027',
      ]);
      // Targets of all years: 3 × 500 + 300 RSE women, 3 × 200 + 120 KUBe.
      expect(await textOf(page, '#total-rse .target')).toBe('1.800');
      expect(await textOf(page, '#total-kube .target')).toBe('720');
      expect(await textOf(page, '#total-rupiah .rupiah')).toBe('Rp28.000.000');

      await page.click('#year-choice button:has-text("2027")');
      await page.click('#kind-choice button:nth-child(2)');
      const samarinda = page.locator('#regencies li[data-code="64.72"] .numbers');
      expect(await samarinda.textContent()).toBe('1 / 12');
      const others = await page.locator('#regencies .numbers').allTextContents();
      expect(others.filter((numbers) => numbers === '0 / 10')).toHaveLength(9);

      await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-2027.png'), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    });
  });
}
