// In a real browser: a superuser opens the admin site and ticks every row
// of the user list with the "select all" box. The filter box above a
// multiple select hides options that do not match, and a change saved
// through the form shows in the object's history. Any script error, CSP
// violation or failed request fails the test.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSite } from './harness.mjs';

function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // Blocked scripts and styles appear only as console errors. Failed image
  // loads appear there too, so the requestfailed check below handles those.
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused/.test(message.text())) {
      errors.push(message.text());
    }
  });
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

test('a superuser edits a user on the admin site', async () => {
  // Two members, then the first becomes a superuser.
  for (const name of ['Tovin Marsh', 'Kaelen Brightwater']) {
    const context = await site.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${site.site}/sso/login/`);
    await page.click(`text=${name}`);
    await page.waitForURL(`${site.site}/dashboard/`);
    await context.close();
  }
  site.sql("UPDATE users SET is_staff = 1, is_superuser = 1 WHERE id = (SELECT user_id FROM character_ownerships o " +
    "JOIN eve_characters c ON c.character_id = o.character_id WHERE c.character_name = 'Kaelen Brightwater');" +
    "UPDATE aa_data_versions SET version = version + 1 WHERE name = 'auth';");

  const context = await site.browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${site.site}/sso/login/`);
  await page.click('text=Kaelen Brightwater');
  await page.waitForURL(`${site.site}/dashboard/`);

  await page.goto(`${site.site}/admin/`);
  await page.click('a:text-is("users")');
  await page.waitForURL(/\/admin\/auth\/user\/$/);
  const rows = page.locator('input.aa-admin-select-row');
  assert.equal(await rows.count(), 2);
  await page.check('input.aa-admin-select-all');
  for (const row of await rows.all()) assert.equal(await row.isChecked(), true);

  await page.click('a:text-is("Tovin_Marsh")');
  await page.waitForURL(/\/admin\/auth\/user\/\d+\/change\/$/);
  // Typing in the filter box hides the permissions that do not match.
  const visible = () => page.locator('#id_user_permissions option:not([hidden])').count();
  const all = await visible();
  await page.fill('input[data-filter-for=id_user_permissions]', 'view_user');
  assert.equal(await visible(), 1);
  assert.ok(all > 1);
  await page.selectOption('#id_user_permissions', 'auth.view_user');
  await page.fill('#id_email', 'tovin@example.com');
  await page.check('#id_is_staff');
  await Promise.all([
    page.waitForURL(/\/admin\/auth\/user\/$/, { waitUntil: 'domcontentloaded' }),
    page.click('button[name=_save]'),
  ]);
  assert.match(await page.textContent('body'), /was changed successfully/);

  await page.click('a:text-is("Tovin_Marsh")');
  await page.click('text=History');
  const history = await page.textContent('table');
  assert.match(history, /Email address: from/);
  assert.match(history, /Staff status: from “No” to “Yes”/);
  assert.match(history, /User permissions: added “auth\.view_user/);
  assert.equal(site.sql("SELECT is_staff FROM users WHERE email = 'tovin@example.com'"), '1');
  assert.deepEqual(errors, []);
  await context.close();
});
