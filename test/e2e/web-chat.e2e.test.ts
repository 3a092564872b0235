/**
 * The built-in web chat page in a real browser (Chromium driven by
 * playwright-core) against a real Relais: typing, every block of the "démo"
 * message and its answers, proactive delivery over the live stream, history
 * after a reload, keyboard access. The tests share one page and run in order,
 * like one person's visit.
 */
import { readFile } from 'node:fs/promises';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { Relais } from '../../src/main.js';
import { CHROMIUM_PATH, chromiumAvailability, describeWith } from '../support/services.js';
import { startTestRelais } from '../support/start-test-relais.js';

const TIMEOUT = 10_000;
const SCREENSHOT = '/tmp/relais-web.png';

describeWith('Chromium', chromiumAvailability())('web chat page', () => {
  let relais: Relais;
  let browser: Browser;
  let page: Page;
  let log: Locator;
  let composer: Locator;
  /** Script errors and console errors (CSP violations are reported there). */
  const browserErrors: string[] = [];

  beforeAll(async () => {
    relais = await startTestRelais();
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'fr-FR' });
    page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    page.on('pageerror', (error) => browserErrors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') browserErrors.push(`console: ${message.text()}`);
    });
    await page.goto(relais.url);
    log = page.getByRole('log');
    composer = page.getByRole('textbox', { name: 'Votre message', exact: true });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await relais?.stop();
  });

  async function send(text: string): Promise<void> {
    await composer.fill(text);
    await composer.press('Enter');
  }

  /** Waits until the live stream (SSE) of the page is connected. */
  async function liveStreamReady(): Promise<void> {
    await page.waitForSelector('html[data-live="live"]', { state: 'attached', timeout: TIMEOUT });
  }

  test('sends with Enter and shows the AI disclosure, the help and the message sent', async () => {
    expect(await page.title()).toBe('Relais — assistant');
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await page.getByRole('heading', { name: 'Bienvenue' }).waitFor();

    await send('aide');

    await log.locator('.message--user', { hasText: 'aide' }).waitFor();
    const disclosure = log.locator('.message--disclosure');
    await disclosure.waitFor();
    expect(await disclosure.textContent()).toContain('intelligence artificielle');
    await log.getByText('Voici ce que je sais faire').waitFor();
    expect(await composer.inputValue()).toBe('');
    expect(await page.locator('#welcome').isHidden()).toBe(true);
  });

  test('renders every block of the "démo" message and sends the answers', async () => {
    await send('démo');

    const demo = log.locator('article.message--bot', { hasText: 'Aperçu des éléments d’interface' });
    await demo.waitFor();
    await log.locator('.message--user', { hasText: 'démo' }).waitFor();

    // buttons
    await demo.getByRole('button', { name: 'Principal', exact: true }).waitFor();
    await demo.getByRole('button', { name: 'Secondaire', exact: true }).waitFor();
    // single choice: a group of options
    const single = demo.getByRole('group', { name: 'Choix unique : quel moment de la semaine vous convient le mieux ?' });
    expect(await single.getByRole('button').count()).toBe(3);
    // multiple choice: checkboxes
    const multi = demo.getByRole('group', { name: 'Choix multiples : quels outils utilisez-vous ?' });
    expect(await multi.getByRole('checkbox').count()).toBe(4);
    // scale 1..5 with its end labels
    const scale = demo.getByRole('group', { name: 'Échelle : comment vous sentez-vous cette semaine ?' });
    expect(await scale.getByRole('button').allTextContents()).toEqual(['1', '2', '3', '4', '5']);
    expect(await scale.textContent()).toMatch(/Très mal[\s\S]*Très bien/);
    // number input
    const minutes = demo.getByRole('spinbutton', { name: 'Nombre : combien de minutes avez-vous gagnées cette semaine ?' });
    await minutes.waitFor();
    // multi-line text input
    const comment = demo.getByRole('textbox', { name: 'Texte libre : un commentaire ?' });
    expect(await comment.evaluate((node) => node.tagName)).toBe('TEXTAREA');
    expect(await comment.getAttribute('placeholder')).toBe('Écrivez ici…');
    // image (a data: URL, allowed by the page's CSP)
    const chart = demo.getByRole('img', { name: 'Histogramme de démonstration : trois barres de hauteurs croissantes' });
    await chart.waitFor();
    await page.waitForFunction(
      "[...document.querySelectorAll('img[alt^=\"Histogramme\"]')].some((img) => img.complete && img.naturalWidth > 0)",
      undefined,
      { timeout: TIMEOUT },
    );
    await demo.getByText('Exemple de graphique').waitFor();
    // sources, and [1] [2] in the text linking to them
    const sources = demo.getByRole('region', { name: 'Sources' });
    expect(await sources.getByRole('listitem').count()).toBe(2);
    const citeTwo = demo.getByRole('link', { name: '[2]', exact: true });
    const target = (await citeTwo.getAttribute('href'))!;
    expect(target).toMatch(/^#cite-.+-2$/);
    expect(await sources.locator(target).textContent()).toContain('accueillir sans juger');
    // feedback
    await demo.getByRole('button', { name: 'Utile', exact: true }).waitFor();
    await demo.getByRole('button', { name: 'Pas utile', exact: true }).waitFor();
    // footer
    expect(await demo.locator('.message__footer').textContent()).toContain('assistant automatisé (IA)');

    // Single choice: one click answers.
    await single.getByRole('button', { name: 'Mercredi après-midi' }).click();
    await log.getByText('Bien reçu : Mercredi après-midi', { exact: true }).waitFor();
    await log.locator('.message--user', { hasText: 'Mercredi après-midi' }).waitFor();
    expect(await single.getByRole('button', { name: 'Mercredi après-midi' }).getAttribute('aria-pressed')).toBe('true');
    expect(await single.getByRole('button', { name: 'Lundi matin' }).isDisabled()).toBe(true);

    // Scale.
    await scale.getByRole('button', { name: '4', exact: true }).click();
    await log.getByText('Bien reçu : 4', { exact: true }).waitFor();

    // Number: checked in the page first (the server stays the authority), then sent.
    const minutesForm = demo.locator('form', { has: page.getByRole('spinbutton') });
    await minutes.fill('601');
    await minutesForm.getByRole('button', { name: 'Envoyer' }).click();
    await minutesForm.getByText('Indiquez un nombre inférieur ou égal à 600.').waitFor();
    expect(await minutes.getAttribute('aria-invalid')).toBe('true');
    await minutes.fill('30');
    await minutesForm.getByRole('button', { name: 'Envoyer' }).click();
    await log.getByText('Bien reçu : 30', { exact: true }).waitFor();
    expect(await minutes.isDisabled()).toBe(true);

    // The whole conversation in one picture, with the composer docked at the bottom as a person sees it.
    const viewport = page.viewportSize()!;
    const height = await page.evaluate<number>('document.documentElement.scrollHeight');
    await page.setViewportSize({ width: viewport.width, height });
    await page.screenshot({ path: SCREENSHOT, animations: 'disabled' });
    await page.setViewportSize(viewport);
  });

  test('shows a proactive message as it is sent, without reloading', async () => {
    await liveStreamReady();
    const userId = await page.evaluate<string | null>("localStorage.getItem('relais.userId')");
    expect(userId).toBeTruthy();
    const person = await relais.core.identities.findPerson('web', userId!);
    expect(person).not.toBeNull();

    const results = await relais.core.messenger.sendToPerson(person!.id, {
      blocks: [{ type: 'text', markdown: 'Message proactif de test' }],
    });

    expect(results).toEqual([expect.objectContaining({ platform: 'web', delivered: true })]);
    await log.getByText('Message proactif de test').waitFor();
    expect(await log.locator('.message--proactive', { hasText: 'Message proactif de test' }).count()).toBe(1);
  });

  test('offers a file sent by the bot (a survey export) as a download', async () => {
    const userId = await page.evaluate<string | null>("localStorage.getItem('relais.userId')");
    const person = await relais.core.identities.findPerson('web', userId!);
    const csv = 'submission_id,tache\r\nr1,Saisie des notes « Apogée »\r\n';
    await relais.core.messenger.sendToPerson(person!.id, {
      blocks: [
        { type: 'text', markdown: 'Export de test' },
        { type: 'file', filename: 'irritants-test.csv', mimeType: 'text/csv', base64: Buffer.from(csv).toString('base64'), title: 'irritants-test.csv' },
      ],
    });
    await log.getByText('Export de test').waitFor();
    const link = log.getByRole('link', { name: /^Télécharger irritants-test\.csv \(\d+ o\)$/ });
    await link.waitFor();
    expect(await link.getAttribute('download')).toBe('irritants-test.csv');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('irritants-test.csv');
    expect(await readFile((await download.path())!, 'utf8')).toBe(csv);
  });

  test('restores the conversation from the history after a reload, without duplicates', async () => {
    await page.reload();
    await liveStreamReady();

    await log.getByText('Voici ce que je sais faire').waitFor();
    await log.getByText('Bien reçu : 30', { exact: true }).waitFor();
    await log.getByText('Message proactif de test').waitFor();
    expect(await log.locator('.message--disclosure').count()).toBe(1);
    expect(await log.getByText('je suis Relais, un assistant automatisé').count()).toBe(1);
    const ids = await log.locator('[data-message-id]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-message-id')));
    expect(ids.length).toBeGreaterThanOrEqual(7);
    expect(new Set(ids).size).toBe(ids.length);
    // What the person wrote in this tab comes back in place, and answered questions stay answered.
    await log.locator('.message--user', { hasText: 'démo' }).waitFor();
    const single = log.getByRole('group', { name: 'Choix unique : quel moment de la semaine vous convient le mieux ?' });
    expect(await single.getByRole('button', { name: 'Mercredi après-midi' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('#welcome').isHidden()).toBe(true);
  });

  test('can be used with the keyboard', async () => {
    await page.reload();
    await log.getByText('Voici ce que je sais faire').waitFor();
    expect(await page.locator('#log').getAttribute('role')).toBe('log');
    expect(await page.locator('#log').getAttribute('aria-live')).toBe('polite');

    await page.keyboard.press('Tab');
    await page.waitForFunction("document.activeElement && document.activeElement.id === 'skip-link'", undefined, { timeout: TIMEOUT });
    expect(await page.getByRole('link', { name: 'Aller à la zone de saisie' }).isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForFunction("document.activeElement && document.activeElement.id === 'composer-input'", undefined, { timeout: TIMEOUT });

    // Shift+Enter is a new line; Enter sends.
    await page.keyboard.type('à');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('propos');
    expect(await composer.inputValue()).toBe('à\npropos');
    await composer.fill('à propos');
    await page.keyboard.press('Enter');
    await log.getByText('À propos de Relais').waitFor();

    expect(browserErrors).toEqual([]);
  });
});
