import { AxeBuilder } from '@axe-core/playwright';
import { chromium } from 'playwright-core';
import { it } from 'vitest';
it('debug', async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox','--disable-gpu','--disable-dev-shm-usage'] });
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.setContent('<html lang="en"><head><title>x</title></head><body><main><h1>Hi</h1></main></body></html>');
  console.log('eval', await Promise.race([page.evaluate('1+1'), new Promise(r => setTimeout(() => r('TIMEOUT'), 3000))]));
  console.log('axe', await Promise.race([new AxeBuilder({ page }).analyze().then(r => r.violations.length), new Promise(r => setTimeout(() => r('TIMEOUT'), 10000))]));
  await browser.close();
}, 60000);
