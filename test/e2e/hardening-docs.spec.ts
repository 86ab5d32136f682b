import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { startApi, type Api } from '../helpers/api-client';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (existsSync(CHROMIUM)) {
  /** The docs page must work under the content security policy that every response carries. */
  describe('GET /docs in a browser, under the security headers', () => {
    let api: Api;
    let browser: Browser;

    beforeAll(async () => {
      api = await startApi();
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    });

    afterAll(async () => {
      await browser?.close();
      await api?.stop();
    });

    it('renders Swagger UI with every endpoint and no policy violation', async () => {
      const address = api.app.getHttpServer().address() as { port: number };
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text())) {
          violations.push(message.text());
        }
      });
      page.on('pageerror', (error) => violations.push(error.message));
      const response = await page.goto(`http://127.0.0.1:${address.port}/docs`);
      expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");

      await page.locator('.swagger-ui .info .title').waitFor({ timeout: 15_000 });
      expect(await page.locator('.swagger-ui .info .title').innerText()).toContain('bansos-ledger');
      expect(await page.locator('.opblock').count()).toBeGreaterThanOrEqual(12);
      expect(violations).toEqual([]);
    }, 60_000);
  });
} else {
  describe('GET /docs in a browser', () => {
    it.todo(`skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH to run it)`);
  });
}
