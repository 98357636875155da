import { startApp, launchBrowser, newContext, login } from './harness.ts';
const app = await startApp();
const browser = await launchBrowser();
try {
  const ctx = await newContext(browser, app);
  const page = await ctx.newPage();
  await login(page, 'drafter.sotkamo@sopu.example');
  console.log('landed', page.url());
  const links = await page.locator('a.document-link').evaluateAll((as) => as.map((a) => [a.textContent, (a as HTMLAnchorElement).href]));
  console.log(links);
  page.on('websocket', (ws) => { const t = Date.now(); console.log('ws open', ws.url()); ws.on('close', () => console.log('ws close', ws.url())); ws.on('socketerror', (e) => console.log('ws err', e)); });
  await page.getByRole('link', { name: 'Yhteistoimintasopimus' }).click();
  page.on('console', (m) => console.log('console:', m.type(), m.text()));
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  await page.waitForURL(/documents/);
  console.log('url', page.url());
  await page.waitForTimeout(3000);
  console.log('url', page.url(), await page.locator('[data-testid="connection"]').getAttribute('data-state'));
  await page.waitForSelector('[data-testid="connection"][data-state="connected"]');
  await page.waitForSelector('section[data-section="parties"] .ProseMirror');
  console.log('sections', await page.locator('section[data-section]').evaluateAll((s) => s.map((x) => x.getAttribute('data-section'))));
  console.log('parties text:', JSON.stringify(await page.locator('section[data-section="parties"] .ProseMirror').innerText()));
  const t0 = Date.now();
  await ctx.setOffline(true);
  try {
    await page.waitForSelector('[data-testid="connection"]:not([data-state="connected"])', { timeout: 8000 });
    console.log('setOffline dropped ws after', Date.now() - t0, await page.locator('[data-testid="connection"]').getAttribute('data-state'));
  } catch { console.log('setOffline did NOT drop'); }
  await page.waitForTimeout(2000);
  console.log('state while offline', await page.locator('[data-testid="connection"]').getAttribute('data-state'));
  await ctx.setOffline(false);
  await page.waitForSelector('[data-testid="connection"][data-state="connected"]', { timeout: 15000 });
  console.log('reconnected after', Date.now() - t0);
  const r = await page.goto(app.url + '/areas/saaristo-skargard');
  console.log('other area status', r?.status());
} finally {
  await browser.close();
  await app.stop();
}
