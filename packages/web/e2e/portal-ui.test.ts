// End-to-end: the built UI (dist/) served by a real portal, driven in Debian's Chromium.
// The flows share one portal and run in order: each step builds on what the previous one did,
// and the last one reads all of it back from the audit log.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type {
  AuditAction,
  PersonalAccessToken,
  StreamingTokens,
  Topic,
  Workspace,
} from '@streamgate/contract';
import type { Browser, Page } from 'playwright-core';
import { ApiSession, statusWithBearer } from './support/api.ts';
import { seriousViolations } from './support/axe.ts';
import { DESKTOP, launchBrowser, openPage, PHONE, type TestPage } from './support/browser.ts';
import { ensureDist } from './support/build.ts';
import { type PortalUnderTest, startPortal } from './support/portal.ts';
import { screenshot } from './support/screenshots.ts';

const WS = 'e2e-demo';
let OTHER_WS = '';
const VIEWER = { email: 'viewer@e2e.example', password: 'viewer-password-e2e-1', name: 'Vera Viewer' };
const SERVICE = 'e2e-orders-service';

let portal: PortalUnderTest;
let browser: Browser;
let admin: ApiSession;
let ui: TestPage;
const performed = new Set<AuditAction>(['auth.login', 'user.create']);

async function accessible(page: Page, what: string): Promise<void> {
  assert.deepEqual(await seriousViolations(page), [], `accessibility of ${what}`);
}

async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Whether any part of the element is inside the viewport (a collapsed drawer sits left of it). */
async function onScreen(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).boundingBox();
  const width = page.viewportSize()?.width ?? 0;
  return box !== null && box.x + box.width > 0 && box.x < width;
}

async function tokensViaApi(session: ApiSession): Promise<StreamingTokens> {
  return session.json<StreamingTokens>('GET', `/workspaces/${WS}/streaming-tokens`);
}

