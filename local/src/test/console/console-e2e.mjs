// Drives the web console in Debian's headless Chromium, as a person would, against a running
// local-mode platform that ConsoleEndToEndTest prepared. Prints one "ok <step>" line per step and
// "console e2e: all steps ok" at the end; exits 1 with the reason at the first step that fails.
//
// Environment: CONSOLE_URL (the API's base URL), SLIPWAY_USER, SLIPWAY_PASSWORD, CHROMIUM (the
// browser), SCREENSHOTS (a folder), FAILED_PUSH (a push whose build failed printing HOSTILE),
// HOSTILE (the hostile text), SITE_ARCHIVE (a .tar.gz to push while the page looks on), LIVE_APP,
// SUBSCRIPTION (a webhook subscription with deliveries).

import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const env = (name) => {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
};
const base = env('CONSOLE_URL').replace(/\/$/, '');
const user = env('SLIPWAY_USER');
const password = env('SLIPWAY_PASSWORD');
const shots = env('SCREENSHOTS');
const hostile = env('HOSTILE');
const basic = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
mkdirSync(shots, { recursive: true });

const problems = [];
let shot = 0;

function check(condition, what) {
  if (!condition) {
    throw new Error(`check failed: ${what}`);
  }
}

async function screenshot(page, name) {
  shot += 1;
  await page.screenshot({ path: join(shots, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
}

/** The API as a script calls it (HTTP Basic): how a push starts while the page is open. */
async function api(method, path, body, headers = {}) {
  const response = await fetch(base + path, { method, body, headers: { Authorization: basic, ...headers } });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} ${path}: ${response.status} ${text}`);
  }
  return text ? JSON.parse(text) : null;
}

async function pushSource(app, archive) {
  const form = new FormData();
  form.append('file', new Blob([readFileSync(archive)]), 'site.tar.gz');
  const stored = await api('POST', `/api/v1/namespaces/workspace/applications/${app}/store`, form);
  const staged = await api('POST', `/api/v1/namespaces/workspace/applications/${app}/stage`,
    JSON.stringify({ blobuid: stored.blobuid }), { 'Content-Type': 'application/json' });
  return staged.stage.id;
}

/** The timeline as drawn right now: "stage:state" for each stage. */

const browser = await chromium.launch({
  executablePath: env('CHROMIUM'),
  // the machine may have no network at all: no background connections of the browser's own
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  timeout: 60_000,
});
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.setDefaultTimeout(60_000);
  // anything the policy refused or any script error is a failure of the console
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource: the server responded with a status of 4/.test(message.text())) {
      problems.push(`console error: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`a dialog opened: ${dialog.message()}`);
    dialog.dismiss();
  });

  // 1. log in
  const response = await page.goto(`${base}/`);
  check(page.url().endsWith('/console/'), `/ leads to the console, was ${page.url()}`);
  check(response.headers()['content-security-policy']?.includes("script-src 'self'"), 'the page has the policy');
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', 'wrong password');
  await page.click('button[type=submit]');
  await page.waitForSelector('.login .error:has-text("unauthorized")');
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('#nav:not([hidden])');
  console.log('ok login (a wrong password is refused, the right one opens the console)');

  // 2. the apps with their state and URLs
  const liveApp = env('LIVE_APP');
  const row = page.locator('tr', { has: page.locator(`a[href="#/apps/workspace/${liveApp}"]`) });
  await row.locator('.state-running').waitFor();
  const url = await row.locator('a[target=_blank]').getAttribute('href');
  check(new RegExp(`^http://${liveApp}\\.localhost:\\d+/?$`).test(url ?? ''), `the app's URL is a link, was ${url}`);
  await screenshot(page, 'apps');
  console.log(`ok apps (${liveApp} running at ${url})`);

  // 3. a push drawn live: started through the API while the app's page is open
  await page.click(`a[href="#/apps/workspace/${liveApp}"]`);
  await page.waitForSelector('h2:has-text("Pushes")');
  const pushId = await pushSource(liveApp, env('SITE_ARCHIVE'));
  // every state the timeline passes through, recorded in the page as it is drawn (none is missed between samples)
  await page.evaluate(() => {
    window.timelinesSeen = [];
    const record = () => {
      const now = [...document.querySelectorAll('#timeline > li')]
        .map((item) => `${item.dataset.stage}:${item.className.replace('stage-', '')}`).join(' ');
      if (window.timelinesSeen[window.timelinesSeen.length - 1] !== now) {
        window.timelinesSeen.push(now);
      }
    };
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await page.evaluate((id) => { location.hash = `#/pushes/${id}`; }, pushId);
  await page.waitForFunction(() => window.timelinesSeen.some((timeline) => timeline.includes('routing:done')),
    null, { timeout: 120_000 }).catch(() => {});
  const seen = (await page.evaluate(() => window.timelinesSeen)).filter((timeline) => timeline !== '');
  check(seen[seen.length - 1]?.includes('routing:done'), `the push came online, timelines seen: ${seen.join(' | ')}`);
  // a stage drawn as running, then the push online, without a reload: the events came while the page looked on
  check(seen.some((timeline) => timeline.includes(':active')),
    `the timeline was drawn while the push ran, timelines seen: ${seen.join(' | ')}`);
  await page.waitForSelector('#live:has-text("ended")');
  const durations = await page.$$eval('#timeline .duration', (items) => items.map((item) => item.textContent));
  check(durations.length >= 3 && durations.every((text) => /\d+\.\d s|min/.test(text)), `every stage has a duration: ${durations}`);
  check(await page.locator('#urls a[target=_blank]').count() === 1, 'the new URL is shown');
  // a push that ended online has nothing to replay unless a stage is named (the API would answer 409)
  check(await page.locator('#replay').isDisabled(), 'replay is off for a push that ended online');
  const whyOff = await page.getAttribute('#replay', 'title');
  check(/did not fail/.test(whyOff ?? ''), `the replay button says why it is off: ${whyOff}`);
  await page.selectOption('#replay-stage', 'routing');
  check(await page.locator('#replay').isEnabled(), 'naming a stage turns replay on');
  await page.selectOption('#replay-stage', '');
  check(await page.locator('#replay').isDisabled(), 'and the failed stage alone turns it off again');
  await screenshot(page, 'push-live');
  console.log(`ok live push ${pushId} (${seen.length} timelines drawn: ${seen.join(' | ')})`);

  // 4. a failed push: reason, message with the next step, the build log with a hostile line as text
  const failedPush = env('FAILED_PUSH');
  await page.evaluate((id) => { location.hash = `#/pushes/${id}`; }, failedPush);
  await page.waitForSelector('#failure .reason');
  const reason = await page.textContent('#failure .reason');
  check(reason === 'BUILD_FAILED', `the reason code is shown, was ${reason}`);
  const next = await page.textContent('#failure .next');
  check(next.includes('Next step') && next.includes('Replay'), `the next step is shown: ${next}`);
  await page.waitForSelector('#live:has-text("ended")');
  check(await page.locator('#replay').isEnabled(), 'replay is on for a failed push');
  const log = await page.textContent('#log');
  check(log.includes(hostile), `the hostile build log line is shown as text; log: ${log}`);
  check(await page.locator('img').count() === 0, 'no <img> was made from data');
  check(await page.evaluate(() => window.slipwayPwned === undefined && document.title === 'Slipway console'),
    'the hostile handler did not run');
  await screenshot(page, 'push-failed');
  console.log(`ok failed push ${failedPush} (${reason}, next step shown, hostile line shown as text)`);

  // 5. replay: the failed stage runs again, drawn in the same timeline, and fails again
  await page.click('#replay');
  await page.waitForSelector('#replay-status:has-text("Replay of stage staging issued")');
  await page.waitForSelector('#timeline li[data-stage=staging] .notes li:has-text("replay of")');
  await page.waitForSelector('#live:has-text("ended")');
  await page.waitForSelector('#failure .reason');
  check(await page.locator('img').count() === 0, 'still no <img> after the replay');
  await screenshot(page, 'push-replayed');
  console.log('ok replay (a new staging request, replay of the failed one, followed live)');

  // 6. rollback from the app's page: a new push, shown and followed
  await page.evaluate((app) => { location.hash = `#/apps/workspace/${app}`; }, liveApp);
  await page.click('#rollback');
  await page.waitForURL((target) => /#\/pushes\//.test(target.hash) && !target.hash.includes(pushId));
  const rollbackId = decodeURIComponent(new URL(page.url()).hash.replace('#/pushes/', ''));
  await page.waitForSelector('#timeline li[data-stage=routing].stage-done');
  check((await page.textContent('#timeline li[data-stage=deploy]')).includes('rollback requested'),
    'the deploy stage says rollback');
  await screenshot(page, 'rollback');
  console.log(`ok rollback (new push ${rollbackId} online)`);

  // 7. webhook subscriptions and their deliveries
  const subscription = env('SUBSCRIPTION');
  await page.click('nav a[href="#/webhooks"]');
  await page.click(`a[href="#/webhooks/${subscription}"]`);
  await page.waitForSelector('td:has-text("dev.slipway.routes.ready.v1")');
  check(await page.locator('td .state-delivered').count() >= 1, 'a delivered delivery is shown');
  await screenshot(page, 'deliveries');
  console.log('ok deliveries');

  // 8. log out: the data is gone and the API refuses the old session
  await page.click('#logout');
  await page.waitForSelector('.login');
  const after = await page.evaluate(async () => (await fetch('/api/v1/applications')).status);
  check(after === 401, `the session ended, the API answered ${after}`);
  console.log('ok logout');

  check(problems.length === 0, `no script error or refused resource: ${problems.join('; ')}`);
  console.log('console e2e: all steps ok');
} catch (error) {
  console.log(`FAILED: ${error.message}`);
  if (problems.length > 0) {
    console.log(`problems seen: ${problems.join('; ')}`);
  }
  try {
    const pages = browser.contexts().flatMap((context) => context.pages());
    if (pages.length > 0) {
      await pages[0].screenshot({ path: join(shots, 'failure.png'), fullPage: true });
    }
  } catch {
    // the screenshot is a help, not the result
  }
  process.exitCode = 1;
} finally {
  await browser.close();
}
