// In a real browser: the unread count in the top bar follows new
// notifications without a page load, the bell leads to the list, and
// viewing a notification marks it read.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSite } from './harness.mjs';

let site;
before(async () => {
  site = await startSite({ editConfig: (yaml) => yaml.replace(/^  refresh_time: 30$/m, '  refresh_time: 1') });
});
after(async () => {
  await site?.stop();
});

test('the bell count refreshes and the notification can be read', async () => {
  const page = await site.browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));

  await page.goto(`${site.site}/sso/login/`);
  await page.click('text=Kaelen Brightwater');
  await page.waitForURL(`${site.site}/dashboard/`);
  const badge = page.locator('#aa-notifications-count');
  assert.equal(await badge.isHidden(), true);

  site.sql("INSERT INTO notifications (user_id, level, title, message, created, viewed) " +
    "SELECT user_id, 'warning', 'Fleet forming', 'Form up in Amamake <now>', 1733356800, 0 " +
    "FROM character_ownerships WHERE character_id = 2112000001;" +
    "UPDATE aa_data_versions SET version = version + 1 WHERE name = 'auth';");
  // The script fetches the count every second; no page load happens here.
  await badge.waitFor({ state: 'visible', timeout: 10000 });
  assert.equal((await badge.textContent()).trim(), '1');

  await Promise.all([page.waitForURL(`${site.site}/notifications/`), page.click('#aa-notifications')]);
  const row = page.locator('#aa-unread tr', { hasText: 'Fleet forming' });
  assert.equal(await row.count(), 1);
  if (process.env.AA_E2E_SCREENSHOT_DIR) {
    await page.screenshot({ path: `${process.env.AA_E2E_SCREENSHOT_DIR}/notifications.png` });
  }

  await Promise.all([page.waitForURL(/\/notifications\/\d+\/$/), row.locator('a[title=View]').click()]);
  assert.equal(await page.textContent('.aa-notification-message'), 'Form up in Amamake <now>');
  assert.equal(await page.locator('#aa-notifications-count').isHidden(), true);
  assert.deepEqual(errors, []);
  await page.close();
});
