// End-to-end: deployments and rotation runs in the built UI, against a real portal whose process
// runner starts real commands on this machine. No Kafka: the services here print lines, and the
// rotation run moves them between tokens. The steps run in order and build on each other.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Deployment, RotationPlan, StreamingTokens } from '@streamgate/contract';
import type { Browser, Locator, Page, Request } from 'playwright-core';
import { ApiSession, statusWithBearer } from './support/api.ts';
import { seriousViolations } from './support/axe.ts';
import { DESKTOP, launchBrowser, openPage, PHONE, type TestPage } from './support/browser.ts';
import { ensureDist } from './support/build.ts';
import { type PortalUnderTest, startPortal } from './support/portal.ts';
import { screenshot } from './support/screenshots.ts';

const WS = 'e2e-deploy';
const SECRET = 's3cret-value-e2e-only';
const VIEWER = { email: 'viewer@deploy.e2e.example', password: 'viewer-password-e2e-2', name: 'Vic Viewer' };
const OUTSIDE_AGENT = 'e2e-outside-client/1.0';
// A real service: a line every 200 ms with its platform and own variables (the secret's length only).
const TICKER_SCRIPT =
  "let i=0; setInterval(() => console.log('tick', ++i, process.env.GREETING, process.env.Quix__Deployment__Name, 'key', (process.env.API_KEY||'').length), 200)";

let portal: PortalUnderTest;
let browser: Browser;
let admin: ApiSession;
let ui: TestPage;

async function accessible(page: Page, what: string): Promise<void> {
  assert.deepEqual(await seriousViolations(page), [], `accessibility of ${what}`);
}

function row(page: Page, name: string): Locator {
  return page.locator(`[data-testid="deployment-row"][data-name="${name}"]`);
}

async function deploymentsViaApi(): Promise<Deployment[]> {
  return admin.json<Deployment[]>('GET', `/workspaces/${WS}/deployments`);
}

async function deploymentViaApi(name: string): Promise<Deployment> {
  const found = (await deploymentsViaApi()).find((d) => d.name === name);
  assert.ok(found, `deployment ${name} exists`);
  return found;
}

/** The number of the newest line the ticker service wrote (read through the API, without follow). */
async function lastTick(name: string): Promise<number> {
  const { deploymentId } = await deploymentViaApi(name);
  const res = await admin.call('GET', `/workspaces/${WS}/deployments/${deploymentId}/logs?tail=5`);
  const ticks = [...(await res.text()).matchAll(/tick (\d+)/g)].map((m) => Number(m[1]));
  return ticks.at(-1) ?? 0;
}

function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** Resolves when the browser gives up a request (an abort shows as a failed request). */
function abortedRequest(page: Page, matches: (r: Request) => boolean): Promise<Request> {
  return page.waitForEvent('requestfailed', { predicate: matches, timeout: 15_000 });
}