describe('Streamgate web UI against the real portal', () => {
  before(async () => {
    ensureDist();
    portal = await startPortal();
    browser = await launchBrowser();
    admin = await ApiSession.login(portal.url, portal.adminEmail, portal.adminPassword);
    const existing = await admin.json<Workspace[]>('GET', '/workspaces');
    assert.ok(existing[0], 'a fresh portal starts with a workspace');
    assert.ok(!existing.some((w) => w.workspaceId === WS), 'the tests need a fresh portal');
    OTHER_WS = existing[0].workspaceId;
    await admin.json('POST', '/users', { ...VIEWER, role: 'Viewer' });
    ui = await openPage(browser, portal.url, DESKTOP);
  });

  // A failed step may leave a dialog open; close it so that the next step starts clean.
  afterEach(async () => {
    for (let i = 0; i < 3 && (await ui?.page.getByRole('dialog').count()) > 0; i++) {
      await ui.page.keyboard.press('Escape');
      await ui.page
        .getByRole('dialog')
        .first()
        .waitFor({ state: 'hidden', timeout: 2000 })
        .catch(() => {});
    }
  });

  after(async () => {
    await browser?.close();
    await portal?.stop();
  });

  it('serves the app under /ui/ and sends an unknown user to the login', async () => {
    const { page } = ui;
    const res = await page.goto('/');
    await page.waitForURL(/\/ui\/login\?next=/);
    // The CSP checks in these tests mean something only if the portal sends one.
    assert.match(res?.headers()['content-security-policy'] ?? '', /script-src 'self'(;|$)/);
    await page.getByRole('heading', { name: 'Log in to the Portal' }).waitFor();
    await accessible(page, 'login');
    await screenshot(page, 'login');
  });

  it('refuses a wrong password and says so', async () => {
    const { page } = ui;
    await logIn(page, portal.adminEmail, 'not-the-password');
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password' }).waitFor();
    performed.add('auth.login_failed');
  });

  it('logs in, lands in a workspace and creates another one from the navigation', async () => {
    const { page } = ui;
    await logIn(page, portal.adminEmail, portal.adminPassword);
    // The first workspace the admin can see (a fresh portal has one).
    await page.waitForURL(new RegExp(`/ui/${OTHER_WS}/settings/tokens$`));
    await page.getByRole('button', { name: 'New workspace' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a workspace' });
    await dialog.getByLabel('Name').fill('E2E demo');
    assert.equal(
      await dialog.getByLabel('Workspace id').inputValue(),
      WS,
      'the id is suggested from the name',
    );
    await accessible(page, 'create workspace dialog');
    await screenshot(page, 'workspace-create');
    await dialog.getByRole('button', { name: 'Create workspace' }).click();
    await page.waitForURL(new RegExp(`/ui/${WS}/settings/tokens$`));
    await page.getByRole('tab', { name: 'Streaming Tokens', selected: true }).waitFor();
    performed.add('workspace.create');
  });

  it('switches workspace and keeps the section', async () => {
    const { page } = ui;
    const switcher = page.getByRole('combobox', { name: 'Workspace' });
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Local development' })
      .click();
    await page.waitForURL(new RegExp(`/ui/${WS}/local-development$`));
    await switcher.click();
    await page.getByRole('option', { name: new RegExp(`\\(${OTHER_WS}\\)$`) }).click();
    await page.waitForURL(new RegExp(`/ui/${OTHER_WS}/local-development$`));
    // The switcher shows the workspace of the address.
    await page
      .getByRole('combobox', { name: 'Workspace' })
      .and(page.locator(`[value$="(${OTHER_WS})"]`))
      .waitFor();
    await switcher.click();
    await page.getByRole('option', { name: new RegExp(`\\(${WS}\\)$`) }).click();
    await page.waitForURL(new RegExp(`/ui/${WS}/local-development$`));
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'APIs and tokens' })
      .click();
    await page.getByRole('tab', { name: 'Streaming Tokens', selected: true }).waitFor();
    performed.add('streaming_tokens.view');
  });

  it('shows both streaming tokens masked, reveals and copies Token 1', async () => {
    const { page } = ui;
    // The first Tab stop skips the header and the navigation.
    await page.reload();
    await page.getByRole('tab', { name: 'Streaming Tokens', selected: true }).waitFor();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    assert.equal(await skip.evaluate((el) => el === document.activeElement), true);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'main-content');
    const api = await tokensViaApi(admin);
    assert.ok(api.token1.value && api.token2.value, 'an Admin gets the values');
    const shown = page.getByTestId('token-1-value');
    assert.ok(!(await shown.textContent())?.includes(api.token1.value), 'masked before reveal');
    await page.getByText('These tokens never expire').waitFor();
    await accessible(page, 'streaming tokens');
    await screenshot(page, 'streaming-tokens');

    // The page holds no values: revealing fetches them (an audited view), so wait for it.
    await page.getByRole('button', { name: 'Reveal Token 1' }).click();
    await shown.filter({ hasText: api.token1.value }).waitFor();
    assert.equal(await shown.textContent(), api.token1.value);
    await page.getByRole('button', { name: 'Copy Token 1' }).click();
    await page.getByRole('button', { name: 'Copy Token 1' }).locator('svg').first().waitFor();
    const clipboard = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(clipboard, api.token1.value);
  });

  it('warns in the rotation dialog that Token 1 is in use, by which client', async () => {
    const { page } = ui;
    const before = await tokensViaApi(admin);
    // A service uses Token 1 against the API; usage is written in batches, so wait for it.
    const res = await fetch(`${portal.url}/workspaces/${WS}`, {
      headers: {
        authorization: `Bearer ${before.token1.value}`,
        'x-deployment-id': SERVICE,
        'user-agent': 'e2e-service/1.0',
      },
    });
    assert.equal(res.status, 200);
    let seen = false;
    for (let i = 0; i < 60 && !seen; i++) {
      const now = await tokensViaApi(admin);
      seen = now.token1.recentClients.some((c) => c.deploymentId === SERVICE);
      if (!seen) await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(seen, 'the portal records which client used Token 1');

    await page.reload();
    // Keyboard only: focus the link, Enter opens the dialog, Escape closes it, Enter again.
    await page.getByRole('button', { name: 'Rotate them' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Rotating streaming tokens' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.keyboard.press('Enter');
    // The portal's verdict, shown as it is given: in use, and by which client.
    const warning = dialog.getByTestId('rotation-verdict').filter({ hasText: 'Token 1 is in use' });
    await warning.getByText(SERVICE).waitFor();
    // Three ways to rotate, side by side.
    await dialog.getByRole('radio', { name: 'Zero downtime' }).waitFor();
    await dialog.getByRole('radio', { name: 'Rotate, then restart deployments' }).waitFor();
    await accessible(page, 'rotation dialog');
    await screenshot(page, 'rotate-dialog');
    await dialog.getByRole('radio', { name: 'Rotate only' }).click();
    await dialog.getByText('Rotates now. Any client still on Token 1 is refused').waitFor();
    assert.equal(
      await dialog.getByRole('button', { name: 'Rotate tokens' }).isDisabled(),
      true,
      'needs confirmation',
    );
  });

  it('explains a lost race (409) and refreshes, then rotates as Admin', async () => {
    const { page } = ui;
    const dialog = page.getByRole('dialog', { name: 'Rotating streaming tokens' });
    await page.getByRole('button', { name: 'Rotate them' }).click();
    await dialog.waitFor();
    // Someone else rotates while the dialog is open.
    const stale = await admin.call('GET', `/workspaces/${WS}/streaming-tokens`);
    const etag = stale.headers.get('etag');
    assert.ok(etag, 'GET streaming-tokens sends an ETag');
    await stale.arrayBuffer();
    const other = await admin.call('POST', `/workspaces/${WS}/streaming-tokens/rotate`, undefined);
    assert.equal(other.status, 428, 'rotation without If-Match is refused');
    await other.arrayBuffer();
    const race = await fetchRotate(etag);
    assert.equal(race, 200);
    performed.add('streaming_tokens.rotate');

    await dialog.getByRole('radio', { name: 'Rotate only' }).click();
    await dialog.getByLabel(/Type the workspace id/).fill(WS);
    await dialog.getByRole('button', { name: 'Rotate tokens' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Someone else rotated first' }).waitFor();

    // The dialog now shows the current pair; rotate it for real.
    const current = await tokensViaApi(admin);
    await dialog.getByLabel(/Type the workspace id/).focus();
    await page.keyboard.type(WS);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });

    assert.equal(
      await statusWithBearer(portal.url, `/workspaces/${WS}`, current.token1.value!),
      401,
      'old Token 1 is refused',
    );
    assert.equal(
      await statusWithBearer(portal.url, `/workspaces/${WS}`, current.token2.value!),
      200,
      'old Token 2 still works',
    );
    await page.getByRole('button', { name: 'Reveal Token 1' }).click();
    await page.getByTestId('token-1-value').filter({ hasText: current.token2.value! }).waitFor();
    assert.equal(
      await page.getByTestId('token-1-value').textContent(),
      current.token2.value,
      'Token 2 took the place of Token 1',
    );
  });

  it('lets a Viewer see usage but neither token values nor the rotation', async () => {
    const viewer = await openPage(browser, portal.url, DESKTOP);
    const { page } = viewer;
    await page.goto(`/ui/${WS}/settings/tokens`);
    await page.waitForURL(/\/ui\/login/);
    await logIn(page, VIEWER.email, VIEWER.password);
    await page.waitForURL(new RegExp(`/ui/${WS}/settings/tokens$`));
    await page
      .getByTestId('values-hidden')
      .getByText('Only the Admin, Manager and Editor roles may view token values')
      .waitFor();
    assert.equal(await page.getByRole('button', { name: 'Reveal Token 1' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Rotate them' }).isDisabled(), true);
    await page.getByText('only Admins of this workspace can rotate').waitFor();
    const values = await tokensViaApi(admin);
    const html = await page.content();
    assert.ok(
      !html.includes(values.token1.value!) && !html.includes(values.token2.value!),
      'no token value in the page',
    );
    await accessible(page, 'streaming tokens as Viewer');
    await screenshot(page, 'streaming-tokens-viewer');

    // A Viewer may not read members: the page says which role is needed.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click();
    await page.getByText('Only Admins and Managers of this workspace can see its members').waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'You do not have access' })
      .getByText('Only Admins can read the audit log')
      .waitFor();
    await accessible(page, 'audit log as Viewer (403)');
    await viewer.context.close();
    assert.deepEqual(viewer.problems, []);
  });

  it('creates a personal access token that works, then revokes it', async () => {
    const { page } = ui;
    await page.getByRole('tab', { name: 'Personal Access Tokens' }).click();
    await page.waitForURL(/\/settings\/tokens\/personal$/);
    await page.getByText('No personal access tokens yet').waitFor();
    await accessible(page, 'personal access tokens (empty)');
    await page.getByRole('button', { name: 'Generate token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Generate a personal access token' });
    await dialog.getByLabel('Name').fill('e2e-script');
    await dialog.getByText('90 days').click();
    await dialog.getByLabel('Read-only').check();
    await accessible(page, 'generate token dialog');
    await screenshot(page, 'pat-generate');
    await dialog.getByRole('button', { name: 'Generate token' }).click();

    const created = page.getByRole('dialog', { name: 'Token generated' });
    await created.getByText("you won't see it again").waitFor();
    const token = await created.getByTestId('new-pat-value').inputValue();
    assert.match(token, /\S{20,}/);
    await screenshot(page, 'pat-created');
    performed.add('pat.create');
    assert.equal(await statusWithBearer(portal.url, '/workspaces', token), 200, 'the new PAT works');
    await created.getByRole('button', { name: 'I have copied it' }).click();

    const row = page.getByTestId('pat-row').filter({ hasText: 'e2e-script' });
    await row.getByText('Read-only').waitFor();
    await accessible(page, 'personal access tokens');
    await screenshot(page, 'personal-access-tokens');
    await row.getByRole('button', { name: 'Revoke e2e-script' }).click();
    await page
      .getByRole('dialog', { name: 'Revoke token?' })
      .getByRole('button', { name: 'Revoke token' })
      .click();
    await row.getByText('Revoked', { exact: true }).waitFor();
    assert.equal(await row.getByRole('button', { name: 'Revoke e2e-script' }).count(), 0);
    performed.add('pat.revoke');
    assert.equal(await statusWithBearer(portal.url, '/workspaces', token), 401, 'the revoked PAT is refused');
  });

  it('narrows a PAT to one workspace with a custom expiry date', async () => {
    const { page } = ui;
    await page.getByRole('button', { name: 'Generate token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Generate a personal access token' });
    await dialog.getByLabel('Name').fill('e2e-narrow');
    await dialog.getByText('Custom date').click();
    await dialog.getByLabel('Expiry date').click();
    // The 15th two months on: within a year whatever today is. The calendar opens on the month of
    // the earliest allowed day (tomorrow: next month already on a month's last day), so page on
    // until that day shows.
    const now = new Date();
    const target = new Date(now.getFullYear(), now.getMonth() + 2, 15);
    const label = `15 ${target.toLocaleString('en-GB', { month: 'long' })} ${target.getFullYear()}`;
    const day = page.getByRole('button', { name: label, exact: true });
    for (let pages = 0; pages < 3 && (await day.count()) === 0; pages++) {
      await page.getByRole('button', { name: 'Next month' }).click();
    }
    await accessible(page, 'custom expiry calendar');
    await day.click();
    await dialog.getByRole('combobox', { name: 'Workspaces' }).click();
    await page.getByRole('option', { name: WS, exact: true }).click();
    await page.keyboard.press('Escape');
    await dialog.getByRole('button', { name: 'Generate token' }).click();
    const created = page.getByRole('dialog', { name: 'Token generated' });
    const token = await created.getByTestId('new-pat-value').inputValue();
    await created.getByRole('button', { name: 'I have copied it' }).click();

    const pats = await admin.json<PersonalAccessToken[]>('GET', '/profile/tokens');
    const pat = pats.find((p) => p.name === 'e2e-narrow');
    assert.deepEqual(pat?.workspaces, [WS]);
    const expires = new Date(pat!.expiresAt);
    assert.equal(
      expires.getUTCDate() === 15 || expires.getUTCDate() === 16,
      true,
      `expires on the 15th (${pat!.expiresAt})`,
    );
    assert.equal(await statusWithBearer(portal.url, `/workspaces/${WS}`, token), 200);
    const other = await statusWithBearer(portal.url, `/workspaces/${OTHER_WS}`, token);
    assert.ok(other === 403 || other === 404, `the PAT does not reach ${OTHER_WS} (${other})`);
  });

  it('changes a member role in place and resets it to the inherited one', async () => {
    const { page } = ui;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click();
    const row = page.getByTestId('member-row').filter({ hasText: VIEWER.email });
    await row.getByText('Viewer', { exact: true }).first().waitFor();
    await accessible(page, 'members');
    await row.getByRole('combobox', { name: `Workspace role of ${VIEWER.name}` }).click();
    await page.getByRole('option', { name: 'Editor', exact: true }).click();
    await row.getByRole('button', { name: 'Reset to inherited' }).waitFor();
    await row.locator('.mantine-Badge-root', { hasText: 'Editor' }).waitFor();
    performed.add('member.set');
    await screenshot(page, 'members');
    await row.getByRole('button', { name: 'Reset to inherited' }).click();
    await row.getByRole('button', { name: 'Reset to inherited' }).waitFor({ state: 'detached' });
    await row.locator('.mantine-Badge-root', { hasText: 'Viewer' }).waitFor();
    performed.add('member.remove');
  });

  it('offers a retry when the portal cannot be reached', async () => {
    const { page } = ui;
    // The browser loses the connection for this one request; the portal itself is fine.
    await page.route('**/workspaces/*/members', (route) => route.abort('internetdisconnected'));
    await page.reload();
    const alert = page.getByRole('alert').filter({ hasText: 'Cannot reach the portal' });
    await alert.waitFor();
    await page.unroute('**/workspaces/*/members');
    await alert.getByRole('button', { name: 'Retry' }).click();
    await page.getByTestId('member-row').filter({ hasText: VIEWER.email }).waitFor();
    assert.equal(await alert.count(), 0);
  });

  it('shows the .env lines with Token 2 and the client examples', async () => {
    const { page } = ui;
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Local development' })
      .click();
    const env = page.getByTestId('env-lines');
    await env.waitFor();
    const tokens = await tokensViaApi(admin);
    assert.equal(
      await env.textContent(),
      `Quix__Sdk__Token=${tokens.token2.value}\nQuix__Portal__Api=${portal.url}\nQuix__Workspace__Id=${WS}`,
    );
    await page.getByText("getTopicProducer('orders')").waitFor();
    await page.getByRole('tab', { name: 'Python' }).click();
    await page.getByText('from quixstreams import Application').waitFor();
    await page.getByRole('tab', { name: 'TypeScript' }).click();
    await accessible(page, 'local development');
    await screenshot(page, 'local-development');
  });

  it('goes back to the login when the session ends, then back to the same page', async () => {
    const { page, context } = ui;
    await context.clearCookies();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Topics' }).click();
    await page.waitForURL(/\/ui\/login\?next=/);
    await logIn(page, portal.adminEmail, portal.adminPassword);
    await page.waitForURL(new RegExp(`/ui/${WS}/topics$`));
    await page.getByRole('heading', { name: 'Topics', level: 1 }).waitFor();
  });

  it('creates a topic with its configuration, then deletes it', async (t) => {
    if (!portal.kafka) return t.skip('E2E_KAFKA=0: no broker behind the portal');
    const { page } = ui;
    await page.getByText('No topics yet').waitFor();
    await accessible(page, 'topics (empty)');
    await page.getByRole('button', { name: 'Create topic' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create a topic' });
    await dialog.getByLabel('Name').fill('orders');
    await dialog.getByLabel('Partitions').fill('3');
    await dialog.getByLabel('Replication factor').fill('1');
    await dialog.getByLabel('Retention (minutes)').fill('1440');
    await dialog.getByRole('combobox', { name: 'Cleanup policy' }).click();
    await page.getByRole('option', { name: 'Compact', exact: true }).click();
    await accessible(page, 'create topic dialog');
    await screenshot(page, 'topic-create');
    await dialog.getByRole('button', { name: 'Create topic' }).click();
    await dialog.waitFor({ state: 'hidden' });
    performed.add('topic.create');

    const row = page.getByTestId('topic-row').filter({ hasText: `${WS}-orders` });
    await row.getByText('Ready', { exact: true }).waitFor({ timeout: 60_000 });
    await row.getByText('Compact', { exact: true }).waitFor();
    const topic = await admin.json<Topic>('GET', `/${WS}/topics/orders`);
    assert.equal(topic.configuration.partitions, 3);
    assert.equal(topic.configuration.retentionInMinutes, 1440);
    // A second one, so that the list and the delete are both seen.
    await page.getByRole('button', { name: 'Create topic' }).first().click();
    await dialog.getByLabel('Name').fill('payments');
    await dialog.getByRole('button', { name: 'Create topic' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page
      .getByTestId('topic-row')
      .filter({ hasText: `${WS}-payments` })
      .getByText('Ready', { exact: true })
      .waitFor({ timeout: 60_000 });
    await accessible(page, 'topics');
    await screenshot(page, 'topics');

    await page.getByRole('button', { name: 'Delete topic payments' }).click();
    await page
      .getByRole('dialog', { name: 'Delete topic?' })
      .getByRole('button', { name: 'Delete topic' })
      .click();
    await page
      .getByTestId('topic-row')
      .filter({ hasText: `${WS}-payments` })
      .waitFor({ state: 'detached', timeout: 60_000 });
    const gone = await admin.call('GET', `/${WS}/topics/payments`);
    await gone.arrayBuffer();
    assert.equal(gone.status, 404);
    performed.add('topic.delete');
  });

  it('says plainly when the broker is down (503), with the correlation id', async (t) => {
    if (!portal.kafka) return t.skip('E2E_KAFKA=0: no broker to stop');
    const { page } = ui;
    await portal.stopKafka();
    await page.getByRole('button', { name: 'Create topic' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create a topic' });
    await dialog.getByLabel('Name').fill('invoices');
    await dialog.getByRole('button', { name: 'Create topic' }).click();
    const alert = dialog.getByRole('alert').filter({ hasText: 'Service unavailable' });
    await alert
      .getByText('The Kafka broker cannot be reached right now, so no topic can be created')
      .waitFor();
    await alert.getByText('Correlation id').waitFor();
    await accessible(page, 'create topic while the broker is down');
    await screenshot(page, 'topics-broker-unavailable');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(
      await page
        .getByTestId('topic-row')
        .filter({ hasText: `${WS}-invoices` })
        .count(),
      0,
    );
  });

  it('reads every action above back from the audit log', async () => {
    const { page } = ui;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByTestId('audit-row').first().waitFor();
    await accessible(page, 'audit log');
    await screenshot(page, 'audit-log');
    for (const action of performed) {
      await page.goto(`/ui/${WS}/audit?workspace=*&action=${encodeURIComponent(action)}`);
      const rows = page.getByTestId('audit-row');
      await rows.or(page.getByText('No entries match')).first().waitFor();
      const actions = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
      assert.ok(actions.length > 0 && actions.every((a) => a === action), `audit entries for ${action}`);
    }
    // Paging with `before`: more views than one page holds, then "Load older entries".
    for (let i = 0; i < 55; i++) await tokensViaApi(admin);
    await page.goto(`/ui/${WS}/audit?action=streaming_tokens.view`);
    const rows = page.getByTestId('audit-row');
    await rows.first().waitFor();
    const firstPage = await rows.count();
    await page.getByRole('button', { name: 'Load older entries' }).click();
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="audit-row"]').length > n,
      firstPage,
    );
    const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    assert.equal(new Set(ids).size, ids.length, 'no entry twice across pages');
    assert.ok(ids.length > 55, `both pages are listed (${ids.length})`);

    // The actor filter narrows to one person.
    await page.goto(`/ui/${WS}/audit?workspace=*&actor=${encodeURIComponent(VIEWER.email)}`);
    await page.getByTestId('audit-row').first().waitFor();
    const labels = await page
      .getByTestId('audit-row')
      .evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    assert.ok(labels.every((l) => l.includes(VIEWER.email)));
  });

  it('works on a 390 px phone with a collapsible navigation', async () => {
    const phone = await openPage(browser, portal.url, PHONE);
    const { page } = phone;
    await page.goto(`/ui/${WS}/settings/tokens`);
    await logIn(page, portal.adminEmail, portal.adminPassword);
    await page.getByRole('tab', { name: 'Streaming Tokens', selected: true }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    assert.equal(await onScreen(page, '#main-navigation'), false, 'the navigation starts collapsed');
    assert.equal(
      await page.locator('#main-navigation').getAttribute('inert'),
      '',
      'and out of the tab order',
    );
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px too wide)`);
    await accessible(page, 'streaming tokens on a phone');
    await screenshot(page, 'phone-streaming-tokens');
    await page.getByRole('button', { name: 'Open navigation' }).click();
    await nav.waitFor({ state: 'visible' });
    await page.waitForFunction(
      () => (document.querySelector('#main-navigation')?.getBoundingClientRect().left ?? -1) >= 0,
    );
    await screenshot(page, 'phone-navigation');
    await nav.getByRole('link', { name: 'Topics' }).click();
    await page.getByRole('heading', { name: 'Topics', level: 1 }).waitFor();
    await page.waitForFunction(
      () => (document.querySelector('#main-navigation')?.getBoundingClientRect().right ?? 1) <= 0,
    );
    assert.equal(
      await onScreen(page, '#main-navigation'),
      false,
      'the navigation closes after choosing a page',
    );
    // Tables become stacked rows on a phone.
    await page.goto(`/ui/${WS}/audit?action=topic.create`);
    await page.getByTestId('audit-row').first().waitFor();
    await accessible(page, 'audit log on a phone');
    const overflowAudit = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflowAudit <= 0, `no horizontal scrolling on the audit log (${overflowAudit}px too wide)`);
    await screenshot(page, 'phone-audit-log');
    await phone.context.close();
    assert.deepEqual(phone.problems, []);
  });

  it('had no page errors and no CSP violations', () => {
    assert.deepEqual(ui.problems, []);
  });
});

async function fetchRotate(etag: string): Promise<number> {
  const res = await admin.call('POST', `/workspaces/${WS}/streaming-tokens/rotate`, undefined, {
    'if-match': etag,
  });
  await res.arrayBuffer();
  return res.status;
}
