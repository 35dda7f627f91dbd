// In a real browser: a sample character logs in through the emulator's
// login page, lands on the dashboard with the Timerboard in the sidebar, and
// a timer created with the form shows a live countdown.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSite } from './harness.mjs';

// Script errors and failed requests, except images from the EVE image
// server, which this offline machine cannot reach.
function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => {
    if (!request.url().startsWith('https://images.evetech.net/')) errors.push(`failed ${request.url()}`);
  });
  return errors;
}

let site;
before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.stop();
});

test('a sample character logs in and sees the dashboard', async () => {
  const page = await site.browser.newPage();
  const errors = watchErrors(page);

  await page.goto(`${site.site}/`);
  await page.click('#aa-sso-login');
  // The emulator's authorize page lists the sample characters.
  await page.click('text=Kaelen Brightwater');
  await page.waitForURL(`${site.site}/dashboard/`);

  assert.equal(await page.textContent('#aa-main-name'), 'Kaelen Brightwater');
  assert.equal(await page.textContent('#aa-state'), 'Guest');
  const menu = await page.locator('#aa-menu .nav-link').allTextContents();
  assert.deepEqual(menu.map((text) => text.trim()), ['Dashboard', 'Groups']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the timerboard is in the sidebar and shows a live countdown', async () => {
  site.sql("INSERT INTO state_permissions (state_id, permission_id) SELECT s.id, p.id FROM states s, permissions p " +
    "WHERE s.name = 'Guest' AND p.app_label = 'auth' AND p.codename IN ('timer_view', 'timer_management');" +
    "UPDATE aa_data_versions SET version = version + 1 WHERE name = 'auth';");
  const context = await site.browser.newContext({ timezoneId: 'Europe/Berlin' });
  const page = await context.newPage();
  const errors = watchErrors(page);

  await page.goto(`${site.site}/sso/login/`);
  await page.click('text=Tovin Marsh');
  await page.waitForURL(`${site.site}/dashboard/`);
  const menu = await page.locator('#aa-menu .nav-link').allTextContents();
  assert.deepEqual(menu.map((text) => text.trim()), ['Dashboard', 'Groups', 'Structure Timers']);

  await page.click('#aa-menu >> text=Structure Timers');
  await page.waitForURL(`${site.site}/timers/`, { waitUntil: 'domcontentloaded' });
  await page.goto(`${site.site}/timers/add/`);
  await page.fill('input[name=details]', 'Hostile Fortizar');
  await page.fill('input[name=system]', 'Amamake');
  await page.selectOption('select[name=structure]', 'Fortizar');
  await page.selectOption('select[name=objective]', 'Hostile');
  await page.fill('input[name=hours_left]', '2');
  await Promise.all([
    page.waitForURL(`${site.site}/timers/`, { waitUntil: 'domcontentloaded' }),
    page.click('main form button[type=submit]'),
  ]);

  const row = page.locator('tr', { hasText: 'Hostile Fortizar' });
  assert.equal(await row.count(), 1);
  // The countdown script fills in and keeps updating the remaining time.
  const first = await row.locator('.timerboard-countdown').first().textContent();
  await page.waitForTimeout(1500);
  const second = await row.locator('.timerboard-countdown').first().textContent();
  assert.match(first.trim(), /\d/);
  assert.notEqual(first, second);
  assert.deepEqual(errors, []);
  await context.close();
});