describe('Deployments and rotation runs in the web UI', () => {
  before(async () => {
    ensureDist();
    portal = await startPortal({
      kafka: false,
      env: { STREAMGATE_RUNNER: 'process', STREAMGATE_BROKER_JWT_TTL_SECONDS: '10' },
    });
    browser = await launchBrowser();
    admin = await ApiSession.login(portal.url, portal.adminEmail, portal.adminPassword);
    await admin.json('POST', '/workspaces', { workspaceId: WS, name: 'Deployments e2e' });
    await admin.json('POST', '/users', { ...VIEWER, role: 'Viewer' });
    ui = await openPage(browser, portal.url, DESKTOP);
    await ui.page.goto(`/ui/${WS}/deployments`);
    await ui.page.getByLabel('Email').fill(portal.adminEmail);
    await ui.page.getByLabel(/^Password/).fill(portal.adminPassword);
    await ui.page.getByRole('button', { name: 'Log in' }).click();
    await ui.page.waitForURL(new RegExp(`/ui/${WS}/deployments$`));
  });

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
    // Deleting stops the services the runner started for these tests.
    if (admin) {
      for (const d of await deploymentsViaApi().catch(() => [])) {
        await admin
          .call('DELETE', `/workspaces/${WS}/deployments/${d.deploymentId}`)
          .then((r) => r.arrayBuffer());
      }
    }
    await browser?.close();
    await portal?.stop();
  });

  it('creates a deployment that runs a real command, with a secret variable', async () => {
    const { page } = ui;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Deployments' }).waitFor();
    await page.getByText('No deployments yet').waitFor();
    await accessible(page, 'deployments (empty)');
    await page.getByRole('button', { name: 'Create deployment' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a deployment' });
    await dialog.getByLabel('Name').fill('ticker');
    await dialog
      .getByRole('textbox', { name: 'Command' })
      .fill(`${shellQuote(process.execPath)} -e "${TICKER_SCRIPT}"`);
    // The line is shown split into its arguments: no guessing what the quotes did.
    const argv = dialog.getByTestId('argv-preview').getByRole('listitem');
    await argv.nth(2).waitFor();
    assert.equal(await argv.count(), 3);
    assert.ok((await argv.nth(2).textContent())?.includes('setInterval'), 'the script is one argument');
    await dialog.getByRole('button', { name: 'Add variable' }).click();
    await dialog.getByLabel('Name of variable 1').fill('GREETING');
    await dialog.getByLabel('Value of variable 1', { exact: true }).fill('hello');
    await dialog.getByRole('button', { name: 'Add variable' }).click();
    await dialog.getByLabel('Name of variable 2').fill('API_KEY');
    await dialog.getByLabel('Variable 2 is secret').check();
    await dialog.getByLabel('Value of variable 2', { exact: true }).fill(SECRET);
    await accessible(page, 'create deployment dialog');
    await screenshot(page, 'deployment-create');
    await dialog.getByRole('button', { name: 'Create deployment' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const ticker = row(page, 'ticker');
    await ticker.getByTestId('deployment-status').filter({ hasText: 'Running' }).waitFor({ timeout: 30_000 });
    await ticker.getByText('Token 1', { exact: true }).waitFor();
    await ticker.getByTestId('deployment-replicas').filter({ hasText: '1/1' }).waitFor({ timeout: 30_000 });
    const saved = await deploymentViaApi('ticker');
    assert.deepEqual(saved.variables.API_KEY, { secret: true }, 'the secret comes back without its value');
    assert.equal(saved.variables.GREETING?.value, 'hello');
    assert.ok(!(await page.content()).includes(SECRET), 'no secret value in the page');
  });

  it('follows the log as the service writes, and stops following when leaving', async () => {
    const { page } = ui;
    const isLogs = (r: Request) => r.url().includes('/logs?') && r.url().includes('follow=true');
    const firstStream = page.waitForRequest(isLogs);
    await row(page, 'ticker').getByRole('link', { name: 'Logs of ticker' }).click();
    await page.getByRole('heading', { name: 'Logs of ticker', level: 1 }).waitFor();
    const stream = await firstStream;
    const log = page.getByTestId('log-view');
    await log.filter({ hasText: 'tick' }).waitFor();
    await page.getByTestId('log-phase').filter({ hasText: 'Following' }).waitFor();
    // New lines keep arriving on the same response while the page follows.
    const lineCount = async () =>
      ((await log.textContent()) ?? '').split('\n').filter((l) => l.startsWith('tick')).length;
    const seen = await lineCount();
    await page.waitForFunction(
      (n) =>
        (document.querySelector('[data-testid="log-view"]')?.textContent ?? '')
          .split('\n')
          .filter((l) => l.startsWith('tick')).length >
        n + 3,
      seen,
    );
    const text = (await log.textContent()) ?? '';
    assert.match(text, /tick \d+ hello ticker key 21/, 'platform and own variables reach the service');
    assert.ok(!text.includes(SECRET));
    // The newest line stays in sight.
    const atBottom = await log.evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 30);
    assert.equal(atBottom, true, 'the view scrolls with the log');
    await accessible(page, 'deployment logs');
    await screenshot(page, 'deployment-logs');

    // Pausing ends the request; following again opens a new one; leaving the page ends that one.
    const paused = abortedRequest(page, (r) => r === stream);
    await page.getByRole('switch', { name: 'Follow' }).uncheck();
    await paused;
    await page.getByTestId('log-phase').filter({ hasText: 'Paused' }).waitFor();
    const secondStream = page.waitForRequest(isLogs);
    await page.getByRole('switch', { name: 'Follow' }).check();
    const again = await secondStream;
    await page.getByTestId('log-phase').filter({ hasText: 'Following' }).waitFor();
    const left = abortedRequest(page, (r) => r === again);
    await page.getByRole('link', { name: 'Deployments', exact: true }).first().click();
    await page.getByRole('heading', { name: 'Deployments', level: 1 }).waitFor();
    await left;
  });

  it('restarts a deployment from the list', async () => {
    const { page } = ui;
    // The service counts its lines from 1: a new process starts counting again, well below this.
    for (let i = 0; i < 60 && (await lastTick('ticker')) < 25; i++)
      await new Promise((r) => setTimeout(r, 250));
    const before = await lastTick('ticker');
    const ticker = row(page, 'ticker');
    await ticker.getByRole('button', { name: 'Restart ticker' }).click();
    await page.getByText('ticker is restarting.').waitFor();
    await ticker.getByTestId('deployment-status').filter({ hasText: 'Running' }).waitFor({ timeout: 30_000 });
    for (let i = 0; i < 60 && (await lastTick('ticker')) >= before; i++)
      await new Promise((r) => setTimeout(r, 250));
    assert.ok((await lastTick('ticker')) < before, 'a new process runs');
    // A restart asked for is not a crash.
    await ticker.getByTestId('deployment-restarts').filter({ hasText: '0' }).waitFor();
  });

  it('edits a deployment, keeps the secret unless a new value is typed, and says a restart is due', async () => {
    const { page } = ui;
    const ticker = row(page, 'ticker');
    await ticker.getByRole('button', { name: 'Edit ticker' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit ticker' });
    // The command comes back as one line that splits into the same arguments.
    await dialog.getByTestId('argv-preview').getByRole('listitem').nth(2).waitFor();
    assert.equal(await dialog.getByTestId('argv-preview').getByRole('listitem').count(), 3);
    assert.equal(
      await dialog.getByLabel('Value of variable 2', { exact: true }).inputValue(),
      '',
      'a secret is never shown back',
    );
    assert.equal(
      await dialog.getByLabel('Value of variable 2', { exact: true }).getAttribute('placeholder'),
      'unchanged (stored secret)',
    );
    await dialog.getByLabel('Value of variable 1', { exact: true }).fill('bonjour');
    await dialog.getByLabel('Replicas').fill('2');
    await accessible(page, 'edit deployment dialog');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await ticker.getByText('restart required').waitFor({ timeout: 30_000 });
    const saved = await deploymentViaApi('ticker');
    assert.equal(saved.variables.GREETING?.value, 'bonjour');
    assert.deepEqual(saved.variables.API_KEY, { secret: true });
    assert.equal(saved.replicas, 2);

    await ticker.getByRole('button', { name: 'Restart ticker' }).click();
    await ticker.getByTestId('deployment-replicas').filter({ hasText: '2/2' }).waitFor({ timeout: 30_000 });
    await ticker.getByText('restart required').waitFor({ state: 'detached', timeout: 30_000 });
    // The service sees the new value, and the secret it kept (same length as before).
    await ticker.getByRole('link', { name: 'Logs of ticker' }).click();
    await page
      .getByTestId('log-view')
      .filter({ hasText: /tick \d+ bonjour ticker key 21/ })
      .waitFor();
    await page.getByRole('link', { name: 'Deployments', exact: true }).first().click();
  });

  it('stops and starts a deployment on Token 2, and deletes one after confirmation', async () => {
    const { page } = ui;
    await admin.json('POST', `/workspaces/${WS}/deployments`, {
      name: 'worker',
      command: [process.execPath, '-e', 'setInterval(() => {}, 1000)'],
      tokenSlot: 2,
    });
    await admin.json('POST', `/workspaces/${WS}/deployments`, {
      name: 'old-job',
      command: [process.execPath, '-e', 'setInterval(() => {}, 1000)'],
      start: false,
    });
    const worker = row(page, 'worker');
    await worker.getByTestId('deployment-status').filter({ hasText: 'Running' }).waitFor({ timeout: 30_000 });
    await worker.getByText('Token 2', { exact: true }).waitFor();
    await worker.getByRole('button', { name: 'Stop worker' }).click();
    await worker.getByTestId('deployment-status').filter({ hasText: 'Stopped' }).waitFor({ timeout: 30_000 });
    await worker.getByRole('button', { name: 'Start worker' }).click();
    await worker.getByTestId('deployment-status').filter({ hasText: 'Running' }).waitFor({ timeout: 30_000 });

    await row(page, 'old-job').getByRole('button', { name: 'Delete old-job' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete deployment?' });
    await confirm.getByText('old-job').first().waitFor();
    await accessible(page, 'delete deployment dialog');
    await confirm.getByRole('button', { name: 'Delete deployment' }).click();
    await row(page, 'old-job').waitFor({ state: 'detached' });
    assert.ok(!(await deploymentsViaApi()).some((d) => d.name === 'old-job'));

    await row(page, 'ticker').getByTestId('deployment-status').filter({ hasText: 'Running' }).waitFor();
    await accessible(page, 'deployments');
    await screenshot(page, 'deployments');
  });

  it('lets a Viewer see deployments but not act on them or read logs', async () => {
    const viewer = await openPage(browser, portal.url, DESKTOP);
    const { page } = viewer;
    await page.goto(`/ui/${WS}/deployments`);
    await page.getByLabel('Email').fill(VIEWER.email);
    await page.getByLabel(/^Password/).fill(VIEWER.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await row(page, 'ticker').getByTestId('deployment-status').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Create deployment' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /^(Start|Stop|Restart) / }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /^(Edit|Delete) / }).count(), 0);
    assert.equal(await page.getByRole('link', { name: /^Logs of/ }).count(), 0);
    await accessible(page, 'deployments as Viewer');
    await viewer.context.close();
    assert.deepEqual(viewer.problems, []);
  });

  it('runs a zero-downtime rotation from the dialog: moves the deployment, waits, rotates', async () => {
    const { page } = ui;
    const before = await admin.json<StreamingTokens>('GET', `/workspaces/${WS}/streaming-tokens`);
    assert.equal((await deploymentViaApi('ticker')).tokenId, before.token1.id);
    // An outside client keeps using Token 1, so the run waits for it until told not to.
    let using = true;
    const outside = (async () => {
      while (using) {
        const res = await fetch(`${portal.url}/workspaces/${WS}`, {
          headers: { authorization: `Bearer ${before.token1.value}`, 'user-agent': OUTSIDE_AGENT },
        });
        await res.arrayBuffer();
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    try {
      for (let i = 0; i < 60; i++) {
        const plan = await admin.json<RotationPlan>(
          'GET',
          `/workspaces/${WS}/streaming-tokens/rotation-plan`,
        );
        if (plan.outsideClients.some((c) => c.userAgent === OUTSIDE_AGENT)) break;
        await new Promise((r) => setTimeout(r, 500));
      }

      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'APIs and tokens' })
        .click();
      await page.getByTestId('token-verdict').filter({ hasText: 'In use' }).waitFor();
      await page.getByRole('button', { name: 'Rotate them' }).click();
      const dialog = page.getByRole('dialog', { name: 'Rotating streaming tokens' });
      const verdict = dialog.getByTestId('rotation-verdict');
      await verdict.filter({ hasText: 'Token 1 is in use' }).waitFor();
      await verdict.getByTestId('deployments-on-token-1').getByText('ticker').waitFor();
      await verdict.getByText(OUTSIDE_AGENT).waitFor();
      assert.equal(
        await verdict.getByTestId('deployments-on-token-1').getByText('worker').count(),
        0,
        'worker runs on Token 2: nothing to move',
      );
      // Three ways side by side; the portal recommends zero downtime since deployments use Token 1.
      const zero = dialog.getByRole('radio', { name: 'Zero downtime' });
      assert.equal(await zero.getAttribute('aria-checked'), 'true');
      await dialog.getByRole('radio', { name: 'Rotate, then restart deployments' }).waitFor();
      await dialog.getByRole('radio', { name: 'Rotate only' }).click();
      await dialog.getByRole('button', { name: 'Rotate tokens' }).waitFor();
      await zero.click();
      await dialog.getByRole('button', { name: 'Advanced settings' }).click();
      await dialog.getByLabel('Quiet period (seconds)').fill('2');
      await dialog.getByLabel(/Type the workspace id/).fill(WS);
      await accessible(page, 'rotation dialog with deployments');
      // The picture starts at the verdict, not where the confirmation field scrolled to.
      await dialog.evaluate((el) => {
        for (const node of [el, ...el.querySelectorAll('*')]) if (node.scrollTop > 0) node.scrollTop = 0;
      });
      await screenshot(page, 'rotate-dialog-deployments');
      await dialog.getByRole('button', { name: 'Start rotation' }).click();

      // The run, live: the deployment is moved to Token 2, then the run waits for the outside client.
      await dialog.getByTestId('rotation-status').filter({ hasText: 'Running' }).waitFor();
      const move = dialog.locator('[data-testid="rotation-step"][data-step="move-deployments"]');
      await move
        .locator('[data-testid="moved-deployment"][data-name="ticker"]')
        .getByText('done')
        .waitFor({ timeout: 60_000 });
      const wait = dialog.locator(
        '[data-testid="rotation-step"][data-step="wait-quiet"][data-state="running"]',
      );
      await wait.getByText(OUTSIDE_AGENT).waitFor({ timeout: 60_000 });
      await dialog.getByRole('button', { name: 'Cancel rotation' }).waitFor();
      await accessible(page, 'rotation run');
      await screenshot(page, 'rotation-run');

      // A reload while the run is active shows it again.
      await page.reload();
      await page.getByTestId('active-rotation').getByRole('button', { name: 'Show progress' }).click();
      await wait.getByText(OUTSIDE_AGENT).waitFor();
      await dialog.getByRole('button', { name: "Don't wait for outside clients" }).click();
      await dialog
        .getByTestId('rotation-status')
        .filter({ hasText: 'Succeeded' })
        .waitFor({ timeout: 60_000 });
      await dialog.locator('[data-testid="rotation-step"][data-step="rotate"][data-state="done"]').waitFor();
      await screenshot(page, 'rotation-run-succeeded');
      await dialog.getByRole('button', { name: 'Close', exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.getByTestId('active-rotation').waitFor({ state: 'detached' });
    } finally {
      using = false;
      await outside;
    }

    assert.equal(
      await statusWithBearer(portal.url, `/workspaces/${WS}`, before.token1.value!),
      401,
      'the old Token 1 is refused',
    );
    const moved = await deploymentViaApi('ticker');
    assert.equal(moved.tokenId, before.token2.id, 'ticker runs on the former Token 2');
    assert.equal(moved.tokenSlot, 1, 'which is Token 1 now');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Deployments' }).click();
    const ticker = row(page, 'ticker');
    await ticker.getByText('Token 1', { exact: true }).waitFor();
    await ticker.getByTestId('deployment-status').filter({ hasText: 'Running' }).waitFor();
    assert.equal(await ticker.getByText('restart required').count(), 0);
  });

  it('fits a 390 px phone: rows become labelled blocks, the log wraps', async () => {
    const phone = await openPage(browser, portal.url, PHONE);
    const { page } = phone;
    await page.goto(`/ui/${WS}/deployments`);
    await page.getByLabel('Email').fill(portal.adminEmail);
    await page.getByLabel(/^Password/).fill(portal.adminPassword);
    await page.getByRole('button', { name: 'Log in' }).click();
    await row(page, 'ticker').getByTestId('deployment-status').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px too wide)`);
    await accessible(page, 'deployments on a phone');
    await screenshot(page, 'phone-deployments');
    await row(page, 'ticker').getByRole('link', { name: 'Logs of ticker' }).click();
    await page.getByTestId('log-view').filter({ hasText: 'tick' }).waitFor();
    const logOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(logOverflow <= 0, `no horizontal scrolling on the log (${logOverflow}px too wide)`);
    await phone.context.close();
    assert.deepEqual(phone.problems, []);
  });

  it('had no page errors and no CSP violations', () => {
    assert.deepEqual(ui.problems, []);
  });
});
