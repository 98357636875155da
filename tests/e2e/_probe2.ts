import { startApp, launchBrowser, newContext, login } from './harness.ts';
const app = await startApp();
const browser = await launchBrowser();
try {
  const pages = [];
  for (const who of ['drafter.kajaani', 'drafter.sotkamo']) {
    const ctx = await newContext(browser, app);
    const page = await ctx.newPage();
    await login(page, `${who}@sopu.example`);
    await page.getByRole('link', { name: 'Yhteistoimintasopimus' }).click();
    await page.waitForURL(/documents/);
    page.on('websocket', (ws) => { console.log(who, 'ws open'); ws.on('close', () => console.log(who, 'ws close')); ws.on('framesent', (f) => {}); });
    await page.locator('section[data-section="parties"] .ProseMirror').waitFor();
    pages.push({ ctx, page, who });
  }
  const [a, b] = pages;
  const ed = (p: typeof a) => p.page.locator('section[data-section="parties"] .ProseMirror');
  await a.ctx.setOffline(true);
  await ed(a).click();
  await a.page.keyboard.type('OFFLINE-A ');
  await b.page.waitForTimeout(3000);
  console.log('B sees:', JSON.stringify(await ed(b).innerText()));
  console.log('A state', await a.page.locator('[data-testid="connection"]').innerText());
  await ed(b).click();
  await b.page.keyboard.type('ONLINE-B ');
  await a.page.waitForTimeout(3000);
  console.log('A sees:', JSON.stringify(await ed(a).innerText()));
  await a.ctx.setOffline(false);
  await a.page.waitForTimeout(3000);
  console.log('after online A:', JSON.stringify(await ed(a).innerText()), 'B:', JSON.stringify(await ed(b).innerText()));
} finally {
  await browser.close();
  await app.stop();
}
